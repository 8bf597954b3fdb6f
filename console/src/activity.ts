// The activity and trail views' data (docs/API.md, docs/openapi.yaml): what the server
// answers, and the small pure helpers the pages share. Levels (0-4) come from the server;
// nothing here recomputes a score.

export interface ServiceScore {
  service: string;
  score: number;
  count: number;
}

export interface ActivityDay {
  date: string; // YYYY-MM-DD
  score: number; // capped
  count: number; // events that day
  level: number; // 0 no activity, else 1-4: quartiles of the capped scores
  services: ServiceScore[]; // the day's top services, best first
}

export interface ActivitySummary {
  profile: string;
  from: string;
  to: string;
  days: ActivityDay[]; // one per date in [from, to], in order
  services: ServiceScore[]; // over the range, best first
  totals: { events: number; score: number; activeDays: number };
  streaks: { current: number; longest: number };
}

export interface ActivityProfile {
  name: string;
  principals: string[];
  publicToken: string | null; // set while the public page is on
}

export interface ActivityEvent {
  eventId: string;
  time: string;
  service: string;
  eventName: string;
  principal: string;
  readOnly: boolean;
  errorCode?: string;
}

export interface RecentActivity {
  events: ActivityEvent[];
  next: string | null;
}

export interface PublicActivity extends ActivitySummary {
  // The server's signed attestation of these scores, checked by the server against its key.
  proof: { verified: boolean; root: string; keyFingerprint: string; events: number };
}

// A CloudTrail record as the trail keeps it (only the fields the table shows are typed).
export interface TrailRecord {
  eventID: string;
  eventTime: string;
  eventSource: string;
  eventName: string;
  sourceIPAddress?: string;
  userIdentity?: { type?: string; userName?: string; accessKeyId?: string; arn?: string };
  requestParameters?: { bucketName?: string; key?: string } | null;
  errorCode?: string;
  readOnly?: boolean;
}

export interface TrailPage {
  records: TrailRecord[];
  next: string | null;
}

export interface TrailQuery {
  user?: string;
  bucket?: string;
  prefix?: string;
  event?: string;
  error?: boolean;
  from?: string;
  to?: string;
  next?: string;
}

// The query string of a trail lookup: only the filters given, in a fixed order.
export function trailQueryString(query: TrailQuery): string {
  const parts: string[] = [];
  for (const name of ["user", "bucket", "prefix", "event", "from", "to", "next"] as const) {
    const value = query[name];
    if (value) parts.push(`${name}=${encodeURIComponent(value)}`);
  }
  if (query.error) parts.push("error=true");
  return parts.join("&");
}

// The first page of `query` that has records, following at most `windows` continuations of
// pages the server returned empty (it examines a bounded window of records per call); the
// last page fetched when every window was empty (its `next` says whether older ones remain).
export async function firstTrailPageWithRecords(
  fetchPage: (query: TrailQuery) => Promise<TrailPage>,
  query: TrailQuery,
  windows: number,
): Promise<TrailPage> {
  let page = await fetchPage(query);
  for (let fetched = 1; page.records.length === 0 && page.next && fetched < windows; ++fetched) {
    page = await fetchPage({ ...query, next: page.next });
  }
  return page;
}

// [from, to] for the last 365 days ending today (UTC), as YYYY-MM-DD.
export function lastYear(today: Date): { from: string; to: string } {
  const to = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
  const from = new Date(to.getTime() - 364 * 86400_000);
  return { from: isoDate(from), to: isoDate(to) };
}

export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

// The heatmap cell's tooltip: the day's score, events and top services.
export function dayTooltip(day: ActivityDay | undefined, date: string): string {
  if (!day || day.count === 0) return `No activity on ${date}`;
  const services = day.services
    .slice(0, 3)
    .map((s) => s.service)
    .join(", ");
  const events = day.count === 1 ? "1 event" : `${day.count} events`;
  return `${date}: score ${day.score}, ${events}${services ? ` (${services})` : ""}`;
}

export function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
