import { FormEvent, useState } from "react";

import { ConsoleApi } from "./api";
import { Dialog, messageOf } from "./Dialog";
import { renamedKey } from "./files";

// Renames or moves an object within its bucket: a bare name keeps the folder, a path with
// "/" moves it (from the bucket's root).
export function RenameDialog({
  api,
  bucket,
  objectKey,
  onDone,
  onClose,
}: {
  api: ConsoleApi;
  bucket: string;
  objectKey: string;
  onDone: (newKey: string) => void;
  onClose: () => void;
}) {
  const [typed, setTyped] = useState(objectKey.slice(objectKey.lastIndexOf("/") + 1));
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const to = renamedKey(objectKey, typed);
    if (to === objectKey) return onClose();
    setBusy(true);
    setError("");
    try {
      const renamed = await api.rename(bucket, objectKey, to);
      onDone(renamed.key);
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog title="Rename or move" onClose={onClose}>
      <form className="form-grid" onSubmit={submit}>
        <label>
          New name, or a path such as folder/name.txt to move it
          <input autoFocus value={typed} onChange={(e) => setTyped(e.target.value)} required />
        </label>
        <p className="hint">Becomes: {renamedKey(objectKey, typed)}</p>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button className="primary" type="submit" disabled={busy}>
          {busy ? "Renaming…" : "Rename"}
        </button>
      </form>
    </Dialog>
  );
}
