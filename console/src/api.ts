// The console API client (docs/CONSOLE_API.md): JSON in and out, the session cookie sent by
// the browser, the CSRF token on every state-changing request, errors as ApiError.

import type {
  ActivityProfile,
  ActivitySummary,
  PublicActivity,
  RecentActivity,
  TrailPage,
  TrailQuery,
} from "./activity";
import { trailQueryString } from "./activity";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    // From Retry-After (429 TooManySignIns): whole seconds to wait before trying again.
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export interface Session {
  accessKeyId: string;
  userId: string;
  userName?: string; // "Root" for the root user
  root?: boolean; // root sees the Users and Policies pages
  csrfToken: string;
}

// An access key as the Users and "My access keys" pages show it (never its secret).
export interface AccessKeySummary {
  accessKeyId: string;
  status: "Active" | "Inactive";
  created: string | null;
  lastUsed: string | null;
  lastUsedService: string;
  lastUsedRegion: string;
}

// A key just created: the only answer that holds its secret.
export interface NewAccessKey {
  accessKeyId: string;
  secretAccessKey: string;
  user: string;
}

export interface IamUserSummary {
  name: string;
  id: string;
  arn: string;
  path: string;
  created: string | null;
  groups: string[];
  keys: number;
}

export interface PolicyRef {
  name: string;
  arn: string;
}

export interface IamUserDetail extends IamUserSummary {
  accessKeys: AccessKeySummary[];
  inlinePolicies: string[];
  attachedPolicies: PolicyRef[];
}

export interface ManagedPolicy extends PolicyRef {
  path: string;
  id: string;
  description: string;
  created: string | null;
  attachments: number;
  document?: string;
}

export interface RoleSummary {
  name: string;
  arn: string;
  id: string;
  path: string;
  description: string;
  maxSessionSeconds: number;
  created: string | null;
}

export interface RoleDetail extends RoleSummary {
  trustPolicy: string;
  inlinePolicies: string[];
  attachedPolicies: PolicyRef[];
}

export interface OwnKeys {
  user: string;
  sessionKey: string; // the key this session signed in with
  keys: AccessKeySummary[];
}

// S3's four Block Public Access settings.
export interface PublicAccessBlock {
  blockPublicAcls: boolean;
  ignorePublicAcls: boolean;
  blockPublicPolicy: boolean;
  restrictPublicBuckets: boolean;
}

// A bucket's Permissions panel: its policy (as given), whether that policy is public, its own
// block, the account's (read-only here), and what is in force (each setting on in either).
export interface BucketAccess {
  policy: string | null;
  public: boolean;
  block: PublicAccessBlock | null;
  account: PublicAccessBlock | null;
  inForce: PublicAccessBlock;
}

// A bucket's usage panel (GET buckets/<name>/usage): what it holds, by storage class, and what
// the same storage would cost a month on AWS (the server's one price table,
// src/console/storage_prices.h).
export interface ClassUsage {
  storage_class: string;
  objects: number; // current versions
  versions: number; // every stored version (not delete markers)
  logical_bytes: number; // their sizes
  stored_bytes: number; // what they occupy here, after compression
  restored_bytes: number; // temporary restored copies of archived versions
  monthly: number; // USD
}

export interface BucketUsage {
  bucket: string;
  objects: number;
  bytes: number;
  versions: number;
  version_bytes: number;
  noncurrent_bytes: number;
  delete_markers: number;
  classes: ClassUsage[];
  estimate: {
    currency: "USD";
    monthly: number;
    unit: string;
    region: string;
    as_of: string;
    prices: Record<string, number>;
    source: string;
  };
}

export interface BucketSummary {
  name: string;
  created: string;
  objects: number;
  bytes: number;
  versioning: "Off" | "Enabled" | "Suspended";
}

export interface ObjectEntry {
  key: string;
  size: number;
  modified: string;
  etag: string;
  storageClass: string;
}

export interface FolderPage {
  bucket: string;
  prefix: string;
  folders: { prefix: string }[];
  objects: ObjectEntry[];
  next: string | null;
}

export type SortField = "name" | "size" | "modified" | "type";

export interface FolderQuery {
  after?: string;
  search?: string;
  sort?: SortField;
  order?: "asc" | "desc";
  limit?: number;
  // Deleted keys (their current version is a delete marker) instead of objects; name order.
  deleted?: boolean;
}

// S3's x-amz-replication-status: "" when no backup rule applies to the version.
export type ReplicationStatus = "" | "PENDING" | "COMPLETED" | "FAILED" | "REPLICA";

export interface ObjectVersionSummary {
  versionId: string;
  latest: boolean;
  deleteMarker: boolean;
  size: number;
  modified: string;
  etag?: string;
  replicationStatus?: ReplicationStatus;
}

export interface NameValue {
  name: string;
  value: string;
}

// A deleted key (its current version a delete marker) has only its versions.
export interface DeletedObjectDetails {
  bucket: string;
  key: string;
  deleted: true;
  versions: ObjectVersionSummary[];
}

export interface ObjectDetails {
  bucket: string;
  key: string;
  deleted: false;
  size: number;
  contentType: string;
  etag: string;
  modified: string;
  storageClass: string;
  encryption?: string;
  versionId?: string;
  replicationStatus?: ReplicationStatus;
  metadata: NameValue[];
  headers: NameValue[];
  tags: NameValue[];
  versions: ObjectVersionSummary[];
}

// One event notification rule of a bucket: which events of which keys go to which target.
export interface EventRule {
  id: string;
  events: string[];
  prefix: string;
  suffix: string;
  target: string;
  arn?: string;
}

// A bucket's event rules and the targets the server is configured with.
export interface EventSetup {
  rules: EventRule[];
  targets: string[];
}

// One backup (replication) rule of a bucket.
export interface BackupRule {
  id: string;
  priority: number | null;
  enabled: boolean;
  destinationBucket: string;
  remote: string; // "" for a bucket on this server
  storageClass: string;
  prefix: string;
  suffix: string;
  contentType: string;
  tags: NameValue[];
  deleteMarkers: boolean;
  existingObjects: boolean;
}

// What the Backup form sends; the server fills in priority and status.
export interface NewBackupRule {
  id?: string;
  destinationBucket: string;
  remote?: string;
  prefix?: string;
  suffix?: string;
  deleteMarkers: boolean;
  existingObjects: boolean;
}

// A bucket's backup rules, the remotes the server is configured with, and its versioning.
export interface BackupSetup {
  rules: BackupRule[];
  remotes: string[];
  versioning: BucketSummary["versioning"];
}

export interface SignedUrl {
  url: string;
  expiresSeconds: number;
}

// What the page asks to sign for a GET: a download (attachment), a preview (inline), or a
// share link; optionally of one old version.
export interface GetLinkOptions {
  expiresSeconds?: number;
  download?: boolean;
  versionId?: string;
}

// One S3 request of an upload, as Uppy's AWS S3 plugin describes it.
export interface UploadRequest {
  method: string;
  key: string;
  uploadId?: string;
  partNumber?: number;
}

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export class ConsoleApi {
  private csrfToken = "";
  // Called when the server answers 401 to a signed-in request: the session expired or was
  // ended elsewhere, and the page should show the sign-in form again.
  onSessionEnded: () => void = () => undefined;

  constructor(
    private readonly fetchImpl: Fetch = (input, init) => fetch(input, init),
    private readonly base = "/_console/api/",
  ) {}

  async call<T>(method: string, route: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (method !== "GET" && method !== "HEAD" && this.csrfToken) {
      headers["X-CSRF-Token"] = this.csrfToken;
    }
    const response = await this.fetchImpl(this.base + route, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
    const text = await response.text();
    const parsed = text ? JSON.parse(text) : undefined;
    if (!response.ok) {
      const error = parsed?.error ?? {};
      if (response.status === 401 && route !== "session") this.onSessionEnded();
      const retryAfter = Number(response.headers.get("Retry-After") ?? "");
      throw new ApiError(
        response.status,
        error.code ?? "Unknown",
        error.message ?? `The server answered ${response.status}.`,
        Number.isInteger(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
      );
    }
    return parsed as T;
  }

  async signIn(accessKeyId: string, secretAccessKey: string): Promise<Session> {
    const session = await this.call<Session>("POST", "session", { accessKeyId, secretAccessKey });
    this.csrfToken = session.csrfToken;
    return session;
  }

  async resume(): Promise<Session | null> {
    try {
      const session = await this.call<Session>("GET", "session");
      this.csrfToken = session.csrfToken;
      return session;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  }

  async signOut(): Promise<void> {
    await this.call<void>("DELETE", "session");
    this.csrfToken = "";
  }

  // Activity profiles the signed-in user may see (root: all).
  async activityProfiles(): Promise<ActivityProfile[]> {
    return (await this.call<{ profiles: ActivityProfile[] }>("GET", "activity/profiles")).profiles;
  }

  activity(profile: string, from: string, to: string): Promise<ActivitySummary> {
    const name = encodeURIComponent(profile);
    return this.call("GET", `activity/profiles/${name}/days?from=${from}&to=${to}`);
  }

  recentActivity(profile: string, next?: string): Promise<RecentActivity> {
    const name = encodeURIComponent(profile);
    const after = next ? `&next=${encodeURIComponent(next)}` : "";
    return this.call("GET", `activity/profiles/${name}/recent?limit=20${after}`);
  }

  // Turns the profile's public page on (a fresh token) or off (the old link stops working).
  publishActivity(profile: string): Promise<{ token: string }> {
    return this.call("PUT", `activity/profiles/${encodeURIComponent(profile)}/public`);
  }

  unpublishActivity(profile: string): Promise<unknown> {
    return this.call("DELETE", `activity/profiles/${encodeURIComponent(profile)}/public`);
  }

  // A public page: no session needed.
  publicActivity(token: string): Promise<PublicActivity> {
    return this.call("GET", `public/activity/${encodeURIComponent(token)}`);
  }

  trail(query: TrailQuery): Promise<TrailPage> {
    const search = trailQueryString(query);
    return this.call("GET", search ? `trail?${search}` : "trail");
  }

  // --- Users, keys and policies (root; own keys: anyone) ---------------------------------

  async users(): Promise<IamUserSummary[]> {
    return (await this.call<{ users: IamUserSummary[] }>("GET", "iam/users")).users;
  }

  createUser(name: string): Promise<IamUserDetail> {
    return this.call("POST", "iam/users", { name });
  }

  user(name: string): Promise<IamUserDetail> {
    return this.call("GET", `iam/users/${encodeURIComponent(name)}`);
  }

  // `force`: remove its keys, policies and group memberships first (else DeleteConflict).
  deleteUser(name: string, force = false): Promise<unknown> {
    return this.call("DELETE", `iam/users/${encodeURIComponent(name)}${force ? "?force=true" : ""}`);
  }

  createUserKey(name: string): Promise<NewAccessKey> {
    return this.call("POST", `iam/users/${encodeURIComponent(name)}/keys`);
  }

  setUserKeyStatus(name: string, key: string, status: AccessKeySummary["status"]): Promise<IamUserDetail> {
    return this.call("PUT", `iam/users/${encodeURIComponent(name)}/keys/${encodeURIComponent(key)}`, { status });
  }

  deleteUserKey(name: string, key: string): Promise<IamUserDetail> {
    return this.call("DELETE", `iam/users/${encodeURIComponent(name)}/keys/${encodeURIComponent(key)}`);
  }

  async userPolicy(name: string, policy: string): Promise<string> {
    const route = `iam/users/${encodeURIComponent(name)}/policies/${encodeURIComponent(policy)}`;
    return (await this.call<{ document: string }>("GET", route)).document;
  }

  putUserPolicy(name: string, policy: string, document: string): Promise<IamUserDetail> {
    const route = `iam/users/${encodeURIComponent(name)}/policies/${encodeURIComponent(policy)}`;
    return this.call("PUT", route, { document });
  }

  deleteUserPolicy(name: string, policy: string): Promise<IamUserDetail> {
    const route = `iam/users/${encodeURIComponent(name)}/policies/${encodeURIComponent(policy)}`;
    return this.call("DELETE", route);
  }

  attachUserPolicy(name: string, arn: string): Promise<IamUserDetail> {
    return this.call("POST", `iam/users/${encodeURIComponent(name)}/attached`, { arn });
  }

  detachUserPolicy(name: string, arn: string): Promise<IamUserDetail> {
    const query = new URLSearchParams({ arn });
    return this.call("DELETE", `iam/users/${encodeURIComponent(name)}/attached?${query}`);
  }

  addUserToGroup(name: string, group: string): Promise<IamUserDetail> {
    return this.call("PUT", `iam/users/${encodeURIComponent(name)}/groups/${encodeURIComponent(group)}`);
  }

  removeUserFromGroup(name: string, group: string): Promise<IamUserDetail> {
    return this.call("DELETE", `iam/users/${encodeURIComponent(name)}/groups/${encodeURIComponent(group)}`);
  }

  async groups(): Promise<{ name: string; arn: string }[]> {
    return (await this.call<{ groups: { name: string; arn: string }[] }>("GET", "iam/groups")).groups;
  }

  createGroup(name: string): Promise<unknown> {
    return this.call("POST", "iam/groups", { name });
  }

  async managedPolicies(): Promise<ManagedPolicy[]> {
    return (await this.call<{ policies: ManagedPolicy[] }>("GET", "iam/policies")).policies;
  }

  managedPolicy(name: string): Promise<ManagedPolicy> {
    return this.call("GET", `iam/policies/${encodeURIComponent(name)}`);
  }

  createManagedPolicy(name: string, document: string, description = ""): Promise<ManagedPolicy> {
    return this.call("POST", "iam/policies", { name, document, description });
  }

  deleteManagedPolicy(name: string): Promise<unknown> {
    return this.call("DELETE", `iam/policies/${encodeURIComponent(name)}`);
  }

  // The roles, and the account a trust policy names.
  roles(): Promise<{ roles: RoleSummary[]; accountId: string }> {
    return this.call("GET", "iam/roles");
  }

  role(name: string): Promise<RoleDetail> {
    return this.call("GET", `iam/roles/${encodeURIComponent(name)}`);
  }

  createRole(name: string, trustPolicy: string, description = ""): Promise<RoleDetail> {
    return this.call("POST", "iam/roles", { name, trustPolicy, description });
  }

  // `force`: remove its policies first (else DeleteConflict).
  deleteRole(name: string, force = false): Promise<unknown> {
    return this.call("DELETE", `iam/roles/${encodeURIComponent(name)}${force ? "?force=true" : ""}`);
  }

  async rolePolicy(role: string, policy: string): Promise<string> {
    const route = `iam/roles/${encodeURIComponent(role)}/policies/${encodeURIComponent(policy)}`;
    return (await this.call<{ document: string }>("GET", route)).document;
  }

  putRolePolicy(role: string, policy: string, document: string): Promise<RoleDetail> {
    const route = `iam/roles/${encodeURIComponent(role)}/policies/${encodeURIComponent(policy)}`;
    return this.call("PUT", route, { document });
  }

  deleteRolePolicy(role: string, policy: string): Promise<RoleDetail> {
    const route = `iam/roles/${encodeURIComponent(role)}/policies/${encodeURIComponent(policy)}`;
    return this.call("DELETE", route);
  }

  ownKeys(): Promise<OwnKeys> {
    return this.call("GET", "keys");
  }

  createOwnKey(): Promise<NewAccessKey> {
    return this.call("POST", "keys");
  }

  setOwnKeyStatus(key: string, status: AccessKeySummary["status"]): Promise<OwnKeys> {
    return this.call("PUT", `keys/${encodeURIComponent(key)}`, { status });
  }

  deleteOwnKey(key: string): Promise<OwnKeys> {
    return this.call("DELETE", `keys/${encodeURIComponent(key)}`);
  }

  // --- A bucket's Permissions panel -----------------------------------------------------

  bucketAccess(bucket: string): Promise<BucketAccess> {
    return this.call("GET", `buckets/${encodeURIComponent(bucket)}/access`);
  }

  putBucketPolicy(bucket: string, document: string): Promise<BucketAccess> {
    return this.call("PUT", `buckets/${encodeURIComponent(bucket)}/policy`, { document });
  }

  deleteBucketPolicy(bucket: string): Promise<BucketAccess> {
    return this.call("DELETE", `buckets/${encodeURIComponent(bucket)}/policy`);
  }

  putPublicAccessBlock(bucket: string, block: PublicAccessBlock): Promise<BucketAccess> {
    return this.call("PUT", `buckets/${encodeURIComponent(bucket)}/public-access-block`, block);
  }

  deletePublicAccessBlock(bucket: string): Promise<BucketAccess> {
    return this.call("DELETE", `buckets/${encodeURIComponent(bucket)}/public-access-block`);
  }

  bucketUsage(bucket: string): Promise<BucketUsage> {
    return this.call("GET", `buckets/${encodeURIComponent(bucket)}/usage`);
  }

  // --- The account-wide Block Public Access (root) ------------------------------------------

  async accountPublicAccessBlock(): Promise<PublicAccessBlock | null> {
    return (await this.call<{ account: PublicAccessBlock | null }>(
      "GET", "account/public-access-block")).account;
  }

  async putAccountPublicAccessBlock(block: PublicAccessBlock): Promise<PublicAccessBlock | null> {
    return (await this.call<{ account: PublicAccessBlock | null }>(
      "PUT", "account/public-access-block", block)).account;
  }

  async deleteAccountPublicAccessBlock(): Promise<PublicAccessBlock | null> {
    return (await this.call<{ account: PublicAccessBlock | null }>(
      "DELETE", "account/public-access-block")).account;
  }

  async buckets(): Promise<BucketSummary[]> {
    return (await this.call<{ buckets: BucketSummary[] }>("GET", "buckets")).buckets;
  }

  createBucket(name: string): Promise<unknown> {
    return this.call("POST", "buckets", { name });
  }

  setVersioning(name: string, status: "Enabled" | "Suspended"): Promise<unknown> {
    return this.call("PUT", `buckets/${encodeURIComponent(name)}/versioning`, { status });
  }

  deleteBucket(name: string): Promise<unknown> {
    return this.call("DELETE", `buckets/${encodeURIComponent(name)}`);
  }

  eventRules(bucket: string): Promise<EventSetup> {
    return this.call("GET", `buckets/${encodeURIComponent(bucket)}/notifications`);
  }

  // Adds the rule, or replaces the one with its id.
  putEventRule(bucket: string, rule: Omit<EventRule, "arn">): Promise<EventSetup> {
    return this.call("PUT", `buckets/${encodeURIComponent(bucket)}/notifications`, rule);
  }

  deleteEventRule(bucket: string, id: string): Promise<EventSetup> {
    const query = new URLSearchParams({ id });
    return this.call("DELETE", `buckets/${encodeURIComponent(bucket)}/notifications?${query}`);
  }

  backupRules(bucket: string): Promise<BackupSetup> {
    return this.call("GET", `buckets/${encodeURIComponent(bucket)}/backup`);
  }

  // Turns versioning on for the bucket (and a destination bucket on this server), then adds
  // the rule.
  addBackupRule(bucket: string, rule: NewBackupRule): Promise<BackupSetup> {
    return this.call("POST", `buckets/${encodeURIComponent(bucket)}/backup`, rule);
  }

  deleteBackupRule(bucket: string, id: string): Promise<BackupSetup> {
    const query = new URLSearchParams({ id });
    return this.call("DELETE", `buckets/${encodeURIComponent(bucket)}/backup?${query}`);
  }

  folder(bucket: string, prefix: string, options: FolderQuery = {}): Promise<FolderPage> {
    const query = new URLSearchParams({ bucket, prefix });
    if (options.after) query.set("after", options.after);
    if (options.search) query.set("search", options.search);
    if (options.sort && options.sort !== "name") query.set("sort", options.sort);
    if (options.order === "desc") query.set("order", "desc");
    if (options.limit) query.set("limit", String(options.limit));
    if (options.deleted) query.set("deleted", "true");
    return this.call<FolderPage>("GET", `objects?${query}`);
  }

  createFolder(bucket: string, prefix: string): Promise<unknown> {
    return this.call("POST", "folders", { bucket, prefix });
  }

  // Deletes up to 1000 objects under the folder; call again while `more`.
  deleteFolder(bucket: string, prefix: string): Promise<{ deleted: number; more: boolean }> {
    return this.call("POST", "folders/delete", { bucket, prefix });
  }

  deleteObjects(
    bucket: string,
    keys: string[],
  ): Promise<{ deleted: string[]; failed: { key: string; message: string }[] }> {
    return this.call("POST", "delete", { bucket, keys });
  }

  rename(bucket: string, from: string, to: string): Promise<{ key: string; etag: string }> {
    return this.call("POST", "rename", { bucket, from, to });
  }

  details(bucket: string, key: string): Promise<ObjectDetails | DeletedObjectDetails> {
    return this.call<ObjectDetails | DeletedObjectDetails>("GET", `object?${new URLSearchParams({ bucket, key })}`);
  }

  restoreVersion(bucket: string, key: string, versionId: string): Promise<unknown> {
    return this.call("POST", "versions/restore", { bucket, key, versionId });
  }

  // A pre-signed GET of the object on the S3 endpoint, usable without a session.
  linkTo(bucket: string, key: string, options: GetLinkOptions = {}): Promise<SignedUrl> {
    return this.call<SignedUrl>("POST", "presign", { bucket, key, method: "GET", ...options });
  }

  signUpload(bucket: string, request: UploadRequest): Promise<{ url: string }> {
    return this.call("POST", "uploads/sign", { bucket, ...request });
  }

  // The address of a server-made thumbnail (the session cookie authorises it). With the
  // object's ETag the address names one version, which the browser may then keep for good.
  thumbnailUrl(bucket: string, key: string, size: 128 | 256 | 512 = 256, etag = ""): string {
    const query = new URLSearchParams({ bucket, key, size: String(size) });
    if (etag) query.set("etag", etag);
    return `${this.base}thumbnail?${query}`;
  }
}

// "1.5 MiB" and the like, for people.
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

// The last segment of a key or folder prefix, as shown in a listing.
export function displayName(keyOrPrefix: string, parent: string): string {
  return keyOrPrefix.slice(parent.length);
}
