import { useEffect, useId, useState } from "react";

import { BucketUsage, ConsoleApi, formatBytes } from "./api";
import { messageOf } from "./Dialog";
import { Notices } from "./RulePanel";

// A bucket's Usage panel: its size, objects, versions and noncurrent bytes, the breakdown by
// storage class, and what the same storage would cost a month at AWS's list prices (the
// server computes it from its one price table), said plainly to be an estimate.
export function UsagePanel({ api, bucket }: { api: ConsoleApi; bucket: string }) {
  const [usage, setUsage] = useState<BucketUsage | null>(null);
  const [error, setError] = useState("");
  useEffect(() => {
    api.bucketUsage(bucket).then(setUsage, (caught) => setError(messageOf(caught)));
  }, [api, bucket]);
  return (
    <>
      <Notices error={error} />
      {usage ? <UsageView usage={usage} /> : !error && <p>Loading…</p>}
    </>
  );
}

export function UsageView({ usage }: { usage: BucketUsage }) {
  const titleId = useId();
  const { estimate } = usage;
  return (
    <section className="panel usage" aria-labelledby={titleId}>
      <h2 id={titleId}>Usage</h2>
      <dl className="totals" data-testid="usage-totals">
        <Total label="Size" value={formatBytes(usage.bytes)} title={`${usage.bytes} bytes`} />
        <Total label="Objects" value={usage.objects.toLocaleString("en-US")} />
        <Total label="Versions" value={usage.versions.toLocaleString("en-US")} />
        <Total
          label="Noncurrent versions"
          value={formatBytes(usage.noncurrent_bytes)}
          title={`${usage.noncurrent_bytes} bytes`}
        />
        {usage.delete_markers > 0 && (
          <Total label="Delete markers" value={usage.delete_markers.toLocaleString("en-US")} />
        )}
        <Total label="Estimated cost on AWS" value={`${formatUsd(estimate.monthly)} / month`} />
      </dl>
      <table className="listing by-class">
        <caption>By storage class</caption>
        <thead>
          <tr>
            <th scope="col">Class</th>
            <th scope="col" className="number">Objects</th>
            <th scope="col" className="number">Versions</th>
            <th scope="col" className="number">Size</th>
            <th scope="col" className="number optional">Stored here</th>
            <th scope="col" className="number">AWS price</th>
            <th scope="col" className="number">Estimate / month</th>
          </tr>
        </thead>
        <tbody>
          {usage.classes.length === 0 && (
            <tr>
              <td colSpan={7} className="hint">
                The bucket is empty.
              </td>
            </tr>
          )}
          {usage.classes.map((entry) => (
            <tr key={entry.storage_class} data-class={entry.storage_class}>
              <th scope="row">{className(entry.storage_class)}</th>
              <td className="number">{entry.objects.toLocaleString("en-US")}</td>
              <td className="number">{entry.versions.toLocaleString("en-US")}</td>
              <td className="number">{formatBytes(entry.logical_bytes)}</td>
              <td className="number optional">{formatBytes(entry.stored_bytes + entry.restored_bytes)}</td>
              <td className="number">
                {entry.storage_class in estimate.prices
                  ? `${formatPrice(estimate.prices[entry.storage_class])}/GB`
                  : "no AWS price"}
              </td>
              <td className="number" data-testid="class-estimate">
                {formatUsd(entry.monthly)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint estimate-note">
        The cost is an estimate of storage only, at AWS's list prices for the equivalent S3 classes (
        {estimate.region}, first 50 TB a month, per {estimate.unit}, as of {estimate.as_of}), for comparison:
        every stored version counts by its size; requests, retrievals, data transfer, minimum sizes and durations are
        not included. Prices:{" "}
        {Object.entries(estimate.prices)
          .map(([name, price]) => `${name} ${formatPrice(price)}`)
          .join(", ")}
        . Source: <a href="https://aws.amazon.com/s3/pricing/">aws.amazon.com/s3/pricing</a>.
      </p>
    </section>
  );
}

function Total({ label, value, title }: { label: string; value: string; title?: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd title={title}>{value}</dd>
    </div>
  );
}

// S3's class names with the name AWS sells them under.
const kClassNames: Record<string, string> = {
  STANDARD: "Standard",
  STANDARD_IA: "Standard-IA",
  GLACIER: "Glacier Flexible Retrieval",
  DEEP_ARCHIVE: "Glacier Deep Archive",
};

export function className(storageClass: string): string {
  const known = kClassNames[storageClass];
  return known ? `${known} (${storageClass})` : storageClass;
}

// "$1.23", and small amounts to two significant digits ("$0.0000021") rather than "$0.00".
export function formatUsd(amount: number): string {
  if (amount === 0 || amount >= 0.01) {
    return amount.toLocaleString("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2 });
  }
  return amount.toLocaleString("en-US", { style: "currency", currency: "USD", maximumSignificantDigits: 2 });
}

// A price per GB-month as AWS lists it: "$0.023", "$0.00099".
export function formatPrice(price: number): string {
  return price.toLocaleString("en-US", {
    style: "currency",
    currency: "USD",
    minimumFractionDigits: 2,
    maximumFractionDigits: 6,
  });
}
