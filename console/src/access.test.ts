import { describe, expect, it } from "vitest";

import {
  accountSettingsOn,
  allBlocked,
  blockSettings,
  bucketAccessTemplate,
  deleteBlockers,
  describeLastUse,
  formatDocument,
  publicReadTemplate,
  trustTemplate,
} from "./access";
import type { AccessKeySummary, IamUserDetail } from "./api";

const key: AccessKeySummary = {
  accessKeyId: "AKIA1",
  status: "Active",
  created: "2026-12-01T00:00:00Z",
  lastUsed: null,
  lastUsedService: "",
  lastUsedRegion: "",
};

function user(overrides: Partial<IamUserDetail> = {}): IamUserDetail {
  return {
    name: "ann",
    id: "AIDA1",
    arn: "arn:aws:iam::123456789012:user/ann",
    path: "/",
    created: null,
    groups: [],
    keys: 0,
    accessKeys: [],
    inlinePolicies: [],
    attachedPolicies: [],
    ...overrides,
  };
}

describe("describeLastUse", () => {
  it("says never for a key that signed nothing", () => {
    expect(describeLastUse(key)).toBe("Never");
  });
  it("names the time, service and region", () => {
    expect(describeLastUse({ ...key, lastUsed: "2026-12-06T10:00:00Z", lastUsedService: "s3", lastUsedRegion: "us-east-1" })).toBe(
      "2026-12-06T10:00:00Z (s3, us-east-1)",
    );
    expect(describeLastUse({ ...key, lastUsed: "2026-12-06T10:00:00Z" })).toBe("2026-12-06T10:00:00Z");
  });
});

describe("deleteBlockers", () => {
  it("is empty for a user with nothing attached", () => {
    expect(deleteBlockers(user())).toEqual([]);
  });
  it("counts keys, inline and attached policies and groups, singular and plural", () => {
    expect(
      deleteBlockers(
        user({
          accessKeys: [key, { ...key, accessKeyId: "AKIA2" }],
          inlinePolicies: ["files"],
          attachedPolicies: [{ name: "Read", arn: "arn:aws:iam::123456789012:policy/Read" }],
          groups: ["a", "b"],
        }),
      ),
    ).toEqual(["2 access keys", "1 inline policy", "1 attached policy", "2 groups"]);
  });
});

describe("documents", () => {
  it("indents valid JSON and leaves anything else alone", () => {
    expect(formatDocument('{"a":[1]}')).toBe('{\n  "a": [\n    1\n  ]\n}');
    expect(formatDocument("{ not json")).toBe("{ not json");
  });
  it("fills the templates with the bucket and account", () => {
    const bucket = JSON.parse(bucketAccessTemplate("pics"));
    expect(bucket.Statement[0].Resource).toBe("arn:aws:s3:::pics");
    expect(bucket.Statement[1].Resource).toBe("arn:aws:s3:::pics/*");
    const open = JSON.parse(publicReadTemplate("site"));
    expect(open.Statement[0]).toMatchObject({ Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::site/*" });
    expect(JSON.parse(trustTemplate("123456789012")).Statement[0].Principal.AWS).toBe("arn:aws:iam::123456789012:root");
    expect(JSON.parse(trustTemplate("")).Statement[0].Principal.AWS).toBe("arn:aws:iam::000000000000:root");
  });
});

describe("block settings", () => {
  it("lists S3's four settings once each", () => {
    expect(blockSettings.map((s) => s.name)).toEqual(Object.keys(allBlocked));
  });
  it("names the account's settings that are on", () => {
    expect(accountSettingsOn(null)).toEqual([]);
    expect(accountSettingsOn({ ...allBlocked, ignorePublicAcls: false }).map((s) => s.name)).toEqual([
      "blockPublicAcls",
      "blockPublicPolicy",
      "restrictPublicBuckets",
    ]);
  });
});
