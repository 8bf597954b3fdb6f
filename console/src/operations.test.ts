import { describe, expect, it } from "vitest";

import { ApiError, ConsoleApi } from "./api";
import { formatPlace, parsePlace } from "./location";
import { alarm } from "./test-fixtures";
import {
  Dashboard,
  chartData,
  chartSpecs,
  fetchAlarmHistory,
  fetchDashboard,
  formatNumber,
  formatSeconds,
  formatTick,
  hasPoints,
  latestValues,
  quantileName,
  sortAlarms,
  valueAgainstThreshold,
} from "./operations";

const spec = (id: string) => chartSpecs.find((one) => one.id === id)!;

// A fetch that answers from a script and records what was asked.
function scripted(answers: { status: number; body?: unknown }[]) {
  const urls: string[] = [];
  const fetchImpl = async (url: string) => {
    urls.push(url);
    const next = answers.shift() ?? { status: 500 };
    return new Response(next.body === undefined ? "" : JSON.stringify(next.body), { status: next.status });
  };
  return { urls, api: new ConsoleApi(fetchImpl) };
}


describe("the dashboard's routes", () => {
  it("asks for the chosen range and the alarm's history by name", async () => {
    const dashboard: Dashboard = { range: "24h", resolution_seconds: 60, now: 1, series: [], alarms: [] };
    const { urls, api } = scripted([
      { status: 200, body: dashboard },
      { status: 200, body: { history: [{ id: 3, name: "a b", time: 5, old_state: "OK", new_state: "ALARM", reason: "r" }] } },
    ]);
    expect(await fetchDashboard(api, "24h")).toEqual(dashboard);
    const history = await fetchAlarmHistory(api, "a b", 20);
    expect(history.map((entry) => entry.new_state)).toEqual(["ALARM"]);
    expect(urls).toEqual([
      "/_console/api/operations/dashboard?range=24h",
      "/_console/api/operations/alarms/history?name=a+b&limit=20",
    ]);
  });

  it("passes the server's refusal on (a user who is not root)", async () => {
    const { api } = scripted([
      { status: 403, body: { error: { code: "AccessDenied", message: "Only root may see the server's dashboard and alarms." } } },
    ]);
    await expect(fetchDashboard(api, "1h")).rejects.toEqual(
      new ApiError(403, "AccessDenied", "Only root may see the server's dashboard and alarms."),
    );
  });

  it("is reached at #/dashboard", () => {
    expect(parsePlace("#/dashboard")).toEqual({ bucket: null, prefix: "", page: "dashboard" });
    expect(formatPlace({ bucket: null, prefix: "", page: "dashboard" })).toBe("#/dashboard");
  });
});

describe("chart rows", () => {
  it("merge the lines of one series by time, in the chart's order, scaled", () => {
    const data = chartData(
      [
        { name: "latency_seconds", labels: { quantile: "0.99" }, points: [[2000, 0.5], [1000, 0.25]] },
        { name: "latency_seconds", labels: { quantile: "0.5" }, points: [[1000, 0.001]] },
        { name: "requests_per_second", labels: { api: "s3" }, points: [[1000, 9]] },
        { name: "latency_seconds", labels: { quantile: "0.9" }, points: [[2000, null]] },
      ],
      spec("latency"),
    );
    expect(data.keys).toEqual(["p50", "p90", "p99"]);
    expect(data.rows).toEqual([
      { time: 1000, p50: 1, p90: null, p99: 250 },
      { time: 2000, p50: null, p90: null, p99: 500 },
    ]);
    expect(latestValues(data)).toEqual([
      { key: "p50", value: 1 },
      { key: "p90", value: null },
      { key: "p99", value: 500 },
    ]);
  });

  it("stack storage per bucket and class, a missing point counting as nothing stored", () => {
    const data = chartData(
      [
        { name: "storage_bytes", labels: { bucket: "photos", storage_class: "STANDARD" }, points: [[1, 10], [2, 12]] },
        { name: "storage_bytes", labels: { bucket: "archive", storage_class: "GLACIER" }, points: [[2, 100]] },
      ],
      spec("storage"),
    );
    expect(data.keys).toEqual(["archive · GLACIER", "photos · STANDARD"]);
    expect(data.rows).toEqual([
      { time: 1, "archive · GLACIER": 0, "photos · STANDARD": 10 },
      { time: 2, "archive · GLACIER": 100, "photos · STANDARD": 12 },
    ]);
  });

  it("show ratios in percent and an unlabelled series as one line", () => {
    const errors = chartData(
      [
        { name: "error_ratio", labels: { class: "5xx" }, points: [[1, 0.005]] },
        { name: "error_ratio", labels: { class: "4xx" }, points: [[1, 0.25]] },
      ],
      spec("errors"),
    );
    expect(errors.keys).toEqual(["4xx", "5xx"]);
    expect(errors.rows).toEqual([{ time: 1, "4xx": 25, "5xx": 0.5 }]);
    const cpu = chartData([{ name: "host_cpu_ratio", labels: {}, points: [[1, 0.125]] }], spec("cpu"));
    expect(cpu).toEqual({ keys: ["busy"], rows: [{ time: 1, busy: 12.5 }] });
    expect(spec("cpu").format(12.5)).toBe("12.5%");
  });

  it("are empty for a series the server does not have, and the page knows when nothing is there", () => {
    expect(chartData([], spec("replication-lag"))).toEqual({ keys: [], rows: [] });
    const dashboard: Dashboard = {
      range: "1h",
      resolution_seconds: 1,
      now: 0,
      series: [{ name: "host_cpu_ratio", labels: {}, points: [] }],
      alarms: [],
    };
    expect(hasPoints(dashboard)).toBe(false);
    dashboard.series[0].points.push([1, 0.5]);
    expect(hasPoints(dashboard)).toBe(true);
  });

  it("cover every series the server keeps", () => {
    expect(chartSpecs.map((one) => one.series).sort()).toEqual(
      [
        "bytes_in_per_second",
        "bytes_out_per_second",
        "delivery_failures",
        "disk_free_ratio",
        "error_ratio",
        "host_cpu_ratio",
        "latency_seconds",
        "replication_lag_seconds",
        "replication_pending",
        "requests_per_second",
        "storage_bytes",
      ].sort(),
    );
  });
});

describe("words", () => {
  it("name quantiles and numbers for people", () => {
    expect(["0.5", "0.9", "0.99", "0.999", undefined].map(quantileName)).toEqual(["p50", "p90", "p99", "p99.9", "p?"]);
    expect([0, 0.012345, 4.5678, 99.94, 1234.5].map(formatNumber)).toEqual(["0", "0.0123", "4.57", "99.9", "1,235"]);
    expect([12, 200, 7260, 90000].map(formatSeconds)).toEqual(["12 s", "3 min 20 s", "2 h 1 min", "1 d 1 h"]);
  });

  it("label the time axis as finely as the span needs", () => {
    const time = Date.UTC(2026, 11, 7, 2, 10, 5);
    expect(formatTick(time, 60_000)).toMatch(/^\d\d:\d\d:\d\d$/);
    expect(formatTick(time, 3_600_000)).toMatch(/^\d\d:\d\d$/);
    expect(formatTick(time, 7 * 86_400_000)).toMatch(/^\d{1,2} Dec$/);
  });

  it("put an alarm's value against its threshold", () => {
    expect(valueAgainstThreshold(alarm())).toBe("42% (alarm when < 10%)");
    expect(valueAgainstThreshold(alarm({ value: null, value_text: "" }))).toBe("no value (alarm when < 10%)");
    expect(valueAgainstThreshold(alarm({ value: null, value_text: "no data" }))).toBe("no data (alarm when < 10%)");
    expect(valueAgainstThreshold(alarm({ comparison: "greater than or equal to" }))).toBe("42% (alarm when ≥ 10%)");
    expect(
      valueAgainstThreshold(alarm({ value: 1200, value_text: "", threshold: 900, threshold_text: "", comparison: "GreaterThanThreshold" })),
    ).toBe("1,200 (alarm when > 900)");
  });

  it("list firing alarms first", () => {
    const sorted = sortAlarms([
      alarm({ name: "b", state: "OK" }),
      alarm({ name: "c", state: "INSUFFICIENT_DATA" }),
      alarm({ name: "d", state: "ALARM" }),
      alarm({ name: "a", state: "OK" }),
    ]);
    expect(sorted.map((one) => one.name)).toEqual(["d", "c", "a", "b"]);
  });
});
