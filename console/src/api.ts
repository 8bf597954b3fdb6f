// The console API client (docs/CONSOLE_API.md): JSON in and out, the session cookie sent by
// the browser, the CSRF token on every state-changing request, errors as ApiError.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Session {
  accessKeyId: string;
  userId: string;
  csrfToken: string;
}

export interface BucketSummary {
  name: string;
  created: string;
  objects: number;
  bytes: number;
}

export interface FolderPage {
  bucket: string;
  prefix: string;
  folders: { prefix: string }[];
  objects: { key: string; size: number; modified: string; etag: string; storageClass: string }[];
  next: string | null;
}

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export class ConsoleApi {
  private csrfToken = "";

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
      throw new ApiError(
        response.status,
        error.code ?? "Unknown",
        error.message ?? `The server answered ${response.status}.`,
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

  async buckets(): Promise<BucketSummary[]> {
    return (await this.call<{ buckets: BucketSummary[] }>("GET", "buckets")).buckets;
  }

  createBucket(name: string): Promise<unknown> {
    return this.call("POST", "buckets", { name });
  }

  folder(bucket: string, prefix: string, after = ""): Promise<FolderPage> {
    const query = new URLSearchParams({ bucket, prefix, after });
    return this.call<FolderPage>("GET", `objects?${query}`);
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
