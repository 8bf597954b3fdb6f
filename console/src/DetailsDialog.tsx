import { useCallback, useEffect, useState } from "react";

import {
  ConsoleApi,
  DeletedObjectDetails,
  NameValue,
  ObjectDetails,
  ObjectVersionSummary,
  formatBytes,
} from "./api";
import { Dialog, messageOf } from "./Dialog";
import { replicationStatusLabel } from "./rules";

// One object's details: size, type, ETag, class, encryption, replication (backup) status when
// a backup rule applies, metadata, tags and versions (download an old version, or make it the
// current one again; delete markers shown as such).
export function DetailsDialog({
  api,
  bucket,
  objectKey,
  onDownload,
  onRename,
  onDelete,
  onChanged,
  onClose,
}: {
  api: ConsoleApi;
  bucket: string;
  objectKey: string;
  onDownload: (key: string, versionId?: string) => void;
  onRename: (key: string) => void;
  onDelete: (key: string) => void;
  onChanged: () => void;
  onClose: () => void;
}) {
  const [details, setDetails] = useState<ObjectDetails | DeletedObjectDetails | null>(null);
  const [error, setError] = useState("");
  const [note, setNote] = useState("");

  const load = useCallback(() => {
    api.details(bucket, objectKey).then(setDetails, (e) => setError(messageOf(e)));
  }, [api, bucket, objectKey]);
  useEffect(load, [load]);

  async function restore(versionId: string) {
    setError("");
    try {
      await api.restoreVersion(bucket, objectKey, versionId);
      setNote("That version is the current one again.");
      load();
      onChanged();
    } catch (caught) {
      setError(messageOf(caught));
    }
  }

  const rows = details && !details.deleted ? detailRows(details) : [];

  return (
    <Dialog title="Details" onClose={onClose} wide>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {note && <p role="status">{note}</p>}
      {!details ? (
        !error && <p>Loading…</p>
      ) : (
        <div className="details">
          <dl>
            {rows.map(([name, value]) => (
              <div key={name}>
                <dt>{name}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
          {details.deleted ? (
            <p>
              <strong>{objectKey}</strong> is deleted. Restore one of its versions to bring it
              back.
            </p>
          ) : (
            <>
              <div className="inline">
                <button onClick={() => onDownload(objectKey)}>Download</button>
                <button onClick={() => onRename(objectKey)}>Rename or move</button>
                <button className="danger" onClick={() => onDelete(objectKey)}>
                  Delete
                </button>
              </div>
              <Pairs title="Headers" pairs={details.headers} />
              <Pairs title="Metadata" pairs={details.metadata} />
              <Pairs title="Tags" pairs={details.tags} />
            </>
          )}
          {(details.versions.length > 1 || details.deleted) && (
            <>
              <h3>Versions</h3>
              <table className="listing">
                <thead>
                  <tr>
                    <th>Version</th>
                    <th className="number">Size</th>
                    <th>Modified</th>
                    <th>
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {details.versions.map((version) => (
                    <tr key={version.versionId}>
                      <td>
                        <code>{version.versionId}</code>
                        {versionNotes(version)}
                      </td>
                      <td className="number">
                        {version.deleteMarker ? "—" : formatBytes(version.size)}
                      </td>
                      <td>{new Date(version.modified).toLocaleString()}</td>
                      <td className="actions">
                        {!version.deleteMarker && !version.latest && (
                          <>
                            <button
                              className="small"
                              onClick={() => onDownload(objectKey, version.versionId)}
                            >
                              Download
                            </button>
                            <button className="small" onClick={() => restore(version.versionId)}>
                              Restore
                            </button>
                          </>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </div>
      )}
    </Dialog>
  );
}

// The details list of an object, for people; "Replication" only when a backup rule applies.
export function detailRows(details: ObjectDetails): [string, string][] {
  const rows: [string, string][] = [
    ["Key", details.key],
    ["Size", `${formatBytes(details.size)} (${details.size.toLocaleString()} bytes)`],
    ["Type", details.contentType || "—"],
    ["ETag", details.etag],
    ["Modified", new Date(details.modified).toLocaleString()],
    ["Storage class", details.storageClass],
    ["Encryption", details.encryption ?? "none"],
    ["Version", details.versionId || "— (versioning is off)"],
  ];
  const replication = replicationStatusLabel(details.replicationStatus);
  if (replication) rows.push(["Replication", replication]);
  return rows;
}

// What follows a version's id in the versions table: current, delete marker, replication.
export function versionNotes(version: ObjectVersionSummary): string {
  const replication = replicationStatusLabel(version.replicationStatus);
  return [
    version.latest ? " (current)" : "",
    version.deleteMarker ? " — delete marker" : "",
    replication ? ` — replication: ${replication.toLowerCase()}` : "",
  ].join("");
}

function Pairs({ title, pairs }: { title: string; pairs: NameValue[] }) {
  if (pairs.length === 0) return null;
  return (
    <>
      <h3>{title}</h3>
      <dl>
        {pairs.map(({ name, value }) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}
