import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateSync } from "node:zlib";

import { Page, expect, test as base } from "@playwright/test";

// What every console test needs: the server global-setup.ts started, and a page that fails
// the test on any script error or alert (so markup that runs is caught).
export const test = base.extend<{ server: Server; watched: Page }>({
  server: async ({}, use) => {
    await use({
      url: process.env.CLOUDVAULT_URL!,
      accessKey: process.env.CLOUDVAULT_ACCESS_KEY!,
      secretKey: process.env.CLOUDVAULT_SECRET_KEY!,
    });
  },
  watched: async ({ page }, use) => {
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("dialog", async (dialog) => {
      problems.push(`unexpected ${dialog.type()}: ${dialog.message()}`);
      return dialog.dismiss();
    });
    page.on("console", (message) => {
      if (message.type() === "error" && /Content Security Policy/.test(message.text())) {
        problems.push(`CSP violation: ${message.text()}`);
      }
    });
    await use(page);
    expect(problems).toEqual([]);
  },
});
export { expect };

export interface Server {
  url: string;
  accessKey: string;
  secretKey: string;
}

export async function signIn(page: Page, server: Server) {
  await page.goto(server.url + "/");
  await page.getByLabel("Access key").fill(server.accessKey);
  await page.getByLabel("Secret key").fill(server.secretKey);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Buckets" })).toBeVisible();
}

// Stores an object by asking the console API for a pre-signed PUT, as the page does.
export async function putThroughApi(
  page: Page,
  server: Server,
  bucket: string,
  key: string,
  body: string | Buffer,
  contentType = "application/octet-stream",
) {
  const csrf = await csrfToken(page, server);
  const signed = await page.request.post(`${server.url}/_console/api/presign`, {
    headers: { "X-CSRF-Token": csrf },
    data: { bucket, key, method: "PUT" },
  });
  expect(signed.status(), await signed.text()).toBe(200);
  const stored = await page.request.put((await signed.json()).url, {
    data: body,
    headers: { "Content-Type": contentType },
  });
  expect(stored.status()).toBe(200);
}

export async function csrfToken(page: Page, server: Server): Promise<string> {
  return (await (await page.request.get(`${server.url}/_console/api/session`)).json()).csrfToken;
}

export function md5(data: Buffer): string {
  return createHash("md5").update(data).digest("hex");
}

// A PNG of width x height with a colour gradient (so each image and thumbnail differs).
export function png(width: number, height: number, hue: number): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    raw[row] = 0;
    for (let x = 0; x < width; x++) {
      raw[row + 1 + x * 3] = (x * 255) / width;
      raw[row + 2 + x * 3] = (y * 255) / height;
      raw[row + 3 + x * 3] = hue;
    }
  }
  const chunk = (type: string, body: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(body.length);
    const typed = Buffer.concat([Buffer.from(type, "ascii"), body]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([length, typed, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(2, 9); // truecolour
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function crc32(data: Buffer): number {
  let crc = ~0;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

// A folder of files to upload: three loose files and a folder "trip" with two inside.
export function uploadFixtures() {
  const root = mkdtempSync(join(tmpdir(), "cloudvault-e2e-files-"));
  const files = {
    "sunset.png": png(640, 400, 40),
    "forest.png": png(400, 640, 200),
    "notes.txt": Buffer.from("Packing list:\n- camera <b>not bold</b>\n- café & crème\n"),
  };
  const loose: string[] = [];
  for (const [name, data] of Object.entries(files)) {
    writeFileSync(join(root, name), data);
    loose.push(join(root, name));
  }
  const folder = join(root, "trip");
  mkdirSync(folder);
  writeFileSync(join(folder, "beach.png"), png(320, 240, 120));
  writeFileSync(join(folder, "itinerary.md"), "# Day 1\nSwim.\n");
  return { root, loose, folder, files };
}
