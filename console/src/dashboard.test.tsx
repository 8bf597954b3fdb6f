import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";

import { BucketUsage } from "./api";
import { AlarmHistoryTable, AlarmsPanel, Chart, DashboardView } from "./DashboardPage";
import { Dashboard, chartData, chartSpecs } from "./operations";
import { alarm } from "./test-fixtures";
import { UsageView, className, formatPrice, formatUsd } from "./UsagePanel";

const noHistory = async () => [];

const view = (dashboard: Dashboard | null, error = "") =>
  renderToStaticMarkup(
    <DashboardView dashboard={dashboard} range="6h" error={error} onRange={() => undefined} loadHistory={noHistory} />,
  );

describe("the Dashboard page", () => {
  it("says it is collecting while the server has no points, and still lists the alarms", () => {
    const html = view({
      range: "6h",
      resolution_seconds: 60,
      now: 0,
      series: [],
      alarms: [alarm({ state: "INSUFFICIENT_DATA", since: null, value: null, value_text: "" })],
    });
    expect(html).toContain("Collecting data: the first points appear after one sample interval.");
    expect(html).toContain("disk-free-low");
    expect(html).toContain("INSUFFICIENT DATA");
    expect(html).toContain("No points in this range.");
    // The range buttons: the chosen one pressed.
    expect(html).toMatch(/<button aria-pressed="true" aria-label="6h: last 6 hours">6h<\/button>/);
    expect(html).toContain('aria-label="30d: last 30 days"');
  });

  it("says where the server keeps its metadata and object bodies", () => {
    const html = view({
      range: "6h",
      resolution_seconds: 60,
      now: 0,
      series: [],
      alarms: [],
      storage: { metadata: "SQLite /srv/cv/meta.db", bodies: "s3://bodies/site/blobs/?endpoint=http://rgw:7480&region=us-east-1" },
    });
    expect(html).toContain("<h2");
    expect(html).toMatch(/<dd data-testid="storage-metadata">SQLite \/srv\/cv\/meta.db<\/dd>/);
    expect(html).toContain("s3://bodies/site/blobs/?endpoint=http://rgw:7480&amp;region=us-east-1");
    // Without the field (an older server) the panel is left out.
    expect(view({ range: "6h", resolution_seconds: 60, now: 0, series: [], alarms: [] })).not.toContain(
      "storage-bodies",
    );
  });

  it("shows an error instead of loading forever", () => {
    const html = view(null, "Only root may see the server's dashboard and alarms.");
    expect(html).toContain('role="alert"');
    expect(html).not.toContain("Loading");
  });

  it("gives every chart a heading, a description and its latest values in text", () => {
    const series = [
      { name: "requests_per_second", labels: { api: "s3" }, points: [[1000, 2], [2000, 3.5]] as [number, number][] },
      { name: "requests_per_second", labels: { api: "console" }, points: [[1000, 0.25]] as [number, number][] },
    ];
    const html = view({ range: "6h", resolution_seconds: 60, now: 2000, series, alarms: [] });
    expect(html).not.toContain("Collecting data");
    for (const spec of chartSpecs) expect(html).toContain(`>${spec.title}</h3>`);
    const requests = renderToStaticMarkup(
      <Chart spec={chartSpecs[1]} data={chartData(series, chartSpecs[1])} />,
    );
    expect(requests).toContain('aria-label="Request rate by API, latest values"');
    expect(requests).toContain("<dt>s3</dt><dd>3.5 req/s</dd>");
    expect(requests).toContain("<dt>console</dt><dd>0.25 req/s</dd>");
    expect(requests).toMatch(/<figure aria-labelledby="[^"]+" aria-describedby="[^"]+"/);
  });

  it("shows each alarm's state in words, its value against the threshold, and names firing ones", () => {
    const html = renderToStaticMarkup(
      <AlarmsPanel
        alarms={[
          alarm(),
          alarm({
            name: "error-rate-high",
            description: "More than 1% of requests failed with a 5xx error",
            state: "ALARM",
            value_text: "4.2%",
            threshold_text: "1%",
            comparison: "greater than",
            reason: "3 of 3 datapoints breached",
          }),
        ]}
        loadHistory={noHistory}
      />,
    );
    expect(html).toContain("1 alarm is firing.");
    expect(html.indexOf("error-rate-high")).toBeLessThan(html.indexOf("disk-free-low"));
    expect(html).toContain('<span class="badge state-alarm" data-testid="alarm-state">ALARM</span>');
    expect(html).toContain('<span class="badge state-ok" data-testid="alarm-state">OK</span>');
    expect(html).toContain("Value: 4.2% (alarm when &gt; 1%)");
    expect(html).toContain("3 of 3 datapoints breached");
    expect(html).toContain('aria-label="History of error-rate-high"');
    expect(html).toContain('aria-expanded="false"');
  });

  it("lists an alarm's history as text, never markup", () => {
    const html = renderToStaticMarkup(
      <AlarmHistoryTable
        name="x"
        history={[{ id: 1, name: "x", time: 0, old_state: "OK", new_state: "ALARM", reason: "<b>bold</b>" }]}
      />,
    );
    expect(html).toContain("OK → ALARM");
    expect(html).toContain("&lt;b&gt;bold&lt;/b&gt;");
    expect(renderToStaticMarkup(<AlarmHistoryTable name="x" history={[]} />)).toContain("has not changed state yet");
  });
});

describe("the bucket's Usage panel", () => {
  const usage: BucketUsage = {
    bucket: "photos",
    objects: 2,
    bytes: 3072,
    versions: 4,
    version_bytes: 4096,
    noncurrent_bytes: 1024,
    delete_markers: 1,
    classes: [
      { storage_class: "STANDARD", objects: 1, versions: 2, logical_bytes: 2048, stored_bytes: 2048, restored_bytes: 0, monthly: 4.4e-8 },
      { storage_class: "STANDARD_IA", objects: 1, versions: 1, logical_bytes: 2048, stored_bytes: 100, restored_bytes: 0, monthly: 2.4e-8 },
    ],
    estimate: {
      currency: "USD",
      monthly: 6.8e-8,
      unit: "GB-month (2^30 bytes)",
      region: "us-east-1",
      as_of: "2026-12-07",
      prices: { STANDARD: 0.023, STANDARD_IA: 0.0125, GLACIER: 0.0036, DEEP_ARCHIVE: 0.00099 },
      source: "AWS",
    },
  };

  it("shows totals, the classes and the estimate, said to be one", () => {
    const html = renderToStaticMarkup(<UsageView usage={usage} />);
    expect(html).toContain("<dt>Size</dt><dd title=\"3072 bytes\">3.0 KiB</dd>");
    expect(html).toContain("<dt>Versions</dt><dd>4</dd>");
    expect(html).toContain("<dt>Noncurrent versions</dt><dd title=\"1024 bytes\">1.0 KiB</dd>");
    expect(html).toContain("<dt>Delete markers</dt><dd>1</dd>");
    expect(html).toContain("$0.000000068 / month");
    expect(html).toContain("Standard-IA (STANDARD_IA)");
    expect(html).toContain("$0.0125/GB");
    expect(html).toContain("an estimate of storage only, at AWS&#x27;s list prices");
    expect(html).toContain("DEEP_ARCHIVE $0.00099");
  });

  it("formats money and prices", () => {
    expect([0, 0.005, 0.0123, 1234.5].map(formatUsd)).toEqual(["$0.00", "$0.005", "$0.01", "$1,234.50"]);
    expect(formatUsd(6.8e-8)).toBe("$0.000000068");
    expect([0.023, 0.00099, 0.0036].map(formatPrice)).toEqual(["$0.023", "$0.00099", "$0.0036"]);
    expect(className("GLACIER")).toBe("Glacier Flexible Retrieval (GLACIER)");
    expect(className("ODD")).toBe("ODD");
  });
});
