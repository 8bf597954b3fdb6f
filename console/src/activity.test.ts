import { describe, expect, it } from "vitest";

import { dayTooltip, firstTrailPageWithRecords, lastYear, TrailPage, TrailQuery, trailQueryString } from "./activity";

describe("activity helpers", () => {
  it("spans the last 365 days ending today in UTC", () => {
    expect(lastYear(new Date("2026-12-06T23:59:00Z"))).toEqual({ from: "2025-12-07", to: "2026-12-06" });
    expect(lastYear(new Date("2024-03-01T00:00:00Z"))).toEqual({ from: "2023-03-03", to: "2024-03-01" });
  });

  it("names a day's score, events and top three services", () => {
    const day = {
      date: "2026-05-01",
      score: 12,
      count: 7,
      level: 3,
      services: [
        { service: "ec2", score: 6, count: 3 },
        { service: "s3", score: 4, count: 2 },
        { service: "iam", score: 1, count: 1 },
        { service: "rds", score: 1, count: 1 },
      ],
    };
    expect(dayTooltip(day, day.date)).toBe("2026-05-01: score 12, 7 events (ec2, s3, iam)");
    expect(dayTooltip(undefined, "2026-05-02")).toBe("No activity on 2026-05-02");
  });

  it("writes only the trail filters given, escaped", () => {
    expect(trailQueryString({})).toBe("");
    expect(trailQueryString({ bucket: "photos", prefix: "a b/&", error: true })).toBe(
      "bucket=photos&prefix=a%20b%2F%26&error=true",
    );
  });
});

describe("trail pages", () => {
  const record = { eventID: "e1", eventTime: "2026-12-07T00:00:00Z", eventSource: "s3.amazonaws.com", eventName: "GetObject" };
  // A server whose first `empty` windows hold no match, then one record, then nothing older.
  const server = (empty: number) => {
    const asked: (string | undefined)[] = [];
    const fetchPage = async (query: TrailQuery): Promise<TrailPage> => {
      asked.push(query.next);
      const window = query.next ? Number(query.next) : 0;
      if (window < empty) return { records: [], next: String(window + 1) };
      return { records: [record], next: null };
    };
    return { asked, fetchPage };
  };

  it("follows empty windows until one has records", async () => {
    const { asked, fetchPage } = server(3);
    const page = await firstTrailPageWithRecords(fetchPage, { user: "ana" }, 5);
    expect(page.records).toEqual([record]);
    expect(asked).toEqual([undefined, "1", "2", "3"]);
  });

  it("stops after the given number of windows and keeps the continuation", async () => {
    const { asked, fetchPage } = server(10);
    const page = await firstTrailPageWithRecords(fetchPage, {}, 5);
    expect(page.records).toEqual([]);
    expect(page.next).toBe("5");
    expect(asked).toHaveLength(5);
  });
});
