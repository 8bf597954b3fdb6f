import { describe, expect, it } from "vitest";

import { ApiError, ConsoleApi, displayName, formatBytes } from "./api";

// A fetch that records requests and answers from a script.
function scripted(answers: { status: number; body?: unknown }[]) {
  const sent: { url: string; init?: RequestInit }[] = [];
  const fetchImpl = async (url: string, init?: RequestInit) => {
    sent.push({ url, init });
    const next = answers.shift() ?? { status: 500 };
    return new Response(next.body === undefined ? "" : JSON.stringify(next.body), {
      status: next.status,
    });
  };
  return { sent, fetchImpl };
}

describe("ConsoleApi", () => {
  it("sends the CSRF token it got at sign-in on state changes only", async () => {
    const { sent, fetchImpl } = scripted([
      { status: 201, body: { accessKeyId: "AK", userId: "u", csrfToken: "tok" } },
      { status: 201, body: { name: "photos" } },
      { status: 200, body: { buckets: [] } },
    ]);
    const api = new ConsoleApi(fetchImpl);
    await api.signIn("AK", "secret");
    await api.createBucket("photos");
    await api.buckets();
    const headers = (i: number) => sent[i].init?.headers as Record<string, string>;
    expect(headers(0)["X-CSRF-Token"]).toBeUndefined();
    expect(headers(1)["X-CSRF-Token"]).toBe("tok");
    expect(headers(2)["X-CSRF-Token"]).toBeUndefined();
    expect(sent[1].url).toBe("/_console/api/buckets");
    expect(JSON.parse(String(sent[1].init?.body))).toEqual({ name: "photos" });
  });

  it("turns error bodies into ApiError with the server's code and message", async () => {
    const { fetchImpl } = scripted([
      { status: 401, body: { error: { code: "InvalidCredentials", message: "Check both." } } },
    ]);
    const api = new ConsoleApi(fetchImpl);
    await expect(api.signIn("AK", "wrong")).rejects.toMatchObject({
      status: 401,
      code: "InvalidCredentials",
      message: "Check both.",
    });
  });

  it("resumes a session, or answers null when signed out", async () => {
    const { fetchImpl } = scripted([
      { status: 401, body: { error: { code: "SignInRequired", message: "Sign in." } } },
    ]);
    expect(await new ConsoleApi(fetchImpl).resume()).toBeNull();
    const other = scripted([{ status: 500, body: { error: { code: "InternalError", message: "x" } } }]);
    await expect(new ConsoleApi(other.fetchImpl).resume()).rejects.toBeInstanceOf(ApiError);
  });

  it("reports a session that ended on the server, but not a failed sign-in", async () => {
    const { fetchImpl } = scripted([
      { status: 401, body: { error: { code: "InvalidCredentials", message: "No." } } },
      { status: 401, body: { error: { code: "SignInRequired", message: "Sign in." } } },
    ]);
    const api = new ConsoleApi(fetchImpl);
    let ended = 0;
    api.onSessionEnded = () => (ended += 1);
    await expect(api.signIn("AK", "wrong")).rejects.toBeInstanceOf(ApiError);
    expect(ended).toBe(0);
    await expect(api.buckets()).rejects.toMatchObject({ status: 401, code: "SignInRequired" });
    expect(ended).toBe(1);
  });

  it("encodes folder queries", async () => {
    const { sent, fetchImpl } = scripted([
      { status: 200, body: { bucket: "b", prefix: "a b/", folders: [], objects: [], next: null } },
    ]);
    await new ConsoleApi(fetchImpl).folder("b", "a b/&x", { after: "a b/z" });
    expect(sent[0].url).toBe("/_console/api/objects?bucket=b&prefix=a+b%2F%26x&after=a+b%2Fz");
  });

  it("sends search, sort and order only when they differ from the defaults", async () => {
    const { sent, fetchImpl } = scripted([
      { status: 200, body: { folders: [], objects: [], next: null } },
      { status: 200, body: { folders: [], objects: [], next: null } },
    ]);
    const api = new ConsoleApi(fetchImpl);
    await api.folder("b", "", { sort: "name", order: "asc" });
    await api.folder("b", "p/", { search: "café", sort: "size", order: "desc", limit: 50 });
    expect(sent[0].url).toBe("/_console/api/objects?bucket=b&prefix=");
    expect(sent[1].url).toBe(
      "/_console/api/objects?bucket=b&prefix=p%2F&search=caf%C3%A9&sort=size&order=desc&limit=50",
    );
  });

  it("signs the S3 requests of an upload and GET links through the API", async () => {
    const { sent, fetchImpl } = scripted([
      { status: 201, body: { accessKeyId: "AK", userId: "u", csrfToken: "tok" } },
      { status: 200, body: { url: "http://s3/part" } },
      { status: 200, body: { url: "http://s3/get", expiresSeconds: 60 } },
    ]);
    const api = new ConsoleApi(fetchImpl);
    await api.signIn("AK", "secret");
    expect(
      await api.signUpload("b", { method: "PUT", key: "k", uploadId: "u1", partNumber: 2 }),
    ).toEqual({ url: "http://s3/part" });
    await api.linkTo("b", "k", { download: true, versionId: "v1" });
    expect(sent[1].url).toBe("/_console/api/uploads/sign");
    expect(JSON.parse(String(sent[1].init?.body))).toEqual({
      bucket: "b",
      method: "PUT",
      key: "k",
      uploadId: "u1",
      partNumber: 2,
    });
    expect(JSON.parse(String(sent[2].init?.body))).toEqual({
      bucket: "b",
      key: "k",
      method: "GET",
      download: true,
      versionId: "v1",
    });
    expect((sent[2].init?.headers as Record<string, string>)["X-CSRF-Token"]).toBe("tok");
  });

  it("addresses thumbnails with every part escaped", () => {
    expect(new ConsoleApi().thumbnailUrl("b", "a/<b>&c.jpg", 128)).toBe(
      "/_console/api/thumbnail?bucket=b&key=a%2F%3Cb%3E%26c.jpg&size=128",
    );
  });
});

describe("formatting", () => {
  it("shows sizes for people", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1023)).toBe("1023 B");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(5 * 1024 * 1024 * 1024)).toBe("5.0 GiB");
  });
  it("names entries relative to their folder", () => {
    expect(displayName("photos/2026/cat.jpg", "photos/2026/")).toBe("cat.jpg");
    expect(displayName("photos/2026/", "photos/")).toBe("2026/");
  });
});
