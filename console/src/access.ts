// What the Users, Policies, "My access keys" pages and a bucket's Permissions panel compute:
// the words for a key's last use, what keeps a user from being deleted, the Block Public
// Access settings with their explanations, and starting documents for the policy editors.

import type { AccessKeySummary, IamUserDetail, PublicAccessBlock } from "./api";

export interface BlockSetting {
  name: keyof PublicAccessBlock;
  label: string;
  help: string;
}

// S3's four settings, in S3's order, with what each does.
export const blockSettings: BlockSetting[] = [
  {
    name: "blockPublicAcls",
    label: "Block public ACLs",
    help: "Refuse requests that would grant the public access through an ACL.",
  },
  {
    name: "ignorePublicAcls",
    label: "Ignore public ACLs",
    help: "Public grants in existing ACLs count for nothing.",
  },
  {
    name: "blockPublicPolicy",
    label: "Block public bucket policies",
    help: "Refuse a bucket policy that grants the public access.",
  },
  {
    name: "restrictPublicBuckets",
    label: "Restrict public buckets",
    help: "A public policy grants nothing to anyone outside this account.",
  },
];

export const allBlocked: PublicAccessBlock = {
  blockPublicAcls: true,
  ignorePublicAcls: true,
  blockPublicPolicy: true,
  restrictPublicBuckets: true,
};

// The account-wide settings that are on (shown read-only next to the bucket's).
export function accountSettingsOn(account: PublicAccessBlock | null): BlockSetting[] {
  return account ? blockSettings.filter((setting) => account[setting.name]) : [];
}

// "Never", or when, for which service and where the key last signed a request.
export function describeLastUse(key: AccessKeySummary): string {
  if (!key.lastUsed) return "Never";
  const where = [key.lastUsedService, key.lastUsedRegion].filter(Boolean).join(", ");
  return where ? `${key.lastUsed} (${where})` : key.lastUsed;
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

// What IAM's DeleteConflict is about: the user's keys, inline policies, attached policies and
// groups, in words ("2 access keys", "1 inline policy", ...); empty when nothing is in the way.
export function deleteBlockers(user: IamUserDetail): string[] {
  const blockers: string[] = [];
  if (user.accessKeys.length) blockers.push(count(user.accessKeys.length, "access key", "access keys"));
  if (user.inlinePolicies.length) {
    blockers.push(count(user.inlinePolicies.length, "inline policy", "inline policies"));
  }
  if (user.attachedPolicies.length) {
    blockers.push(count(user.attachedPolicies.length, "attached policy", "attached policies"));
  }
  if (user.groups.length) blockers.push(count(user.groups.length, "group", "groups"));
  return blockers;
}

// A document as the editor shows it: valid JSON indented by two spaces, anything else as is.
export function formatDocument(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function document(statements: object[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements }, null, 2);
}

// A starting point for a user's inline policy: read and write the objects of one bucket.
export function bucketAccessTemplate(bucket = "BUCKET"): string {
  return document([
    { Effect: "Allow", Action: "s3:ListBucket", Resource: `arn:aws:s3:::${bucket}` },
    {
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      Resource: `arn:aws:s3:::${bucket}/*`,
    },
  ]);
}

// A starting point for a bucket policy: anyone may read the bucket's objects (refused while
// "Block public bucket policies" is on).
export function publicReadTemplate(bucket: string): string {
  return document([
    { Sid: "PublicRead", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${bucket}/*` },
  ]);
}

// A role's trust policy letting the account's users assume it.
export function trustTemplate(account: string): string {
  return document([
    { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account || "000000000000"}:root` }, Action: "sts:AssumeRole" },
  ]);
}
