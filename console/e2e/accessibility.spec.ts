import AxeBuilder from "@axe-core/playwright";
import { Page } from "@playwright/test";

import { csrfToken, expect, png, putThroughApi, signIn, test } from "./fixtures";

// axe-core's WCAG 2.1 A/AA rules over each main view: no serious or critical violation.
async function violations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
}

test("the main views pass axe's WCAG A/AA checks", async ({ watched: page, server }) => {
  await page.goto(server.url + "/");
  await expect(page.getByRole("form", { name: "Sign in" })).toBeVisible();
  expect(await violations(page)).toEqual([]);

  await signIn(page, server);
  const bucket = `a11y-${Date.now()}`;
  await page.getByLabel("New bucket name").fill(bucket);
  await page.getByRole("button", { name: "Create bucket" }).click();
  await expect(page.getByRole("button", { name: bucket, exact: true })).toBeVisible();
  expect(await violations(page)).toEqual([]);

  await page.getByRole("button", { name: bucket, exact: true }).click();
  await putThroughApi(page, server, bucket, "photo.png", png(64, 48, 90), "image/png");
  await putThroughApi(page, server, bucket, "notes.txt", "hello", "text/plain");
  await page.reload();
  await expect(page.getByRole("button", { name: "photo.png", exact: true })).toBeVisible();
  expect(await violations(page)).toEqual([]);

  await page.getByRole("button", { name: "Gallery" }).click();
  await expect(page.locator("img.thumb")).toHaveCount(1);
  expect(await violations(page)).toEqual([]);

  await page.getByRole("button", { name: "photo.png", exact: true }).click();
  await expect(page.getByRole("dialog", { name: "photo.png" })).toBeVisible();
  expect(await violations(page)).toEqual([]);
  await page.keyboard.press("Escape");

  await page.getByRole("button", { name: "Upload", exact: true }).click();
  await expect(page.getByRole("dialog", { name: /^Upload to / })).toBeVisible();
  expect(await violations(page)).toEqual([]);
  await page.keyboard.press("Escape");

  await page.getByRole("button", { name: "List" }).click();
  await page.getByRole("button", { name: "Details of photo.png" }).click();
  await expect(page.getByRole("dialog", { name: "Details" })).toContainText("image/png");
  expect(await violations(page)).toEqual([]);
  await page.keyboard.press("Escape");

  // The bucket's Events and Backup panels, each with a rule listed.
  const csrf = await csrfToken(page, server);
  const api = `${server.url}/_console/api/buckets/${bucket}`;
  const headers = { "X-CSRF-Token": csrf };
  const rule = { id: "uploads", events: ["s3:ObjectCreated:*"], target: "ops-hook" };
  expect((await page.request.put(`${api}/notifications`, { headers, data: rule })).status()).toBe(200);
  const copies = `${bucket}-copies`;
  expect(
    (await page.request.post(`${server.url}/_console/api/buckets`, { headers, data: { name: copies } })).status(),
  ).toBe(201);
  const backup = { id: "copies", destinationBucket: copies, deleteMarkers: true };
  expect((await page.request.post(`${api}/backup`, { headers, data: backup })).status()).toBe(201);
  const bucketPage = page.getByRole("group", { name: "Bucket page" });
  await bucketPage.getByRole("button", { name: "Events" }).click();
  await expect(page.getByRole("table", { name: "Event rules" })).toContainText("uploads");
  expect(await violations(page)).toEqual([]);
  await bucketPage.getByRole("button", { name: "Backup" }).click();
  await expect(page.getByRole("table", { name: "Backup rules" })).toContainText(copies);
  expect(await violations(page)).toEqual([]);
  await page.getByRole("button", { name: "Remove backup rule copies" }).click();
  await expect(page.getByRole("dialog", { name: "Remove backup rule" })).toBeVisible();
  expect(await violations(page)).toEqual([]);
  await page.keyboard.press("Escape");

  // The bucket's Permissions panel, the Users page (the list, one user, a new key's secret),
  // the Policies page and My access keys.
  await bucketPage.getByRole("button", { name: "Permissions" }).click();
  await expect(page.getByTestId("public-badge")).toHaveText("Not public");
  expect(await violations(page)).toEqual([]);
  const user = `a11y-user-${Date.now()}`;
  expect(
    (await page.request.post(`${server.url}/_console/api/iam/users`, { headers, data: { name: user } })).status(),
  ).toBe(201);
  const consoleNav = page.getByRole("navigation", { name: "Console" });
  await consoleNav.getByRole("link", { name: "Users" }).click();
  await expect(page.getByRole("table", { name: "Users" })).toContainText(user);
  expect(await violations(page)).toEqual([]);
  await page.getByRole("button", { name: user, exact: true }).click();
  await expect(page.getByRole("heading", { name: user })).toBeVisible();
  expect(await violations(page)).toEqual([]);
  await page.getByRole("button", { name: "Create access key" }).click();
  await expect(page.getByRole("dialog", { name: "New access key" })).toBeVisible();
  expect(await violations(page)).toEqual([]);
  await page.getByRole("button", { name: "Done" }).click();
  await consoleNav.getByRole("link", { name: "Policies" }).click();
  await expect(page.getByRole("form", { name: "Create a role" })).toBeVisible();
  expect(await violations(page)).toEqual([]);
  await consoleNav.getByRole("link", { name: "My access keys" }).click();
  await expect(page.getByRole("table", { name: "Access keys" })).toContainText("(this session)");
  expect(await violations(page)).toEqual([]);
});
