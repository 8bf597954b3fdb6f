import AxeBuilder from "@axe-core/playwright";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { Page } from "@playwright/test";

import { Server, csrfToken, expect, putThroughApi, signIn, test } from "./fixtures";
import { RunningServer, kAccessKey, kSecretKey, startServer } from "./server";

// The Dashboard page (#/dashboard, root only) against a server of its own that samples its
// metrics every second ([metrics] sample_seconds = 1), so that points appear within the test:
// the alarms panel lists the shipped alarms, each chart draws its lines, the history of an
// alarm opens, and axe finds no serious problem. Screenshot for the README.
const shots = fileURLToPath(new URL("../../docs/screenshots", import.meta.url));

let running: RunningServer;
let server: Server;

test.beforeAll(async () => {
  running = await startServer(["[metrics]", "sample_seconds = 1", ""].join("\n"));
  server = { url: running.url, accessKey: kAccessKey, secretKey: kSecretKey };
});
test.afterAll(async () => {
  await running?.stop();
});

// The page's charts (data-chart) and the series each draws (src/operations.ts).
const kChartSeries: Record<string, string> = {
  storage: "storage_bytes",
  requests: "requests_per_second",
  errors: "error_ratio",
  latency: "latency_seconds",
  "bytes-in": "bytes_in_per_second",
  "bytes-out": "bytes_out_per_second",
  "replication-lag": "replication_lag_seconds",
  "replication-backlog": "replication_pending",
  "delivery-failures": "delivery_failures",
  "disk-free": "disk_free_ratio",
  cpu: "host_cpu_ratio",
};

interface DashboardAnswer {
  series: { name: string; labels: Record<string, string>; points: [number, number | null][] }[];
  alarms: { name: string; state: string }[];
}

async function dashboard(page: Page, range = "1h"): Promise<DashboardAnswer> {
  const answer = await page.request.get(`${server.url}/_console/api/operations/dashboard?range=${range}`);
  expect(answer.status(), await answer.text()).toBe(200);
  return answer.json();
}

// The most points one label set of the series has (a line needs two of its own).
function points(answer: DashboardAnswer, name: string): number {
  return answer.series.filter((one) => one.name === name).reduce((most, one) => Math.max(most, one.points.length), 0);
}

test("the dashboard shows the alarms and draws the server's own series", async ({ watched: page }) => {
  await signIn(page, server);
  const bucket = `dash-${Date.now()}`;
  const created = await page.request.post(`${server.url}/_console/api/buckets`, {
    headers: { "X-CSRF-Token": await csrfToken(page, server) },
    data: { name: bucket },
  });
  expect(created.status(), await created.text()).toBe(201);
  for (let i = 0; i < 5; i++) {
    await putThroughApi(page, server, bucket, `file-${i}.txt`, "x".repeat(1000 * (i + 1)), "text/plain");
  }
  // The server keeps a point a second: wait for two of the request rate and the latency.
  await expect
    .poll(async () => {
      const answer = await dashboard(page);
      return Math.min(points(answer, "requests_per_second"), points(answer, "latency_seconds"));
    }, { timeout: 60_000 })
    .toBeGreaterThanOrEqual(2);

  await page.getByRole("link", { name: "Dashboard" }).click();
  await expect(page).toHaveURL(/#\/dashboard$/);
  await expect(page.getByRole("heading", { name: "Dashboard", exact: true })).toBeVisible();

  // The shipped alarms, each with its state in words.
  const alarms = page.getByRole("region", { name: "Alarms", exact: true });
  const disk = alarms.locator('li[data-alarm="disk-free-low"]');
  await expect(disk).toBeVisible();
  await expect(disk).toContainText("Free space in a data folder is below 10%");
  await expect(disk.getByTestId("alarm-state")).toHaveText(/^(OK|ALARM|INSUFFICIENT DATA)$/);
  for (const name of ["error-rate-high", "host-cpu-high", "replication-lag-high", "health-check-failing"]) {
    await expect(alarms.locator(`li[data-alarm="${name}"]`)).toBeVisible();
  }
  const listed = (await dashboard(page)).alarms.map((alarm) => alarm.name);
  await expect(alarms.locator("li.alarm")).toHaveCount(listed.length);

  // The charts draw their lines: SVG paths with data inside the chart's container. Every
  // series the server answers with two points or more is drawn (the page asks again every 15 s, so one
  // that got its first points after the page loaded appears within the wait).
  const answer = await dashboard(page);
  const drawn = new Set(answer.series.filter((one) => one.points.length >= 2).map((one) => one.name));
  expect(drawn).toContain("requests_per_second");
  expect(drawn).toContain("latency_seconds");
  for (const [chart, series] of Object.entries(kChartSeries)) {
    if (!drawn.has(series)) continue;
    // (A flat line has no height, so the path's drawing is checked rather than its box.)
    const lines = page.locator(`[data-chart="${chart}"] figure svg path.recharts-curve`);
    await expect(lines.first()).toHaveAttribute("d", /^M[\d.]+,[\d.]+[LC]/);
  }
  if (drawn.has("storage_bytes")) {
    await expect(page.locator('[data-chart="storage"] figure svg path.recharts-area-area').first()).toBeVisible();
    await expect(page.getByRole("region", { name: "Storage by bucket and class" })).toContainText(`${bucket} · STANDARD`);
  }
  // Latest values in text beside each drawn chart.
  await expect(page.getByRole("definition").filter({ hasText: "req/s" }).first()).toBeVisible();
  await expect(page.getByTestId("collecting")).toHaveCount(0);

  // An alarm's history opens below it.
  const history = disk.getByRole("button", { name: "History of disk-free-low" });
  await history.click();
  await expect(history).toHaveAttribute("aria-expanded", "true");
  await expect(disk.getByRole("table").or(disk.getByText("has not changed state yet"))).toBeVisible();

  // Another range: the same charts from the same store.
  const requestLine = page.locator('[data-chart="requests"] figure svg path.recharts-curve').first();
  await page.getByRole("button", { name: "24h: last 24 hours" }).click();
  await expect(page.getByRole("button", { name: "24h: last 24 hours" })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByText(/over the last 24 hours,/)).toBeVisible(); // the new answer is shown
  await expect(requestLine).toHaveAttribute("d", /^M[\d.]+,[\d.]+[LC]/);
  await page.getByRole("button", { name: "1h: last 1 hour" }).click();
  await expect(page.getByText(/over the last 1 hour,/)).toBeVisible();
  await expect(page.locator(".charts")).toHaveAttribute("aria-busy", "false");
  await expect(requestLine).toHaveAttribute("d", /^M[\d.]+,[\d.]+[LC]/);

  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  expect(serious).toEqual([]);

  await history.click(); // closed again for the picture
  await expect(history).toHaveAttribute("aria-expanded", "false");
  await expect(disk.getByRole("table")).toHaveCount(0);
  await page.screenshot({ path: join(shots, "dashboard.png"), fullPage: true });
});

test("the dashboard is root's: others neither see the link nor get the data", async ({ watched: page }) => {
  await signIn(page, server);
  const csrf = await csrfToken(page, server);
  const user = `viewer-${Date.now()}`;
  const made = await page.request.post(`${server.url}/_console/api/iam/users`, {
    headers: { "X-CSRF-Token": csrf },
    data: { name: user },
  });
  expect(made.ok(), await made.text()).toBeTruthy();
  const key = await page.request.post(`${server.url}/_console/api/iam/users/${user}/keys`, {
    headers: { "X-CSRF-Token": csrf },
  });
  expect(key.ok(), await key.text()).toBeTruthy();
  const { accessKeyId, secretAccessKey } = await key.json();
  await page.getByRole("button", { name: "Sign out" }).click();

  await signIn(page, { url: server.url, accessKey: accessKeyId, secretKey: secretAccessKey });
  await expect(page.getByRole("link", { name: "Dashboard" })).toHaveCount(0);
  const refused = await page.request.get(`${server.url}/_console/api/operations/dashboard?range=1h`);
  expect(refused.status()).toBe(403);
  await page.goto(`${server.url}/_console/#/dashboard`);
  await expect(page.getByRole("alert")).toHaveText("Only the root user sees the server's dashboard.");
});
