import { join } from "node:path";
import { fileURLToPath } from "node:url";

import AxeBuilder from "@axe-core/playwright";
import { Page } from "@playwright/test";

import { Server, csrfToken, expect, putThroughApi, signIn, test } from "./fixtures";

// The bucket page's Usage, Events and Backup panels against the real server, whose configuration
// (global-setup.ts) names the notification target "ops-hook" and the replication remote
// "offsite". Screenshots for the README.
const shots = fileURLToPath(new URL("../../docs/screenshots", import.meta.url));

// Creates buckets through the console API (the page's session) and opens the first one.
async function openNewBuckets(page: Page, server: Server, names: string[]) {
  await signIn(page, server);
  const csrf = await csrfToken(page, server);
  for (const name of names) {
    const created = await page.request.post(`${server.url}/_console/api/buckets`, {
      headers: { "X-CSRF-Token": csrf },
      data: { name },
    });
    expect(created.status(), await created.text()).toBe(201);
  }
  await page.reload();
  await page.getByRole("button", { name: names[0], exact: true }).click();
  await expect(page.getByText("This folder is empty.")).toBeVisible();
}

function panel(page: Page, name: "Usage" | "Events" | "Backup") {
  return page.getByRole("group", { name: "Bucket page" }).getByRole("button", { name, exact: true });
}

test("a person adds event rules, sees an overlapping one refused, and removes one", async ({
  watched: page,
  server,
}) => {
  const bucket = `events-${Date.now()}`;
  await openNewBuckets(page, server, [bucket]);
  await panel(page, "Events").click();
  await expect(page.getByRole("heading", { name: "Event notifications" })).toBeVisible();
  await expect(page.getByText("No event rules yet.")).toBeVisible();

  const form = page.getByRole("form", { name: "Add an event rule" });
  const rules = page.getByRole("table", { name: "Event rules" });
  await expect(form.getByLabel("Target")).toHaveValue("ops-hook");

  await test.step("add a rule for new photos", async () => {
    await form.getByLabel("Rule name").fill("new-photos");
    await expect(form.getByLabel("Object created (upload, copy, multipart)")).toBeChecked();
    await form.getByLabel("Key prefix (optional)").fill("photos/");
    await form.getByLabel("Key suffix (optional)").fill(".jpg");
    await form.getByRole("button", { name: "Add event rule" }).click();
    await expect(page.getByRole("status")).toHaveText("Added the event rule “new-photos”.");
    const row = rules.getByRole("row", { name: /new-photos/ });
    await expect(row).toContainText("Object created (upload, copy, multipart)");
    await expect(row).toContainText("Keys starting with “photos/” and ending with “.jpg”");
    await expect(row).toContainText("ops-hook");
    await expect(form.getByLabel("Rule name")).toHaveValue("");
  });

  await test.step("an overlapping rule is refused with S3's message", async () => {
    await form.getByLabel("Rule name").fill("holiday-photos");
    await form.getByLabel("Key prefix (optional)").fill("photos/holiday/");
    await form.getByRole("button", { name: "Add event rule" }).click();
    await expect(page.getByRole("alert")).toContainText("Configurations overlap");
    await expect(rules.getByRole("row")).toHaveCount(2); // the header and new-photos
  });

  await test.step("a rule for deletions, of other events, is accepted", async () => {
    await form.getByLabel("Rule name").fill("deletions");
    await form.getByLabel("Object created (upload, copy, multipart)").uncheck();
    await form.getByLabel("Object deleted").check();
    await form.getByRole("button", { name: "Add event rule" }).click();
    await expect(page.getByRole("alert")).toHaveCount(0);
    await expect(rules.getByRole("row", { name: /deletions/ })).toContainText("Object deleted");
    await expect(rules.getByRole("row", { name: /deletions/ })).toContainText(
      "Keys starting with “photos/holiday/”",
    );
    await page.screenshot({ path: join(shots, "events.png"), fullPage: true });
  });

  await test.step("remove a rule; the other one stays, also after a reload", async () => {
    await rules.getByRole("button", { name: "Remove event rule new-photos" }).click();
    const dialog = page.getByRole("dialog", { name: "Remove event rule" });
    await dialog.getByRole("button", { name: "Remove" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole("status")).toHaveText("Removed the event rule “new-photos”.");
    await expect(rules.getByRole("row", { name: /new-photos/ })).toHaveCount(0);
    await page.reload();
    await panel(page, "Events").click();
    await expect(rules.getByRole("row", { name: /deletions/ })).toBeVisible();
    await expect(rules.getByRole("row")).toHaveCount(2);
  });
});

test("a person backs a bucket up to another bucket and to a remote, and removes a rule", async ({
  watched: page,
  server,
}) => {
  const bucket = `source-${Date.now()}`;
  const copies = `${bucket}-copies`;
  await openNewBuckets(page, server, [bucket, copies]);
  await panel(page, "Backup").click();
  await expect(page.getByRole("heading", { name: "Backup" })).toBeVisible();
  await expect(page.getByText("Versioning of this bucket: Off.")).toBeVisible();
  await expect(page.getByText("No backup rules yet.")).toBeVisible();

  const form = page.getByRole("form", { name: "Add a backup rule" });
  const rules = page.getByRole("table", { name: "Backup rules" });

  await test.step("a backup into the bucket itself is refused, and versioning stays off", async () => {
    await form.getByLabel("Rule name").fill("loop");
    await form.getByLabel("Destination bucket").fill(bucket);
    await form.getByRole("button", { name: "Add backup rule" }).click();
    await expect(page.getByRole("alert")).toHaveText(
      "Destination bucket cannot be the same as the source bucket.",
    );
    await expect(page.getByText("Versioning of this bucket: Off.")).toBeVisible();
  });

  await test.step("back up PDFs under docs/ to another bucket here, deletes and all", async () => {
    await form.getByLabel("Rule name").fill("nightly-docs");
    await form.getByLabel("Destination bucket").fill(copies);
    await form.getByLabel("Key prefix (optional)").fill("docs/");
    await form.getByLabel("Key suffix (optional)").fill(".pdf");
    await form.getByLabel("Copy deletes too (delete markers)").check();
    await form.getByLabel("Copy the objects already in the bucket too").check();
    await form.getByRole("button", { name: "Add backup rule" }).click();
    await expect(page.getByRole("status")).toHaveText("Added the backup rule “nightly-docs”.");
    const row = rules.getByRole("row", { name: /nightly-docs/ });
    await expect(row).toContainText(`${copies} (this server)`);
    await expect(row).toContainText("Keys starting with “docs/” and ending with “.pdf”");
    await expect(row.getByRole("cell", { name: "Copied", exact: true })).toHaveCount(2);
    await expect(row).toContainText("Enabled");
    await expect(page.getByText("Versioning of this bucket: Enabled.")).toBeVisible();
  });

  await test.step("a new PDF under docs/ is copied: Completed here, Replica there", async () => {
    await putThroughApi(page, server, bucket, "docs/report.pdf", "%PDF-1.4 report", "application/pdf");
    // The replication worker copies it in the background; wait for the server to say so.
    const statusOf = async (name: string) => {
      const query = new URLSearchParams({ bucket: name, key: "docs/report.pdf" });
      const answer = await page.request.get(`${server.url}/_console/api/object?${query}`);
      return answer.ok() ? (await answer.json()).replicationStatus : `HTTP ${answer.status()}`;
    };
    await expect.poll(() => statusOf(bucket)).toBe("COMPLETED");
    expect(await statusOf(copies)).toBe("REPLICA");
    for (const [name, shown] of [
      [bucket, "Completed"],
      [copies, "Replica"],
    ]) {
      await page.goto(`${server.url}/_console/#/b/${name}/docs/`);
      await page.getByRole("button", { name: "Details of report.pdf" }).click();
      const details = page.getByRole("dialog", { name: "Details" });
      await expect(details.locator("dl > div", { hasText: "Replication" })).toContainText(shown);
      await details.getByRole("button", { name: "Close" }).click();
    }
    await page.goto(`${server.url}/_console/#/b/${bucket}/`);
    await panel(page, "Backup").click();
    await expect(rules.getByRole("row", { name: /nightly-docs/ })).toBeVisible();
  });

  await test.step("back everything up to the remote", async () => {
    await form.getByLabel("Rule name").fill("offsite-all");
    await form.getByLabel("Destination bucket").fill("vault-archive");
    await form.getByLabel("Where").selectOption({ label: "Remote: offsite" });
    await form.getByRole("button", { name: "Add backup rule" }).click();
    const row = rules.getByRole("row", { name: /offsite-all/ });
    await expect(row).toContainText("vault-archive on offsite");
    await expect(row).toContainText("All objects");
    await expect(row).toContainText("Not copied");
    await expect(row).toContainText("New versions only");
    await page.screenshot({ path: join(shots, "backup.png"), fullPage: true });
  });

  await test.step("remove a rule", async () => {
    await rules.getByRole("button", { name: "Remove backup rule nightly-docs" }).click();
    await page.getByRole("dialog", { name: "Remove backup rule" }).getByRole("button", { name: "Remove" }).click();
    await expect(page.getByRole("status")).toHaveText("Removed the backup rule “nightly-docs”.");
    await expect(rules.getByRole("row", { name: /nightly-docs/ })).toHaveCount(0);
    await expect(rules.getByRole("row", { name: /offsite-all/ })).toBeVisible();
  });

  await test.step("both buckets now keep versions", async () => {
    await page.getByRole("button", { name: "Buckets", exact: true }).click();
    for (const name of [bucket, copies]) {
      const row = page.getByRole("row").filter({ has: page.getByRole("button", { name, exact: true }) });
      await expect(row).toContainText("Enabled");
    }
  });
});

test("the Usage panel shows the bucket's size, versions, classes and an AWS cost estimate", async ({
  watched: page,
  server,
}) => {
  const bucket = `usage-${Date.now()}`;
  await openNewBuckets(page, server, [bucket]);
  await putThroughApi(page, server, bucket, "a.txt", "a".repeat(2048), "text/plain");
  const versioned = await page.request.put(`${server.url}/_console/api/buckets/${bucket}/versioning`, {
    headers: { "X-CSRF-Token": await csrfToken(page, server) },
    data: { status: "Enabled" },
  });
  expect(versioned.status(), await versioned.text()).toBe(200);
  await putThroughApi(page, server, bucket, "a.txt", "A".repeat(1024), "text/plain"); // the old one stays
  await putThroughApi(page, server, bucket, "b.txt", "b".repeat(512), "text/plain");

  await panel(page, "Usage").click();
  const usage = page.getByRole("region", { name: "Usage", exact: true });
  const totals = usage.getByTestId("usage-totals");
  const total = (label: string) => totals.locator("div").filter({ has: page.getByText(label, { exact: true }) }).locator("dd");
  await expect(total("Size")).toHaveText("1.5 KiB");
  await expect(total("Size")).toHaveAttribute("title", "1536 bytes");
  await expect(total("Objects")).toHaveText("2");
  await expect(total("Versions")).toHaveText("3");
  await expect(total("Noncurrent versions")).toHaveText("2.0 KiB");
  // (2048 + 1024 + 512) bytes at $0.023 per 2^30-byte GB-month.
  await expect(total("Estimated cost on AWS")).toHaveText("$0.000000077 / month");

  const classes = usage.getByRole("table", { name: "By storage class" });
  const standard = classes.getByRole("row", { name: /Standard \(STANDARD\)/ });
  await expect(standard.getByRole("cell")).toHaveText(["2", "3", "3.5 KiB", "3.5 KiB", "$0.023/GB", "$0.000000077"]);
  await expect(usage).toContainText("an estimate of storage only, at AWS's list prices");
  await expect(usage.getByRole("link", { name: "aws.amazon.com/s3/pricing" })).toHaveAttribute(
    "href",
    "https://aws.amazon.com/s3/pricing/",
  );

  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(
    results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id),
  ).toEqual([]);
  await page.screenshot({ path: join(shots, "usage.png"), fullPage: true });
});
