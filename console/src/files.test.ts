import { describe, expect, it } from "vitest";

import {
  describeLifetime,
  extensionOf,
  folderNameProblem,
  hasThumbnail,
  kindOf,
  renamedKey,
  shareLifetimes,
  uploadKey,
} from "./files";
import { formatPlace, parsePlace } from "./location";
import { partSize } from "./Uploader";

describe("kinds of files", () => {
  it("come from the content type first, then the extension", () => {
    expect(kindOf("a/b.JPG")).toBe("image");
    expect(kindOf("clip.webm")).toBe("video");
    expect(kindOf("notes")).toBe("other");
    expect(kindOf("notes", "text/plain; charset=utf-8")).toBe("text");
    expect(kindOf("x.bin", "application/pdf")).toBe("pdf");
    expect(kindOf("dir.v2/readme")).toBe("other");
    expect(extensionOf(".bashrc")).toBe("");
    expect(extensionOf("a/archive.tar.GZ")).toBe("gz");
  });
  it("have server thumbnails for raster images only", () => {
    expect(hasThumbnail("p/cat.png")).toBe(true);
    expect(hasThumbnail("logo.svg")).toBe(false);
    expect(hasThumbnail("doc.pdf")).toBe(false);
  });
});

describe("upload keys", () => {
  it("put files in the folder being viewed, keeping a dropped folder's paths", () => {
    expect(uploadKey("photos/", "cat.jpg")).toBe("photos/cat.jpg");
    expect(uploadKey("photos/", "cat.jpg", "trip/day 1/cat.jpg")).toBe("photos/trip/day 1/cat.jpg");
    expect(uploadKey("", "cat.jpg", "/trip/cat.jpg")).toBe("trip/cat.jpg");
    expect(uploadKey("", "cat.jpg", "./trip/cat.jpg")).toBe("trip/cat.jpg");
    // ".." is not resolved here: the server refuses such keys with a message.
    expect(uploadKey("a/", "x", "../x")).toBe("a/../x");
  });
});

describe("names a person types", () => {
  it("are checked as folder names", () => {
    expect(folderNameProblem("")).toMatch(/name/);
    expect(folderNameProblem("a/b")).toMatch(/“\/”/);
    expect(folderNameProblem("..")).not.toBe("");
    expect(folderNameProblem("ü".repeat(300))).toMatch(/too long/);
    expect(folderNameProblem("<script>")).toBe("");
  });
  it("rename within the folder, or move with a path", () => {
    expect(renamedKey("a/b/c.txt", "d.txt")).toBe("a/b/d.txt");
    expect(renamedKey("a/b/c.txt", " x/y.txt ")).toBe("x/y.txt");
    expect(renamedKey("c.txt", "/top/c.txt")).toBe("top/c.txt");
  });
});

describe("share links", () => {
  it("last from minutes to the seven days S3 allows", () => {
    const seconds = shareLifetimes.map((l) => l.seconds);
    expect(Math.min(...seconds)).toBeGreaterThanOrEqual(60);
    expect(Math.max(...seconds)).toBe(7 * 24 * 3600);
    expect(describeLifetime(7 * 24 * 3600)).toBe("7 days");
    expect(describeLifetime(3600)).toBe("1 hour");
    expect(describeLifetime(90)).toBe("90 seconds");
  });
});

describe("multipart part sizes", () => {
  it("are at least 8 MiB and never need more than 10,000 parts", () => {
    expect(partSize(1)).toBe(8 * 1024 * 1024);
    const big = 5 * 1024 ** 4;
    expect(Math.ceil(big / partSize(big))).toBeLessThanOrEqual(10000);
  });
});

describe("places in the address", () => {
  it("round-trip buckets and folders with any characters", () => {
    for (const place of [
      { bucket: null, prefix: "" },
      { bucket: "photos", prefix: "" },
      { bucket: "photos", prefix: "2026/été & co/#1/" },
    ]) {
      expect(parsePlace(formatPlace(place))).toEqual(place);
    }
    expect(parsePlace("#/b/photos/%E0%A4%A/")).toEqual({ bucket: "photos", prefix: "" });
    expect(parsePlace("")).toEqual({ bucket: null, prefix: "" });
  });
  it("round-trip the Users (with a user), Policies and My access keys pages", () => {
    for (const place of [
      { bucket: null, prefix: "", page: "users" as const, user: undefined },
      { bucket: null, prefix: "", page: "users" as const, user: "ann+ops@example.com" },
      { bucket: null, prefix: "", page: "policies" as const },
      { bucket: null, prefix: "", page: "keys" as const },
    ]) {
      expect(parsePlace(formatPlace(place))).toEqual(place);
    }
    expect(formatPlace({ bucket: null, prefix: "", page: "users", user: "a/b" })).toBe("#/users/a%2Fb");
    expect(parsePlace("#/users/%E0%A4%A")).toEqual({ bucket: null, prefix: "", page: "users" });
  });
});
