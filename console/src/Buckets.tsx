import { FormEvent, useCallback, useEffect, useState } from "react";

import { ApiError, BucketSummary, ConsoleApi, formatBytes } from "./api";

export function Buckets({ api, onOpen }: { api: ConsoleApi; onOpen: (name: string) => void }) {
  const [buckets, setBuckets] = useState<BucketSummary[] | null>(null);
  const [name, setName] = useState("");
  const [error, setError] = useState("");

  const load = useCallback(() => {
    api.buckets().then(setBuckets, (e) => setError(e instanceof ApiError ? e.message : String(e)));
  }, [api]);
  useEffect(load, [load]);

  async function create(event: FormEvent) {
    event.preventDefault();
    setError("");
    try {
      await api.createBucket(name.trim());
      setName("");
      load();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : String(caught));
    }
  }

  return (
    <section aria-label="Buckets">
      <h2>Buckets</h2>
      <form className="inline" onSubmit={create}>
        <input
          aria-label="New bucket name"
          placeholder="new-bucket-name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
        />
        <button type="submit">Create bucket</button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {buckets === null ? (
        <p>Loading…</p>
      ) : buckets.length === 0 ? (
        <p>No buckets yet: create one above.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Objects</th>
              <th>Size</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {buckets.map((bucket) => (
              <tr key={bucket.name}>
                <td>
                  <button className="link" onClick={() => onOpen(bucket.name)}>
                    {bucket.name}
                  </button>
                </td>
                <td>{bucket.objects}</td>
                <td>{formatBytes(bucket.bytes)}</td>
                <td>{new Date(bucket.created).toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
