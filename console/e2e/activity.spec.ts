import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { expect, signIn, test } from "./fixtures";

const shots = fileURLToPath(new URL("../../docs/screenshots", import.meta.url));
const binary = process.env.CLOUDVAULT_BIN ?? fileURLToPath(new URL("../../build/cloudvault", import.meta.url));
const recentTrail = fileURLToPath(new URL("../../tests/fixtures/cloudtrail/recent_trail.py", import.meta.url));

interface Day {
  date: string;
  level: number;
  count: number;
}

// The known data set of tests/fixtures/cloudtrail/recent_trail.py (10 calls of "alice" on six
// days of the last year), ingested into the running server's data folder with the real CLI.
test.beforeAll(() => {
  const folder = mkdtempSync(join(tmpdir(), "cloudvault-e2e-trail-"));
  execFileSync("/usr/bin/python3", [recentTrail, folder]);
  const data = process.env.CLOUDVAULT_DATA!;
  execFileSync(binary, ["activity", "ingest", "--from", folder, "--data", data]);
  execFileSync(binary, ["activity", "profile", "add", "alice", "--principal", "alice", "--data", data]);
});

test.describe("activity", () => {
  test("the heatmap shows the year with the server's levels, and the public page verifies", async ({
    watched: page,
    server,
    browser,
  }) => {
    await signIn(page, server);
    await page.getByRole("link", { name: "Activity" }).click();
    await expect(page.getByRole("heading", { name: "Activity", exact: true })).toBeVisible();
    const cells = page.locator(".heatmap rect[data-date]");
    await expect(cells).toHaveCount(365);

    // Every cell's level is the one the server computed for its date.
    const last = await cells.last().getAttribute("data-date");
    const first = await cells.first().getAttribute("data-date");
    const answer = await page.request.get(
      `${server.url}/_console/api/activity/profiles/alice/days?from=${first}&to=${last}`,
    );
    expect(answer.ok()).toBeTruthy();
    const days: Day[] = (await answer.json()).days;
    expect(days).toHaveLength(365);
    const shown = await cells.evaluateAll((rects) =>
      rects.map((r) => [r.getAttribute("data-date"), Number(r.getAttribute("data-level"))]),
    );
    expect(shown).toEqual(days.map((d) => [d.date, d.level]));
    expect(days.filter((d) => d.level > 0)).toHaveLength(6);
    expect(new Set(days.map((d) => d.level))).toContain(4);
    await expect(cells.last()).toHaveAttribute("aria-label", /score .*, 3 events \(/);
    await expect(page.getByTestId("total-events")).toHaveText("10");
    await expect(page.getByTestId("current-streak")).toHaveText("2 days");
    await expect(page.getByRole("figure", { name: "Score by service" })).toBeVisible();
    await expect(page.locator("table.recent tbody tr")).toHaveCount(9);
    await page.screenshot({ path: join(shots, "activity.png"), fullPage: true });

    // The public page: on, opened in a browser without a session, then off.
    await page.getByRole("button", { name: "Publish a public page" }).click();
    const link = page.getByTestId("public-link");
    await expect(link).toBeVisible();
    const url = (await link.getAttribute("href"))!;
    const stranger = await browser.newContext();
    const open = await stranger.newPage();
    await open.goto(url);
    await expect(open.getByRole("heading", { name: "Activity of alice" })).toBeVisible();
    await expect(open.locator(".heatmap rect[data-date]")).toHaveCount(365);
    await expect(open.getByTestId("proof")).toHaveText(/^Verified: 10 events/);
    await open.screenshot({ path: join(shots, "activity-public.png"), fullPage: true });
    await page.getByRole("button", { name: "Turn the public page off" }).click();
    await expect(page.getByTestId("public-link")).toHaveCount(0);
    await open.reload();
    await expect(open.getByText("This public page does not exist or was turned off.")).toBeVisible();
    await stranger.close();
  });

  test("the audit trail lists the console's own calls and filters them", async ({ watched: page, server }) => {
    await signIn(page, server);
    await page.getByRole("link", { name: "Audit trail" }).click();
    await expect(page.getByRole("heading", { name: "Audit trail" })).toBeVisible();
    const rows = page.locator("table.trail-records tbody tr");
    // Records reach the lookup index within the writer's 100 ms batches; the page is reloaded
    // until the sign-in of this test shows.
    await expect(async () => {
      await page.getByRole("button", { name: "Filter" }).click();
      await expect(rows.filter({ hasText: "ConsoleSignIn" }).first()).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 15000 });
    await page.getByLabel("Call").fill("ConsoleSignIn");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(rows.first()).toContainText("ConsoleSignIn");
    const names = await rows.locator("td:nth-child(3)").allTextContents();
    expect(names.every((name) => name === "ConsoleSignIn")).toBeTruthy();
    await page.screenshot({ path: join(shots, "trail.png"), fullPage: true });
  });
});
