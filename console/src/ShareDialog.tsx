import { useState } from "react";

import { ConsoleApi } from "./api";
import { Dialog, messageOf } from "./Dialog";
import { describeLifetime, shareLifetimes } from "./files";

// A link to one object that anyone can open until it expires (a pre-signed GET).
export function ShareDialog({
  api,
  bucket,
  objectKey,
  onClose,
}: {
  api: ConsoleApi;
  bucket: string;
  objectKey: string;
  onClose: () => void;
}) {
  const [seconds, setSeconds] = useState(shareLifetimes[2].seconds);
  const [link, setLink] = useState("");
  const [note, setNote] = useState("");
  const [error, setError] = useState("");

  async function create() {
    setError("");
    setNote("");
    try {
      const signed = await api.linkTo(bucket, objectKey, { expiresSeconds: seconds });
      setLink(signed.url);
      setNote(`This link works for ${describeLifetime(signed.expiresSeconds)}.`);
    } catch (caught) {
      setError(messageOf(caught));
    }
  }

  async function copy() {
    try {
      await navigator.clipboard.writeText(link);
      setNote("Copied to the clipboard.");
    } catch {
      setNote("Copy the selected link by hand (the browser did not allow the clipboard).");
      (document.getElementById("share-link") as HTMLInputElement | null)?.select();
    }
  }

  return (
    <Dialog title={`Share “${objectKey.slice(objectKey.lastIndexOf("/") + 1)}”`} onClose={onClose}>
      <div className="form-grid">
        <label>
          Link lasts
          <select value={seconds} onChange={(e) => setSeconds(Number(e.target.value))}>
            {shareLifetimes.map((choice) => (
              <option key={choice.seconds} value={choice.seconds}>
                {choice.label}
              </option>
            ))}
          </select>
        </label>
        <button className="primary" onClick={create}>
          Create link
        </button>
        {link && (
          <div className="inline">
            <input id="share-link" aria-label="Share link" readOnly value={link} />
            <button onClick={copy}>Copy</button>
          </div>
        )}
        {note && <p role="status">{note}</p>}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </div>
    </Dialog>
  );
}
