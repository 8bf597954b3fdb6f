import { FormEvent, useCallback, useEffect, useState } from "react";

import { BucketSummary, ConsoleApi, formatBytes } from "./api";
import { ConfirmDialog } from "./ConfirmDialog";
import { messageOf } from "./Dialog";
import { KindIcon } from "./Icon";

// The signed-in user's buckets, with their object counts and sizes; create one, delete an
// empty one.
export function Buckets({ api, onOpen }: { api: ConsoleApi; onOpen: (name: string) => void }) {
  const [buckets, setBuckets] = useState<BucketSummary[] | null>(null);
  const [name, setName] = useState("");
  const [error, setError] = useState("");
  const [deleting, setDeleting] = useState<BucketSummary | null>(null);

  const load = useCallback(() => {
    api.buckets().then(setBuckets, (e) => setError(messageOf(e)));
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
      setError(messageOf(caught));
    }
  }

  // Throws for the dialog to show.
  async function remove(bucket: BucketSummary) {
    await api.deleteBucket(bucket.name);
    setDeleting(null);
    load();
  }

  async function toggleVersioning(bucket: BucketSummary) {
    setError("");
    try {
      await api.setVersioning(bucket.name, bucket.versioning === "Enabled" ? "Suspended" : "Enabled");
      load();
    } catch (caught) {
      setError(messageOf(caught));
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
        <button type="submit" className="primary">
          Create bucket
        </button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {buckets === null ? (
        !error && <p>Loading…</p>
      ) : buckets.length === 0 ? (
        <p>No buckets yet: create one above.</p>
      ) : (
        <table className="listing">
          <thead>
            <tr>
              <th>Name</th>
              <th className="number">Objects</th>
              <th className="number">Size</th>
              <th className="optional">Created</th>
              <th>Versioning</th>
              <th>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {buckets.map((bucket) => (
              <tr key={bucket.name}>
                <td>
                  <button className="link" onClick={() => onOpen(bucket.name)}>
                    <KindIcon kind="bucket" /> 
                    {bucket.name}
                  </button>
                </td>
                <td className="number">{bucket.objects}</td>
                <td className="number">{formatBytes(bucket.bytes)}</td>
                <td className="optional">{new Date(bucket.created).toLocaleString()}</td>
                <td>
                  {bucket.versioning}{" "}
                  <button
                    className="small"
                    aria-label={`${bucket.versioning === "Enabled" ? "Suspend" : "Turn on"} versioning of ${bucket.name}`}
                    onClick={() => toggleVersioning(bucket)}
                  >
                    {bucket.versioning === "Enabled" ? "Suspend" : "Turn on"}
                  </button>
                </td>
                <td className="actions">
                  <button
                    className="small danger"
                    aria-label={`Delete bucket ${bucket.name}`}
                    onClick={() => setDeleting(bucket)}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {deleting && (
        <ConfirmDialog
          title="Delete bucket"
          message={`Delete the bucket “${deleting.name}”? Only an empty bucket can be deleted.`}
          confirmLabel="Delete bucket"
          onConfirm={() => remove(deleting)}
          onClose={() => setDeleting(null)}
        />
      )}
    </section>
  );
}
