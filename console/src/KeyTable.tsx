import { useState } from "react";

import { describeLastUse } from "./access";
import { AccessKeySummary, NewAccessKey } from "./api";
import { ConfirmDialog } from "./ConfirmDialog";
import { Dialog } from "./Dialog";

// Access keys with their status, age and last use; each can be made inactive or active again,
// or deleted (after asking). `sessionKey` marks the key this session signed in with: changing
// it signs the page out, which the question says.
export function KeyTable({
  keys,
  sessionKey,
  onStatus,
  onDelete,
}: {
  keys: AccessKeySummary[];
  sessionKey?: string;
  onStatus: (key: string, status: AccessKeySummary["status"]) => Promise<void>;
  onDelete: (key: string) => Promise<void>;
}) {
  const [deleting, setDeleting] = useState<string | null>(null);
  if (keys.length === 0) return <p>No access keys.</p>;
  return (
    <>
      <table className="listing" aria-label="Access keys">
        <thead>
          <tr>
            <th>Access key</th>
            <th>Status</th>
            <th className="optional">Created</th>
            <th>Last used</th>
            <th className="actions">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {keys.map((key) => (
            <tr key={key.accessKeyId}>
              <td className="mono">
                {key.accessKeyId}
                {key.accessKeyId === sessionKey && <span className="hint"> (this session)</span>}
              </td>
              <td className="state">{key.status}</td>
              <td className="optional">{key.created ?? ""}</td>
              <td>{describeLastUse(key)}</td>
              <td className="actions">
                <button
                  className="small"
                  aria-label={`${key.status === "Active" ? "Make inactive" : "Make active"} key ${key.accessKeyId}`}
                  onClick={() => onStatus(key.accessKeyId, key.status === "Active" ? "Inactive" : "Active")}
                >
                  {key.status === "Active" ? "Make inactive" : "Make active"}
                </button>
                <button
                  className="small danger"
                  aria-label={`Delete key ${key.accessKeyId}`}
                  onClick={() => setDeleting(key.accessKeyId)}
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {deleting && (
        <ConfirmDialog
          title="Delete access key"
          message={
            `Requests signed with ${deleting} will be refused from now on.` +
            (deleting === sessionKey ? " This session signed in with it and ends too." : "")
          }
          confirmLabel="Delete"
          onConfirm={async () => {
            await onDelete(deleting);
            setDeleting(null);
          }}
          onClose={() => setDeleting(null)}
        />
      )}
    </>
  );
}

// A key just made: its secret is shown this once (the server keeps it sealed).
export function NewKeyDialog({ created, onClose }: { created: NewAccessKey; onClose: () => void }) {
  return (
    <Dialog title="New access key" onClose={onClose}>
      <div className="form-grid details">
        <p role="status">Copy the secret now: it is shown only this once.</p>
        <dl>
          <div>
            <dt>User</dt>
            <dd>{created.user}</dd>
          </div>
          <div>
            <dt>Access key</dt>
            <dd data-testid="new-access-key">{created.accessKeyId}</dd>
          </div>
          <div>
            <dt>Secret key</dt>
            <dd data-testid="new-secret-key">{created.secretAccessKey}</dd>
          </div>
        </dl>
        <div className="inline">
          <button className="primary" onClick={onClose} autoFocus>
            Done
          </button>
        </div>
      </div>
    </Dialog>
  );
}
