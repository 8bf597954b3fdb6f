import { createHash, randomFillSync } from "node:crypto";
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { Page } from "@playwright/test";

import { Server, csrfToken, expect, putThroughApi, signIn, test } from "./fixtures";

const shots = fileURLToPath(new URL("../../docs/screenshots", import.meta.url));

// Creates a bucket through the page's own API client session and opens it.
async function openNewBucket(page: Page, server: Server, prefix: string): Promise<string> {
  const bucket = `${prefix}-${Date.now()}`;
  await signIn(page, server);
  await page.getByLabel("New bucket name").fill(bucket);
  await page.getByRole("button", { name: "Create bucket" }).click();
  await page.getByRole("button", { name: bucket, exact: true }).click();
  await expect(page.getByText("This folder is empty.")).toBeVisible();
  return bucket;
}

// Writes `parts` random parts of 8 MiB (the page's part size) to `path`; returns the ETag S3
// gives that multipart upload: the MD5 of the parts' MD5s, then "-<parts>".
function writeRandomParts(path: string, parts: number): string {
  const part = Buffer.alloc(8 * 1024 * 1024);
  const digests: Buffer[] = [];
  const file = openSync(path, "w");
  for (let i = 0; i < parts; i++) {
    randomFillSync(part);
    writeSync(file, part);
    digests.push(createHash("md5").update(part).digest());
  }
  closeSync(file);
  return `${createHash("md5").update(Buffer.concat(digests)).digest("hex")}-${parts}`;
}

async function uploadFiles(page: Page, paths: string[]) {
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  const dialog = page.getByRole("dialog");
  await dialog.locator("input[type=file]:not([webkitdirectory])").first().setInputFiles(paths);
  await dialog.getByRole("button", { name: /^Upload \d+ files?$/ }).click();
  await expect(dialog.locator(".uppy-StatusBar.is-complete")).toBeVisible({ timeout: 150_000 });
  await dialog.getByRole("button", { name: "Close" }).click();
}

test("files dropped on the upload dialog go up", async ({ watched: page, server }) => {
  await openNewBucket(page, server, "dropped");
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  const dialog = page.getByRole("dialog");
  // What a drag from the desktop hands the page: a DataTransfer holding the files.
  const dropped = await page.evaluateHandle(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(["first dropped file\n"], "dropped-1.txt", { type: "text/plain" }));
    transfer.items.add(new File(["second\n"], "dropped-2.txt", { type: "text/plain" }));
    return transfer;
  });
  const target = dialog.locator(".uppy-Dashboard-inner");
  await target.dispatchEvent("dragenter", { dataTransfer: dropped });
  await target.dispatchEvent("dragover", { dataTransfer: dropped });
  await target.dispatchEvent("drop", { dataTransfer: dropped });
  await dialog.getByRole("button", { name: /^Upload 2 files$/ }).click();
  await expect(dialog.locator(".uppy-StatusBar.is-complete")).toBeVisible();
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(page.getByRole("button", { name: "dropped-1.txt", exact: true })).toBeVisible();
  await page.getByRole("button", { name: "dropped-2.txt", exact: true }).click();
  await expect(page.getByLabel("Text of dropped-2.txt")).toHaveText("second\n");
});

test("hostile names are shown as text and never escape the bucket", async ({ watched: page, server }) => {
  const bucket = await openNewBucket(page, server, "names");
  const names = [
    `<img src=x onerror=alert(1)>.txt`,
    `"quoted" & 'single' <b>bold.txt`,
    `日本語 – ünïcödé ✓.txt`,
    `${"long-name-".repeat(90)}.txt`,
  ];
  for (const name of names) await putThroughApi(page, server, bucket, name, `content of ${name}`);
  await page.reload();
  for (const name of names) {
    await expect(page.getByRole("button", { name, exact: true })).toBeVisible();
  }
  await expect(page.locator("img[src='x']")).toHaveCount(0);
  await expect(page.locator("b", { hasText: "bold" })).toHaveCount(0);

  // ".." never resolves: the server refuses such keys, the page shows why.
  const csrf = await csrfToken(page, server);
  for (const key of ["../escape.txt", "a/../../escape.txt", "a/./b.txt"]) {
    const refused = await page.request.post(`${server.url}/_console/api/presign`, {
      headers: { "X-CSRF-Token": csrf },
      data: { bucket, key, method: "PUT" },
    });
    expect(refused.status(), key).toBe(400);
    expect((await refused.json()).error.message.length).toBeGreaterThan(10);
  }
  await page.getByRole("button", { name: "New folder" }).click();
  await page.getByLabel("Folder name").fill("..");
  await page.getByRole("button", { name: "Create folder" }).click();
  await expect(page.getByRole("dialog").getByRole("alert")).toContainText("not folder names");
  await page.getByLabel("Folder name").fill("été <script>");
  await page.getByRole("button", { name: "Create folder" }).click();
  await expect(page.getByRole("navigation", { name: "Breadcrumbs" })).toContainText("été <script>");
  await expect(page.getByText("This folder is empty.")).toBeVisible();

  // Search within the folder by part of a name, in any case.
  await page.getByRole("navigation", { name: "Breadcrumbs" }).getByRole("button", { name: bucket }).click();
  await page.getByLabel("Search in this folder").fill("ÜNÏ");
  await expect(page.getByRole("button", { name: names[2], exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: names[0], exact: true })).toHaveCount(0);
});

test("versions: turn versioning on, replace a file, restore the old version", async ({
  watched: page,
  server,
}) => {
  const bucket = await openNewBucket(page, server, "versions");
  await page.getByRole("button", { name: "Buckets", exact: true }).click();
  await page.getByRole("button", { name: `Turn on versioning of ${bucket}` }).click();
  await expect(page.getByRole("button", { name: `Suspend versioning of ${bucket}` })).toBeVisible();
  await page.getByRole("button", { name: bucket, exact: true }).click();

  const first = mkdtempSync(join(tmpdir(), "cv-v1-"));
  const second = mkdtempSync(join(tmpdir(), "cv-v2-"));
  writeFileSync(join(first, "plan.txt"), "first draft\n");
  writeFileSync(join(second, "plan.txt"), "second draft, much longer\n");
  await uploadFiles(page, [join(first, "plan.txt")]);
  await uploadFiles(page, [join(second, "plan.txt")]);

  await page.getByRole("button", { name: "Details of plan.txt" }).click();
  const details = page.getByRole("dialog", { name: "Details" });
  const versions = details.getByRole("row");
  await expect(versions).toHaveCount(3); // a header and two versions
  await expect(versions.nth(1)).toContainText("(current)");
  await page.screenshot({ path: join(shots, "versions.png") });
  await versions.nth(2).getByRole("button", { name: "Restore" }).click();
  await expect(details.getByRole("status")).toHaveText("That version is the current one again.");
  await expect(versions).toHaveCount(4);
  await details.getByRole("button", { name: "Close" }).click();

  await page.getByRole("button", { name: "plan.txt", exact: true }).click();
  await expect(page.getByLabel("Text of plan.txt")).toHaveText("first draft\n");
  await page.keyboard.press("Escape");

  // A delete leaves a delete marker: the deleted file is found and brought back.
  await page.getByRole("button", { name: "Delete plan.txt" }).click();
  await page.getByRole("dialog", { name: "Delete" }).getByRole("button", { name: "Delete", exact: true }).click();
  await expect(page.getByText("This folder is empty.")).toBeVisible();
  await page.getByLabel("Show deleted").check();
  await page.getByRole("button", { name: "Versions of plan.txt" }).click();
  const deleted = page.getByRole("dialog", { name: "Details" });
  await expect(deleted.getByText("is deleted")).toBeVisible();
  await expect(deleted.getByText("delete marker")).toBeVisible();
  await deleted.getByRole("row").nth(2).getByRole("button", { name: "Restore" }).click();
  await expect(deleted.getByRole("status")).toHaveText("That version is the current one again.");
  await deleted.getByRole("button", { name: "Close" }).click();
  await page.getByLabel("Show deleted").uncheck();
  await page.getByRole("button", { name: "plan.txt", exact: true }).click();
  await expect(page.getByLabel("Text of plan.txt")).toHaveText("first draft\n");
});

test("a failed upload says why, and can be retried once the cause is gone", async ({
  watched: page,
  server,
}) => {
  const bucket = await openNewBucket(page, server, "failing");
  const folder = mkdtempSync(join(tmpdir(), "cv-fail-"));
  writeFileSync(join(folder, "report.txt"), "quarterly numbers\n");
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  const dialog = page.getByRole("dialog");
  await dialog.locator("input[type=file]:not([webkitdirectory])").first().setInputFiles(join(folder, "report.txt"));
  // The bucket goes away before the upload starts: signing its requests is refused.
  const csrf = await csrfToken(page, server);
  const removed = await page.request.delete(`${server.url}/_console/api/buckets/${bucket}`, {
    headers: { "X-CSRF-Token": csrf },
  });
  expect(removed.status()).toBe(204);
  await dialog.getByRole("button", { name: /^Upload 1 file$/ }).click();
  await expect(dialog.locator(".upload-failures")).toContainText("report.txt: That bucket does not exist.");
  await page.screenshot({ path: join(shots, "upload-failed.png") });
  // Bring the bucket back and retry from the same dialog.
  const created = await page.request.post(`${server.url}/_console/api/buckets`, {
    headers: { "X-CSRF-Token": csrf },
    data: { name: bucket },
  });
  expect(created.status()).toBe(201);
  await dialog.getByRole("button", { name: /Retry/ }).first().click();
  await expect(dialog.locator(".uppy-StatusBar.is-complete")).toBeVisible();
  await expect(dialog.locator(".upload-failures")).toHaveCount(0);
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(page.getByRole("button", { name: "report.txt", exact: true })).toBeVisible();
});

// One second of a 440 Hz tone as 8 kHz 16-bit mono PCM in a WAV container.
function wav(): Buffer {
  const rate = 8000;
  const samples = Buffer.alloc(rate * 2);
  for (let i = 0; i < rate; i++) samples.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate)), i * 2);
  const header = Buffer.alloc(44);
  header.write("RIFF", 0);
  header.writeUInt32LE(36 + samples.length, 4);
  header.write("WAVEfmt ", 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write("data", 36);
  header.writeUInt32LE(samples.length, 40);
  return Buffer.concat([header, samples]);
}

// A one-page PDF with a line of text (cross-reference offsets computed).
function pdf(): Buffer {
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    "<< /Length 44 >>\nstream\nBT /F1 18 Tf 40 100 Td (Hello PDF) Tj ET\nendstream",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let text = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(text));
    text += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(text);
  text += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) text += `${String(offset).padStart(10, "0")} 00000 n \n`;
  text += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(text, "latin1");
}

test("audio plays and a PDF opens in the preview", async ({ watched: page, server }) => {
  const bucket = await openNewBucket(page, server, "media");
  await putThroughApi(page, server, bucket, "tone.wav", wav(), "audio/wav");
  await putThroughApi(page, server, bucket, "hello.pdf", pdf(), "application/pdf");
  await page.reload();
  await page.getByRole("button", { name: "tone.wav", exact: true }).click();
  const audio = page.getByRole("dialog").locator("audio");
  await expect.poll(() => audio.evaluate((a) => (a as HTMLAudioElement).duration)).toBeCloseTo(1, 1);
  await page.keyboard.press("ArrowLeft"); // hello.pdf comes first in name order
  const frame = page.getByRole("dialog", { name: "hello.pdf" }).locator("iframe");
  const src = await frame.getAttribute("src");
  const response = await page.request.get(src!);
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toBe("application/pdf");
  expect(response.headers()["content-security-policy"]).toBeUndefined();
});

test("a session ended elsewhere brings back the sign-in form", async ({ watched: page, server }) => {
  const bucket = await openNewBucket(page, server, "expiry");
  await page.getByRole("button", { name: "Buckets", exact: true }).click();
  const csrf = await csrfToken(page, server);
  // The same session signed out from another tab.
  expect((await page.request.delete(`${server.url}/_console/api/session`, { headers: { "X-CSRF-Token": csrf } })).status()).toBe(204);
  await page.getByRole("button", { name: bucket, exact: true }).click();
  await expect(page.getByRole("form", { name: "Sign in" })).toBeVisible();
});

test("keyboard only, in a phone-sized window", async ({ watched: page, server }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(server.url + "/");
  await page.getByLabel("Access key").focus();
  await page.keyboard.type(server.accessKey);
  await page.keyboard.press("Tab");
  await page.keyboard.type(server.secretKey);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Buckets" })).toBeVisible();
  const bucket = `phone-${Date.now()}`;
  await page.getByLabel("New bucket name").focus();
  await page.keyboard.type(bucket);
  await page.keyboard.press("Enter");
  const open = page.getByRole("button", { name: bucket, exact: true });
  await open.focus();
  await page.keyboard.press("Enter");
  await putThroughApi(page, server, bucket, "notes/readme.txt", "hello from a phone");
  await page.reload();
  await page.getByRole("button", { name: "notes/", exact: true }).focus();
  await page.keyboard.press("Enter");
  const name = page.getByRole("button", { name: "readme.txt", exact: true });
  await name.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByLabel("Text of readme.txt")).toHaveText("hello from a phone");
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog")).toHaveCount(0);
  // Nothing is wider than the window.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: join(shots, "phone.png") });
});

test("a multipart upload pauses, and resumes to a whole file", async ({ watched: page, server }) => {
  const folder = mkdtempSync(join(tmpdir(), "cv-pause-"));
  const path = join(folder, "video.bin");
  const expectedEtag = writeRandomParts(path, 5);
  try {
    const bucket = await openNewBucket(page, server, "pausing");
    // Uploads throttled to 8 MiB/s so that there is time to pause between parts.
    const devtools = await page.context().newCDPSession(page);
    await devtools.send("Network.enable");
    await devtools.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 8 * 1024 * 1024,
    });
    await page.getByRole("button", { name: "Upload", exact: true }).click();
    const dialog = page.getByRole("dialog");
    await dialog.locator("input[type=file]:not([webkitdirectory])").first().setInputFiles(path);
    await dialog.getByRole("button", { name: /^Upload 1 file$/ }).click();
    await dialog.getByRole("button", { name: "Pause upload" }).click();
    await expect(dialog.getByRole("button", { name: "Resume upload" })).toBeVisible();
    await expect(dialog.getByText(/Paused/).first()).toBeVisible();
    const meanwhile = await page.request.get(
      `${server.url}/_console/api/object?bucket=${bucket}&key=video.bin`,
    );
    expect(meanwhile.status()).toBe(404); // nothing is stored until the upload completes
    await devtools.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    await dialog.getByRole("button", { name: "Resume upload" }).click();
    await expect(dialog.locator(".uppy-StatusBar.is-complete")).toBeVisible();
    const details = await page.request.get(
      `${server.url}/_console/api/object?bucket=${bucket}&key=video.bin`,
    );
    expect((await details.json()).etag).toBe(expectedEtag);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test("a 1 GiB file goes up in parts and arrives whole", async ({ watched: page, server }) => {
  test.setTimeout(600_000);
  const folder = mkdtempSync(join(tmpdir(), "cv-big-"));
  const path = join(folder, "disk-image.bin");
  const expectedEtag = writeRandomParts(path, 128);
  try {
    const bucket = await openNewBucket(page, server, "big");
    await uploadFiles(page, [path]);
    const details = await page.request.get(
      `${server.url}/_console/api/object?bucket=${bucket}&key=disk-image.bin`,
    );
    const body = await details.json();
    expect(body.size).toBe(1024 * 1024 * 1024);
    expect(body.etag).toBe(expectedEtag);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
