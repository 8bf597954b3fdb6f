import { useState } from "react";

import { ConsoleApi, FolderPage, ObjectEntry, displayName, formatBytes } from "./api";
import { hasThumbnail, kindOf } from "./files";
import { KindIcon } from "./Icon";

// The gallery view: a grid of cards, images as thumbnails the server makes (lazily loaded),
// everything else as its type icon; a card opens the lightbox.
export function Gallery({
  api,
  bucket,
  page,
  prefix,
  onFolder,
  onOpen,
}: {
  api: ConsoleApi;
  bucket: string;
  page: FolderPage;
  prefix: string;
  onFolder: (prefix: string) => void;
  onOpen: (object: ObjectEntry) => void;
}) {
  return (
    <ul className="gallery" aria-label="Gallery">
      {page.folders.map((folder) => (
        <li key={folder.prefix}>
          <button className="card" onClick={() => onFolder(folder.prefix)}>
            <span className="card-icon">
              <KindIcon kind="folder" size={72} />
            </span>
            <span className="card-name">{displayName(folder.prefix, prefix)}</span>
          </button>
        </li>
      ))}
      {page.objects.map((object) => {
        const name = displayName(object.key, prefix);
        return (
          <li key={object.key}>
            <button className="card" onClick={() => onOpen(object)} title={`${name} · ${formatBytes(object.size)}`}>
              {hasThumbnail(object.key) ? (
                <Thumbnail src={api.thumbnailUrl(bucket, object.key, 256, object.etag)} kind="image" />
              ) : (
                <span className="card-icon">
                  <KindIcon kind={kindOf(object.key)} size={72} />
                </span>
              )}
              <span className="card-name">{name}</span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}

// A server-made thumbnail, or the type icon when the server has none (an image stored without
// an image content type, or one libvips cannot read).
function Thumbnail({ src, kind }: { src: string; kind: "image" }) {
  const [failed, setFailed] = useState(false);
  if (failed) {
    return (
      <span className="card-icon">
        <KindIcon kind={kind} size={72} />
      </span>
    );
  }
  return <img className="thumb" loading="lazy" alt="" src={src} onError={() => setFailed(true)} />;
}
