import { useEffect, useState } from "react";

import { ConsoleApi, ObjectEntry, formatBytes } from "./api";
import { Dialog, messageOf } from "./Dialog";
import { extensionOf, kindOf } from "./files";

const textPreviewBytes = 256 * 1024;
// Images browsers do not draw themselves: shown through the server's largest thumbnail.
const drawnByServer = new Set(["tif", "tiff", "heic"]);

// A lightbox over the objects of a listing: shows one in the browser (image, video, audio,
// PDF, text), and pages to the previous or next one with the buttons or the arrow keys.
export function Preview({
  api,
  bucket,
  items,
  start,
  onDownload,
  onShare,
  onClose,
}: {
  api: ConsoleApi;
  bucket: string;
  items: ObjectEntry[];
  start: number;
  onDownload: (key: string) => void;
  onShare: (key: string) => void;
  onClose: () => void;
}) {
  const [index, setIndex] = useState(start);
  const item = items[index];
  const step = (by: number) => setIndex((i) => (i + by + items.length) % items.length);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      // Media controls and form fields keep their own arrow keys.
      if (event.target instanceof HTMLMediaElement || event.target instanceof HTMLInputElement) return;
      if (event.key === "ArrowRight") step(1);
      if (event.key === "ArrowLeft") step(-1);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [items.length]);

  return (
    <Dialog title={item.key.slice(item.key.lastIndexOf("/") + 1)} onClose={onClose} wide>
      <div className="preview">
        <div className="preview-bar">
          <button onClick={() => step(-1)} disabled={items.length < 2} aria-label="Previous">
            ‹ Previous
          </button>
          <span>
            {index + 1} of {items.length} · {formatBytes(item.size)}
          </span>
          <button onClick={() => step(1)} disabled={items.length < 2} aria-label="Next">
            Next ›
          </button>
          <button onClick={() => onDownload(item.key)}>Download</button>
          <button onClick={() => onShare(item.key)}>Share</button>
        </div>
        <PreviewBody key={item.key} api={api} bucket={bucket} item={item} />
      </div>
    </Dialog>
  );
}

function PreviewBody({ api, bucket, item }: { api: ConsoleApi; bucket: string; item: ObjectEntry }) {
  const kind = kindOf(item.key);
  const [url, setUrl] = useState("");
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState("");

  useEffect(() => {
    let live = true;
    api.linkTo(bucket, item.key, { expiresSeconds: 900 }).then(
      async (signed) => {
        if (!live) return;
        setUrl(signed.url);
        if (kind === "text") {
          const response = await fetch(signed.url, {
            headers: { Range: `bytes=0-${textPreviewBytes - 1}` },
          });
          const body = await response.text();
          if (live) setText(body);
        }
      },
      (caught) => live && setError(messageOf(caught)),
    );
    return () => {
      live = false;
    };
  }, [api, bucket, item.key, kind]);

  if (error) return <p role="alert" className="error">{error}</p>;
  if (!url) return <p>Loading…</p>;
  const name = item.key.slice(item.key.lastIndexOf("/") + 1);
  switch (kind) {
    case "image":
      return (
        <img
          className="preview-media"
          alt={name}
          src={drawnByServer.has(extensionOf(item.key)) ? api.thumbnailUrl(bucket, item.key, 512) : url}
        />
      );
    case "video":
      return <video className="preview-media" controls src={url} aria-label={name} />;
    case "audio":
      return <audio controls src={url} aria-label={name} />;
    case "pdf":
      return <iframe className="preview-frame" title={name} src={url} />;
    case "text":
      return text === null ? (
        <p>Loading…</p>
      ) : (
        <pre className="preview-text" aria-label={`Text of ${name}`}>
          {text}
          {item.size > textPreviewBytes && "\n… (the first 256 KiB)"}
        </pre>
      );
    default:
      return <p>There is no preview for this kind of file. Download it to open it.</p>;
  }
}
