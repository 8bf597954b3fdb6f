import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { request } from "@playwright/test";

import { expect, md5, signIn, test, uploadFixtures } from "./fixtures";

// Screenshots for the README, rewritten by each run.
const shots = fileURLToPath(new URL("../../docs/screenshots", import.meta.url));

test("a person uploads, browses, previews, downloads, shares, deletes and signs out", async ({
  watched: page,
  server,
}) => {
  const fixtures = uploadFixtures();
  const bucket = `holiday-${Date.now()}`;

  await test.step("sign in and create a bucket", async () => {
    await page.goto(server.url + "/");
    await expect(page.getByRole("form", { name: "Sign in" })).toBeVisible();
    await page.screenshot({ path: join(shots, "sign-in.png") });
    await signIn(page, server);
    await page.getByLabel("New bucket name").fill(bucket);
    await page.getByRole("button", { name: "Create bucket" }).click();
    await expect(page.getByRole("button", { name: bucket, exact: true })).toBeVisible();
    await page.getByRole("button", { name: bucket, exact: true }).click();
    await expect(page.getByText("This folder is empty.")).toBeVisible();
  });

  await test.step("upload three files and a folder, and see every upload finish", async () => {
    await page.getByRole("button", { name: "Upload", exact: true }).click();
    const dialog = page.getByRole("dialog");
    // The folder picker's input (webkitdirectory), then "Add more" and the file picker's.
    await dialog.locator("input[type=file][webkitdirectory]").setInputFiles(fixtures.folder);
    await expect(dialog.getByRole("button", { name: /Upload 2 files/ })).toBeVisible();
    await dialog.getByRole("button", { name: /Add more/ }).click();
    await dialog.locator("input[type=file]:not([webkitdirectory])").first().setInputFiles(fixtures.loose);
    await expect(dialog.getByRole("button", { name: /Upload 5 files/ })).toBeVisible();
    await page.screenshot({ path: join(shots, "upload-ready.png") });
    await dialog.getByRole("button", { name: /Upload 5 files/ }).click();
    await expect(dialog.locator(".uppy-StatusBar.is-complete")).toBeVisible();
    await expect(dialog.getByText("Complete", { exact: true })).toBeVisible();
    await page.screenshot({ path: join(shots, "upload-complete.png") });
    await dialog.getByRole("button", { name: "Close" }).click();
    for (const name of ["sunset.png", "forest.png", "notes.txt"]) {
      await expect(page.getByRole("button", { name, exact: true })).toBeVisible();
    }
    await expect(page.getByRole("button", { name: "trip/", exact: true })).toBeVisible();
    await page.screenshot({ path: join(shots, "folder-list.png") });
  });

  await test.step("sort by size, type and date, either way", async () => {
    // Each row's name (its button's text after the type badge).
    const names = async () =>
      (await page.locator("table.listing tbody tr td:nth-child(2) button").allInnerTexts()).map(
        (text) => text.split("\n").pop()!.trim(),
      );
    const sortBy = page.getByLabel("Sort by");
    await sortBy.selectOption({ label: "Size" });
    await expect.poll(names).toEqual(["trip/", "notes.txt", "sunset.png", "forest.png"]);
    await page.getByRole("button", { name: /switch to descending/ }).click();
    await expect.poll(names).toEqual(["trip/", "forest.png", "sunset.png", "notes.txt"]);
    await page.getByRole("button", { name: /switch to ascending/ }).click();
    await sortBy.selectOption({ label: "Type" });
    await expect.poll(names).toEqual(["trip/", "forest.png", "sunset.png", "notes.txt"]);
    await sortBy.selectOption({ label: "Date" });
    await expect.poll(async () => (await names()).length).toBe(4);
    await sortBy.selectOption({ label: "Name" });
    await expect.poll(names).toEqual(["trip/", "forest.png", "notes.txt", "sunset.png"]);
  });

  await test.step("see server-made thumbnails in the gallery and page through the lightbox", async () => {
    await page.getByRole("button", { name: "Gallery" }).click();
    const thumbs = page.locator("img.thumb");
    await expect(thumbs).toHaveCount(2);
    await expect
      .poll(() => thumbs.evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).naturalWidth)))
      .toEqual([160, 256]); // forest 400x640 and sunset 640x400: longest side 256
    await page.screenshot({ path: join(shots, "gallery.png") });
    await page.getByRole("button", { name: "sunset.png", exact: true }).click();
    const lightbox = page.getByRole("dialog", { name: "sunset.png" });
    const image = lightbox.getByRole("img", { name: "sunset.png" });
    await expect.poll(() => image.evaluate((i) => (i as HTMLImageElement).naturalWidth)).toBe(640);
    await page.screenshot({ path: join(shots, "lightbox.png") });
    // In name order: forest.png, notes.txt, sunset.png; the lightbox wraps around.
    await page.keyboard.press("ArrowRight");
    await expect(page.getByRole("dialog", { name: "forest.png" })).toBeVisible();
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("ArrowLeft");
    await expect(page.getByRole("dialog", { name: "notes.txt" })).toBeVisible();
    await expect(page.getByLabel("Text of notes.txt")).toContainText("camera <b>not bold</b>");
    await page.keyboard.press("Escape");
    await expect(page.getByRole("dialog")).toHaveCount(0);
    await page.getByRole("button", { name: "List" }).click();
  });

  await test.step("download an object and get the same bytes", async () => {
    const downloading = page.waitForEvent("download");
    await page.getByRole("button", { name: "Download sunset.png" }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe("sunset.png");
    expect(md5(readFileSync(await download.path()))).toBe(md5(fixtures.files["sunset.png"]));
  });

  await test.step("share a link that works without a session", async () => {
    await page.getByRole("button", { name: "Share notes.txt" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Link lasts").selectOption({ label: "1 hour" });
    await dialog.getByRole("button", { name: "Create link" }).click();
    const link = await dialog.getByLabel("Share link").inputValue();
    expect(link).toContain("X-Amz-Expires=3600");
    await expect(dialog.getByRole("status")).toHaveText("This link works for 1 hour.");
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await dialog.getByRole("button", { name: "Copy" }).click();
    await expect(dialog.getByRole("status")).toHaveText("Copied to the clipboard.");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    await page.screenshot({ path: join(shots, "share.png") });
    const stranger = await request.newContext();
    const fetched = await stranger.get(link);
    expect(fetched.status()).toBe(200);
    expect(await fetched.body()).toEqual(fixtures.files["notes.txt"]);
    await stranger.dispose();
    await dialog.getByRole("button", { name: "Close" }).click();
  });

  await test.step("open a folder that came from a folder upload", async () => {
    await page.getByRole("button", { name: "trip/", exact: true }).click();
    await expect(page.getByRole("button", { name: "beach.png", exact: true })).toBeVisible();
    await expect(page.getByRole("button", { name: "itinerary.md", exact: true })).toBeVisible();
    await page.getByRole("navigation", { name: "Breadcrumbs" }).getByRole("button", { name: bucket }).click();
  });

  await test.step("rename an object, then move it into a folder", async () => {
    await page.getByRole("button", { name: "Rename forest.png" }).click();
    const dialog = page.getByRole("dialog", { name: "Rename or move" });
    await dialog.getByRole("textbox").fill("woods.png");
    await dialog.getByRole("button", { name: "Rename" }).click();
    await expect(page.getByRole("status")).toHaveText("Renamed to woods.png.");
    await expect(page.getByRole("button", { name: "forest.png", exact: true })).toHaveCount(0);
    await page.getByRole("button", { name: "Rename woods.png" }).click();
    await dialog.getByRole("textbox").fill("trip/woods.png");
    await expect(dialog.getByText("Becomes: trip/woods.png")).toBeVisible();
    await dialog.getByRole("button", { name: "Rename" }).click();
    await expect(page.getByRole("button", { name: "woods.png", exact: true })).toHaveCount(0);
    await page.getByRole("button", { name: "trip/", exact: true }).click();
    await expect(page.getByRole("button", { name: "woods.png", exact: true })).toBeVisible();
    await page.getByRole("button", { name: "Rename woods.png" }).click();
    await dialog.getByRole("textbox").fill("/forest.png");
    await dialog.getByRole("button", { name: "Rename" }).click();
    await expect(page.getByRole("button", { name: "woods.png", exact: true })).toHaveCount(0);
    await page.getByRole("navigation", { name: "Breadcrumbs" }).getByRole("button", { name: bucket }).click();
    await expect(page.getByRole("button", { name: "forest.png", exact: true })).toBeVisible();
  });

  await test.step("see an object's details", async () => {
    await page.getByRole("button", { name: "Details of forest.png" }).click();
    const dialog = page.getByRole("dialog", { name: "Details" });
    await expect(dialog.getByText("image/png")).toBeVisible();
    await expect(dialog.getByText("STANDARD")).toBeVisible();
    await page.screenshot({ path: join(shots, "details.png") });
    await dialog.getByRole("button", { name: "Close" }).click();
  });

  await test.step("delete one object, then several", async () => {
    const confirm = page.getByRole("dialog", { name: "Delete" });
    await page.getByRole("button", { name: "Delete notes.txt" }).click();
    await expect(confirm).toContainText("Delete “notes.txt”?");
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await expect(page.getByRole("button", { name: "notes.txt", exact: true })).toBeVisible();
    await page.getByRole("button", { name: "Delete notes.txt" }).click();
    await confirm.getByRole("button", { name: "Delete", exact: true }).click();
    await expect(page.getByRole("button", { name: "notes.txt", exact: true })).toHaveCount(0);
    await page.getByLabel("Select sunset.png").check();
    await page.getByLabel("Select forest.png").check();
    await page.getByRole("button", { name: "Delete selected (2)" }).click();
    await expect(confirm).toContainText("Delete 2 objects?");
    await confirm.getByRole("button", { name: "Delete", exact: true }).click();
    await expect(page.getByRole("button", { name: "sunset.png", exact: true })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "forest.png", exact: true })).toHaveCount(0);
    const listing = await page.request.get(
      `${server.url}/_console/api/objects?bucket=${bucket}&prefix=`,
    );
    const body = await listing.json();
    expect(body.objects).toEqual([]);
    expect(body.folders).toEqual([{ prefix: "trip/" }]);
  });

  await test.step("a bucket that still holds objects is not deleted", async () => {
    await page.getByRole("navigation", { name: "Breadcrumbs" }).getByRole("button", { name: "Buckets" }).click();
    await page.getByRole("button", { name: `Delete bucket ${bucket}` }).click();
    const confirm = page.getByRole("dialog", { name: "Delete bucket" });
    await confirm.getByRole("button", { name: "Delete bucket" }).click();
    await expect(confirm.getByRole("alert")).toHaveText(/Only an empty bucket can be deleted/);
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await expect(page.getByRole("button", { name: bucket, exact: true })).toBeVisible();
    await page.screenshot({ path: join(shots, "buckets.png") });
  });

  await test.step("delete a folder with everything in it, then the empty bucket", async () => {
    await page.getByRole("button", { name: bucket, exact: true }).click();
    await page.getByRole("button", { name: "Delete folder trip/" }).click();
    const confirm = page.getByRole("dialog", { name: "Delete folder" });
    await expect(confirm).toContainText("Delete the folder “trip/” and everything in it?");
    await confirm.getByRole("button", { name: "Delete folder" }).click();
    await expect(page.getByRole("status")).toHaveText("Deleted the folder trip/ (2 objects).");
    await expect(page.getByText("This folder is empty.")).toBeVisible();
    await page.getByRole("navigation", { name: "Breadcrumbs" }).getByRole("button", { name: "Buckets" }).click();
    await page.getByRole("button", { name: `Delete bucket ${bucket}` }).click();
    await page.getByRole("dialog", { name: "Delete bucket" }).getByRole("button", { name: "Delete bucket" }).click();
    await expect(page.getByRole("button", { name: bucket, exact: true })).toHaveCount(0);
  });

  await test.step("sign out: the session is gone", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByRole("form", { name: "Sign in" })).toBeVisible();
    const session = await page.request.get(`${server.url}/_console/api/session`);
    expect(session.status()).toBe(401);
  });
});

test("a wrong secret is refused with a message and no session", async ({ watched: page, server }) => {
  await page.goto(server.url + "/");
  await page.getByLabel("Access key").fill(server.accessKey);
  await page.getByLabel("Secret key").fill("not-the-secret");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toHaveText(/not right/);
  const session = await page.request.get(`${server.url}/_console/api/session`);
  expect(session.status()).toBe(401);
  expect((await page.context().cookies()).filter((c) => c.name === "cv_session")).toEqual([]);
});

test("repeated wrong secrets are throttled with a message saying how long to wait", async ({
  watched: page,
  server,
}) => {
  // A key of its own (unknown keys are throttled like known ones), so that no other test's
  // sign-in is locked out; its successes clear what this adds to 127.0.0.1's count.
  await page.goto(server.url + "/");
  await page.getByLabel("Access key").fill(`AKE2ETHROTTLE${Date.now() % 10_000_000}`);
  await page.getByLabel("Secret key").fill("a-guess");
  const alert = page.getByRole("alert");
  // Five failures are free; each further one locks the key out for twice as long as the last
  // (1 s, 2 s, 4 s…), so a submission soon lands inside a lockout. No sleeping: polled.
  await expect(async () => {
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(alert).toHaveText(/^Too many failed sign-ins; try again in [1-9]\d* s\.$/, {
      timeout: 1_000,
    });
  }).toPass({ timeout: 60_000 });
  await expect(page.getByRole("form", { name: "Sign in" })).toBeVisible();
  expect((await page.context().cookies()).filter((c) => c.name === "cv_session")).toEqual([]);
});
