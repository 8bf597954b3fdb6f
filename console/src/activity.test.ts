import { describe, expect, it } from "vitest";

import { dayTooltip, lastYear, trailQueryString } from "./activity";

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
