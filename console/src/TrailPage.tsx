import { FormEvent, useCallback, useEffect, useState } from "react";

import { firstTrailPageWithRecords, TrailQuery, TrailRecord } from "./activity";
import { ApiError, ConsoleApi } from "./api";

// The audit trail, filtered as `cloudvault trail lookup` filters it (root sees every user's
// records, others their own), newest first, a page at a time. The server examines a bounded
// window of records per call, so a page may come back empty with a continuation: the page
// follows up to EMPTY_WINDOWS such windows by itself before it asks the person to go on.
const EMPTY_WINDOWS = 5;
export function TrailPage({ api }: { api: ConsoleApi }) {
  const [query, setQuery] = useState<TrailQuery>({});
  const [records, setRecords] = useState<TrailRecord[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState("");

  const load = useCallback(
    async (wanted: TrailQuery, append: boolean) => {
      setError("");
      try {
        const page = await firstTrailPageWithRecords((q) => api.trail(q), wanted, EMPTY_WINDOWS);
        setRecords((shown) => (append && shown ? [...shown, ...page.records] : page.records));
        setNext(page.next);
      } catch (e) {
        setError((e as ApiError).message);
      }
    },
    [api],
  );
  useEffect(() => {
    load({}, false);
  }, [load]);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? "").trim() || undefined;
    const wanted: TrailQuery = {
      user: text("user"),
      bucket: text("bucket"),
      prefix: text("prefix"),
      event: text("event"),
      from: text("from"),
      to: text("to"),
      error: form.get("error") === "on",
    };
    setQuery(wanted);
    load(wanted, false);
  };

  return (
    <section className="panel trail">
      <h1>Audit trail</h1>
      <form className="trail-filters" onSubmit={submit} aria-label="Filter the trail">
        <label>
          User
          <input name="user" />
        </label>
        <label>
          Bucket
          <input name="bucket" />
        </label>
        <label>
          Key prefix
          <input name="prefix" />
        </label>
        <label>
          Call
          <input name="event" placeholder="PutObject" />
        </label>
        <label>
          From
          <input name="from" placeholder="2026-12-01T00:00:00Z" />
        </label>
        <label>
          To
          <input name="to" placeholder="2026-12-31T00:00:00Z" />
        </label>
        <label className="compact">
          <input type="checkbox" name="error" /> Failed and denied only
        </label>
        <button type="submit">Filter</button>
      </form>
      {error && <p className="error">{error}</p>}
      {records === null ? (
        <p>Loading…</p>
      ) : records.length === 0 ? (
        <p className="hint">
          {next
            ? "No records match among the newest ones searched; More searches older records."
            : "No records match."}
        </p>
      ) : (
        <table className="listing trail-records">
          <thead>
            <tr>
              <th>Time</th>
              <th>User</th>
              <th>Call</th>
              <th>Bucket / key</th>
              <th className="optional">From</th>
              <th>Outcome</th>
            </tr>
          </thead>
          <tbody>
            {records.map((record) => (
              <tr key={record.eventID}>
                <td>{record.eventTime}</td>
                <td>{record.userIdentity?.userName ?? record.userIdentity?.type ?? "anonymous"}</td>
                <td>{record.eventName}</td>
                <td>
                  {[record.requestParameters?.bucketName, record.requestParameters?.key]
                    .filter(Boolean)
                    .join("/")}
                </td>
                <td className="optional">{record.sourceIPAddress}</td>
                <td>{record.errorCode ? <span className="error">{record.errorCode}</span> : "OK"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next && (
        <button className="more" onClick={() => load({ ...query, next }, true)}>
          More
        </button>
      )}
    </section>
  );
}
