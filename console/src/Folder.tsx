import { useEffect, useState } from "react";

import { ApiError, ConsoleApi, FolderPage, displayName, formatBytes } from "./api";

// One folder of a bucket: breadcrumbs, sub-folders, objects, and a "more" button for paging.
export function Folder({ api, bucket, onBack }: { api: ConsoleApi; bucket: string; onBack: () => void }) {
  const [prefix, setPrefix] = useState("");
  const [page, setPage] = useState<FolderPage | null>(null);
  const [error, setError] = useState("");

  useEffect(() => {
    setPage(null);
    setError("");
    api.folder(bucket, prefix).then(setPage, (e) =>
      setError(e instanceof ApiError ? e.message : String(e)),
    );
  }, [api, bucket, prefix]);

  async function more() {
    if (!page?.next) return;
    const next = await api.folder(bucket, prefix, page.next);
    setPage({
      ...next,
      folders: [...page.folders, ...next.folders],
      objects: [...page.objects, ...next.objects],
    });
  }

  const crumbs = prefix.split("/").filter(Boolean);
  return (
    <section aria-label={`Bucket ${bucket}`}>
      <nav className="crumbs" aria-label="Breadcrumbs">
        <button className="link" onClick={onBack}>
          Buckets
        </button>
        {" / "}
        <button className="link" onClick={() => setPrefix("")}>
          {bucket}
        </button>
        {crumbs.map((crumb, i) => (
          <span key={i}>
            {" / "}
            <button
              className="link"
              onClick={() => setPrefix(crumbs.slice(0, i + 1).join("/") + "/")}
            >
              {crumb}
            </button>
          </span>
        ))}
      </nav>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {page === null ? (
        !error && <p>Loading…</p>
      ) : page.folders.length === 0 && page.objects.length === 0 ? (
        <p>This folder is empty.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Size</th>
              <th>Modified</th>
            </tr>
          </thead>
          <tbody>
            {page.folders.map((folder) => (
              <tr key={folder.prefix}>
                <td>
                  <button className="link folder" onClick={() => setPrefix(folder.prefix)}>
                    {displayName(folder.prefix, prefix)}
                  </button>
                </td>
                <td />
                <td />
              </tr>
            ))}
            {page.objects.map((object) => (
              <tr key={object.key}>
                <td>{displayName(object.key, prefix)}</td>
                <td>{formatBytes(object.size)}</td>
                <td>{new Date(object.modified).toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page?.next && <button onClick={more}>Show more</button>}
    </section>
  );
}
