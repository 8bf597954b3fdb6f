// The Dashboard page's data (docs/API.md, "Operations"; root only): the server's own
// downsampled series and its alarms, fetched from /_console/api/operations/..., and shaped
// into the rows a chart draws and the words a person reads.

import { ConsoleApi, formatBytes } from "./api";

export type DashboardRange = "1h" | "6h" | "24h" | "7d" | "30d";
export const dashboardRanges: { range: DashboardRange; label: string }[] = [
  { range: "1h", label: "1 hour" },
  { range: "6h", label: "6 hours" },
  { range: "24h", label: "24 hours" },
  { range: "7d", label: "7 days" },
  { range: "30d", label: "30 days" },
];

// [time in ms since the epoch, value]; a value the server could not compute is null.
export type Point = [number, number | null];

export interface Series {
  name: string;
  labels: Record<string, string>;
  points: Point[];
}

export type AlarmState = "OK" | "ALARM" | "INSUFFICIENT_DATA";

export interface Alarm {
  name: string;
  description: string;
  source: "default" | "config" | "stored";
  enabled: boolean;
  state: AlarmState;
  since: number | null; // ms
  reason: string;
  value: number | null;
  value_text: string;
  threshold: number;
  threshold_text: string;
  comparison: string; // in words: "greater than", "less than or equal to", ...
  metric: string;
  statistic: string;
  period_seconds: number;
  evaluation_periods: number;
  datapoints_to_alarm: number;
  targets: string[];
}

export interface Dashboard {
  range: DashboardRange;
  resolution_seconds: number;
  now: number; // ms
  series: Series[];
  alarms: Alarm[];
  // Where the server keeps its metadata and object bodies (a folder, or an s3:// URL).
  storage?: { metadata: string; bodies: string };
}

export interface AlarmTransition {
  id: number;
  name: string;
  time: number; // ms
  old_state: AlarmState;
  new_state: AlarmState;
  reason: string;
}

export function fetchDashboard(api: ConsoleApi, range: DashboardRange): Promise<Dashboard> {
  return api.call("GET", `operations/dashboard?range=${range}`);
}

// One alarm's transitions, newest first.
export async function fetchAlarmHistory(
  api: ConsoleApi,
  name: string,
  limit = 50,
): Promise<AlarmTransition[]> {
  const query = new URLSearchParams({ name, limit: String(limit) });
  return (await api.call<{ history: AlarmTransition[] }>("GET", `operations/alarms/history?${query}`))
    .history;
}

// --- Charts --------------------------------------------------------------------------------

// One chart's rows: one per time, a column per line (named by `keys`), null where a line has
// no point at that time.
export interface ChartRow {
  time: number;
  [key: string]: number | null;
}
export interface ChartData {
  keys: string[];
  rows: ChartRow[];
}

export interface ChartSpec {
  id: string;
  title: string;
  description: string;
  series: string; // the server's series name
  kind: "line" | "stacked-area";
  // The line a series is drawn as, from its labels ("s3", "p99", "photos · STANDARD").
  key: (labels: Record<string, string>) => string;
  scale: number; // value × scale is what is shown
  format: (shown: number) => string;
  order?: string[]; // keys in this order first, the rest by name
}

export const chartSpecs: ChartSpec[] = [
  {
    id: "storage",
    title: "Storage by bucket and class",
    description: "Bytes stored (every version) per bucket and storage class, stacked.",
    series: "storage_bytes",
    kind: "stacked-area",
    key: (labels) => `${labels.bucket ?? "?"} · ${labels.storage_class ?? "STANDARD"}`,
    scale: 1,
    format: (bytes) => formatBytes(Math.round(bytes)),
  },
  {
    id: "requests",
    title: "Request rate by API",
    description: "Requests answered per second, by API (S3, console, IAM).",
    series: "requests_per_second",
    kind: "line",
    key: (labels) => labels.api ?? "all",
    scale: 1,
    format: (rate) => `${formatNumber(rate)} req/s`,
    order: ["s3", "console", "iam"],
  },
  {
    id: "errors",
    title: "Error rate",
    description: "Share of requests answered with a 4xx or 5xx status, in percent.",
    series: "error_ratio",
    kind: "line",
    key: (labels) => labels.class ?? "errors",
    scale: 100,
    format: (percent) => `${formatNumber(percent)}%`,
    order: ["4xx", "5xx"],
  },
  {
    id: "latency",
    title: "Latency percentiles",
    description: "Time to answer a request, 50th, 90th and 99th percentile, in milliseconds.",
    series: "latency_seconds",
    kind: "line",
    key: (labels) => quantileName(labels.quantile),
    scale: 1000,
    format: (ms) => `${formatNumber(ms)} ms`,
    order: ["p50", "p90", "p99"],
  },
  {
    id: "bytes-in",
    title: "Bytes received",
    description: "Request body bytes received per second.",
    series: "bytes_in_per_second",
    kind: "line",
    key: () => "in",
    scale: 1,
    format: (rate) => `${formatBytes(Math.round(rate))}/s`,
  },
  {
    id: "bytes-out",
    title: "Bytes sent",
    description: "Response body bytes sent per second.",
    series: "bytes_out_per_second",
    kind: "line",
    key: () => "out",
    scale: 1,
    format: (rate) => `${formatBytes(Math.round(rate))}/s`,
  },
  {
    id: "replication-lag",
    title: "Replication lag",
    description: "Age of the oldest backup copy still waiting to be made.",
    series: "replication_lag_seconds",
    kind: "line",
    key: () => "lag",
    scale: 1,
    format: formatSeconds,
  },
  {
    id: "replication-backlog",
    title: "Replication backlog",
    description: "Backup copies waiting to be made.",
    series: "replication_pending",
    kind: "line",
    key: () => "pending",
    scale: 1,
    format: (count) => formatNumber(count),
  },
  {
    id: "delivery-failures",
    title: "Delivery failures",
    description: "Notification deliveries given up on (parked).",
    series: "delivery_failures",
    kind: "line",
    key: () => "failures",
    scale: 1,
    format: (count) => formatNumber(count),
  },
  {
    id: "disk-free",
    title: "Disk free per folder",
    description: "Free space of each data folder's file system, in percent.",
    series: "disk_free_ratio",
    kind: "line",
    key: (labels) => labels.folder ?? "data",
    scale: 100,
    format: (percent) => `${formatNumber(percent)}%`,
  },
  {
    id: "cpu",
    title: "Host CPU",
    description: "Share of the host's CPU time spent busy, in percent.",
    series: "host_cpu_ratio",
    kind: "line",
    key: () => "busy",
    scale: 100,
    format: (percent) => `${formatNumber(percent)}%`,
  },
];

// The rows of one chart from the dashboard's series. In a stacked chart a line with no point
// at a time counts as 0 there (a bucket that did not exist yet holds nothing).
export function chartData(series: Series[], spec: ChartSpec): ChartData {
  const byTime = new Map<number, ChartRow>();
  const keys = new Set<string>();
  for (const one of series) {
    if (one.name !== spec.series) continue;
    const key = spec.key(one.labels ?? {});
    keys.add(key);
    for (const [time, value] of one.points) {
      if (!Number.isFinite(time)) continue;
      const row = byTime.get(time) ?? { time };
      row[key] = value === null || !Number.isFinite(value) ? null : value * spec.scale;
      byTime.set(time, row);
    }
  }
  const ordered = [...keys].sort((a, b) => rank(spec.order, a) - rank(spec.order, b) || a.localeCompare(b));
  const missing = spec.kind === "stacked-area" ? 0 : null;
  const rows = [...byTime.values()].sort((a, b) => a.time - b.time);
  for (const row of rows) {
    for (const key of ordered) if (!(key in row)) row[key] = missing;
  }
  return { keys: ordered, rows };
}

function rank(order: string[] | undefined, key: string): number {
  const at = order?.indexOf(key) ?? -1;
  return at < 0 ? Number.MAX_SAFE_INTEGER : at;
}

// Each line's last value, in the chart's order (null when it has none).
export function latestValues(data: ChartData): { key: string; value: number | null }[] {
  return data.keys.map((key) => {
    for (let i = data.rows.length - 1; i >= 0; i--) {
      const value = data.rows[i][key];
      if (value !== null && value !== undefined) return { key, value };
    }
    return { key, value: null };
  });
}

// Whether the server has stored any point yet (else the page says it is collecting).
export function hasPoints(dashboard: Dashboard): boolean {
  return dashboard.series.some((one) => one.points.length > 0);
}

// --- Words -----------------------------------------------------------------------------------

export function quantileName(quantile: string | undefined): string {
  const value = Number(quantile);
  if (!quantile || !Number.isFinite(value)) return "p?";
  return `p${Math.round(value * 1000) / 10}`;
}

// Up to three significant digits, no exponent: "0.0123", "4.56", "1,234".
export function formatNumber(value: number): string {
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return Math.round(value).toLocaleString("en-US");
  return Number(value.toPrecision(3)).toString();
}

export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${formatNumber(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
  return `${Math.floor(seconds / 86400)} d ${Math.round((seconds % 86400) / 3600)} h`;
}

// A time axis tick, as fine as the chart's span of time needs: seconds within a quarter of an
// hour, minutes within two days, else the day.
export function formatTick(time: number, spanMs: number): string {
  const date = new Date(time);
  if (spanMs >= 2 * 86_400_000) return date.toLocaleDateString("en-GB", { day: "numeric", month: "short" });
  if (spanMs >= 15 * 60_000) return date.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
  return date.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

export function formatWhen(time: number): string {
  return new Date(time).toLocaleString("en-GB", {
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
}

export const stateLabels: Record<AlarmState, string> = {
  OK: "OK",
  ALARM: "ALARM",
  INSUFFICIENT_DATA: "INSUFFICIENT DATA",
};

// The server's words, and CloudWatch's names.
const comparisonSymbols: Record<string, string> = {
  "greater than": ">",
  "greater than or equal to": "≥",
  "less than": "<",
  "less than or equal to": "≤",
  GreaterThanThreshold: ">",
  GreaterThanOrEqualToThreshold: "≥",
  LessThanThreshold: "<",
  LessThanOrEqualToThreshold: "≤",
};

// "3.2% (alarm when < 10%)", or "no value (alarm when < 10%)".
export function valueAgainstThreshold(alarm: Alarm): string {
  const value =
    alarm.value_text || (alarm.value === null || alarm.value === undefined ? "" : formatNumber(alarm.value));
  const symbol = comparisonSymbols[alarm.comparison] ?? alarm.comparison;
  const threshold = alarm.threshold_text || formatNumber(alarm.threshold);
  return `${value || "no value"} (alarm when ${symbol} ${threshold})`;
}

// "since 7 Dec, 02:10:00" or "" when the alarm has not been evaluated.
export function sinceText(alarm: Alarm): string {
  return alarm.since === null || alarm.since === undefined ? "" : `since ${formatWhen(alarm.since)}`;
}

// Alarms in ALARM first, then insufficient data, then OK; by name within each.
export function sortAlarms(alarms: Alarm[]): Alarm[] {
  const weight: Record<AlarmState, number> = { ALARM: 0, INSUFFICIENT_DATA: 1, OK: 2 };
  return [...alarms].sort((a, b) => weight[a.state] - weight[b.state] || a.name.localeCompare(b.name));
}
