import { FormEvent, useState } from "react";

import { ConsoleApi } from "./api";
import { Dialog, messageOf } from "./Dialog";
import { folderNameProblem } from "./files";

export function NewFolderDialog({
  api,
  bucket,
  prefix,
  onCreated,
  onClose,
}: {
  api: ConsoleApi;
  bucket: string;
  prefix: string;
  onCreated: (folderPrefix: string) => void;
  onClose: () => void;
}) {
  const [name, setName] = useState("");
  const [error, setError] = useState("");

  async function submit(event: FormEvent) {
    event.preventDefault();
    const problem = folderNameProblem(name.trim());
    if (problem) return setError(problem);
    try {
      const folder = `${prefix}${name.trim()}/`;
      await api.createFolder(bucket, folder);
      onCreated(folder);
    } catch (caught) {
      setError(messageOf(caught));
    }
  }

  return (
    <Dialog title="New folder" onClose={onClose}>
      <form className="form-grid" onSubmit={submit}>
        <label>
          Folder name
          <input autoFocus value={name} onChange={(e) => setName(e.target.value)} required />
        </label>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button className="primary" type="submit">
          Create folder
        </button>
      </form>
    </Dialog>
  );
}
