import { useCallback, useEffect, useMemo, useRef, useState } from "react";

import { ConsoleApi, FolderPage, FolderQuery, ObjectEntry, SortField } from "./api";
import { BackupPanel } from "./BackupPanel";
import { ConfirmDialog } from "./ConfirmDialog";
import { DetailsDialog } from "./DetailsDialog";
import { Dialog, messageOf } from "./Dialog";
import { EventsPanel } from "./EventsPanel";
import { kindOf } from "./files";
import { FolderListing } from "./FolderListing";
import { Gallery } from "./Gallery";
import { NewFolderDialog } from "./NewFolderDialog";
import { Preview } from "./Preview";
import { RenameDialog } from "./RenameDialog";
import { PermissionsPanel } from "./PermissionsPanel";
import { Notices } from "./RulePanel";
import { ShareDialog } from "./ShareDialog";
import { Uploader } from "./Uploader";
import { UsagePanel } from "./UsagePanel";

type View = "list" | "gallery";
// What the bucket page shows: the objects, or one of the bucket's settings panels.
type Panel = "files" | "usage" | "events" | "backup" | "permissions";
const panels: { panel: Panel; label: string }[] = [
  { panel: "files", label: "Files" },
  { panel: "usage", label: "Usage" },
  { panel: "events", label: "Events" },
  { panel: "backup", label: "Backup" },
  { panel: "permissions", label: "Permissions" },
];

// What is open over the folder, at most one at a time.
type Overlay =
  | { kind: "upload" }
  | { kind: "new-folder" }
  | { kind: "share"; key: string }
  | { kind: "rename"; key: string }
  | { kind: "details"; key: string }
  | { kind: "preview"; index: number }
  | { kind: "confirm-delete"; keys: string[] }
  | { kind: "confirm-delete-folder"; prefix: string };

const pageSize = 200;

// One folder of a bucket: breadcrumbs, a toolbar (upload, new folder, search, sort, view,
// delete the selected), the listing as a table or a gallery, paged; and the dialogs that act
// on one object. Beside the breadcrumbs, the bucket's Usage, Events, Backup and Permissions panels in
// its place.
export function Folder({
  api,
  bucket,
  prefix,
  onNavigate,
  onBuckets,
}: {
  api: ConsoleApi;
  bucket: string;
  prefix: string;
  onNavigate: (prefix: string) => void;
  onBuckets: () => void;
}) {
  const [page, setPage] = useState<FolderPage | null>(null);
  const [error, setError] = useState("");
  const [status, setStatus] = useState("");
  const [typed, setTyped] = useState("");
  const [search, setSearch] = useState("");
  const [sort, setSort] = useState<SortField>("name");
  const [order, setOrder] = useState<"asc" | "desc">("asc");
  const [showDeleted, setShowDeleted] = useState(false);
  const [view, setView] = useState<View>(
    () => (localStorage.getItem("cloudvault.view") as View) ?? "list",
  );
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [overlay, setOverlay] = useState<Overlay | null>(null);
  const [panel, setPanel] = useState<Panel>("files");
  const generation = useRef(0);

  // What the listing asks for: deleted keys come in name order only.
  const query = useMemo<FolderQuery>(
    () =>
      showDeleted
        ? { search, deleted: true, limit: pageSize }
        : { search, sort, order, limit: pageSize },
    [search, sort, order, showDeleted],
  );

  // The first page for the folder and query; later answers win over earlier ones.
  const load = useCallback(() => {
    const mine = ++generation.current;
    setError("");
    api.folder(bucket, prefix, query).then(
      (first) => mine === generation.current && setPage(first),
      (caught) => mine === generation.current && setError(messageOf(caught)),
    );
  }, [api, bucket, prefix, query]);

  useEffect(() => {
    setPage(null);
    setSelected(new Set());
    load();
  }, [load]);
  useEffect(() => {
    setTyped("");
    setSearch("");
    setPanel("files");
  }, [prefix]);
  useEffect(() => {
    const timer = window.setTimeout(() => setSearch(typed.trim()), 250);
    return () => window.clearTimeout(timer);
  }, [typed]);
  useEffect(() => localStorage.setItem("cloudvault.view", view), [view]);

  async function more() {
    if (!page?.next) return;
    const mine = generation.current;
    try {
      const next = await api.folder(bucket, prefix, { ...query, after: page.next });
      if (mine !== generation.current) return;
      setPage({
        ...next,
        folders: [...page.folders, ...next.folders],
        objects: [...page.objects, ...next.objects],
      });
    } catch (caught) {
      setError(messageOf(caught));
    }
  }

  async function download(key: string, versionId?: string) {
    try {
      const signed = await api.linkTo(bucket, key, { download: true, versionId });
      const anchor = document.createElement("a");
      anchor.href = signed.url;
      anchor.rel = "noopener";
      document.body.appendChild(anchor);
      anchor.click();
      anchor.remove();
    } catch (caught) {
      setError(messageOf(caught));
    }
  }

  // Runs once confirmed; throws for the dialog to show.
  async function remove(keys: string[]) {
    setError("");
    const result = await api.deleteObjects(bucket, keys);
    setOverlay(null);
    if (result.failed.length > 0) {
      setError(`Not deleted: ${result.failed.map((f) => `${f.key} (${f.message})`).join("; ")}`);
    }
    setStatus(`Deleted ${result.deleted.length} of ${keys.length}.`);
    load();
  }
  const confirmDelete = (keys: string[]) => setOverlay({ kind: "confirm-delete", keys });

  // Runs once confirmed: batch after batch until the folder is empty; throws for the dialog.
  async function removeFolder(folder: string) {
    let total = 0;
    for (let batch = 0; batch < 1_000_000; batch++) {
      const step = await api.deleteFolder(bucket, folder);
      total += step.deleted;
      setStatus(`Deleting ${folder}: ${total} objects so far…`);
      if (!step.more) break;
    }
    setOverlay(null);
    setStatus(`Deleted the folder ${folder} (${total} objects).`);
    load();
  }

  const objects = page?.objects ?? [];
  const previewable = objects.filter((o) => kindOf(o.key) !== "other" && kindOf(o.key) !== "archive");
  function open(object: ObjectEntry) {
    const index = previewable.findIndex((o) => o.key === object.key);
    setOverlay(index >= 0 ? { kind: "preview", index } : { kind: "details", key: object.key });
  }

  const crumbs = prefix.split("/").filter(Boolean);
  const actions = {
    open,
    download: (key: string) => download(key),
    share: (key: string) => setOverlay({ kind: "share", key }),
    rename: (key: string) => setOverlay({ kind: "rename", key }),
    details: (key: string) => setOverlay({ kind: "details", key }),
    remove: (key: string) => confirmDelete([key]),
    removeFolder: (folder: string) => setOverlay({ kind: "confirm-delete-folder", prefix: folder }),
  };

  return (
    <section aria-label={`Bucket ${bucket}`}>
      <div className="bucket-head">
        <nav className="crumbs" aria-label="Breadcrumbs">
          <button className="link" onClick={onBuckets}>
            Buckets
          </button>
          <span aria-hidden="true"> / </span>
          <button className="link" onClick={() => onNavigate("")} aria-current={!prefix ? "page" : undefined}>
            {bucket}
          </button>
          {crumbs.map((crumb, i) => (
            <span key={i}>
              <span aria-hidden="true"> / </span>
              <button
                className="link"
                aria-current={i === crumbs.length - 1 ? "page" : undefined}
                onClick={() => onNavigate(crumbs.slice(0, i + 1).join("/") + "/")}
              >
                {crumb}
              </button>
            </span>
          ))}
        </nav>
        <div className="segmented" role="group" aria-label="Bucket page">
          {panels.map((choice) => (
            <button
              key={choice.panel}
              aria-pressed={panel === choice.panel}
              onClick={() => setPanel(choice.panel)}
            >
              {choice.label}
            </button>
          ))}
        </div>
      </div>
      {panel === "usage" && <UsagePanel api={api} bucket={bucket} />}
      {panel === "events" && <EventsPanel api={api} bucket={bucket} />}
      {panel === "backup" && <BackupPanel api={api} bucket={bucket} />}
      {panel === "permissions" && <PermissionsPanel api={api} bucket={bucket} />}
      {panel === "files" && (
        <>
          <div className="toolbar" role="toolbar" aria-label="Folder actions">
            <button className="primary" onClick={() => setOverlay({ kind: "upload" })}>
              Upload
            </button>
            <button onClick={() => setOverlay({ kind: "new-folder" })}>New folder</button>
            <button
              className="danger"
              disabled={selected.size === 0}
              onClick={() => confirmDelete([...selected])}
            >
              Delete selected{selected.size > 0 ? ` (${selected.size})` : ""}
            </button>
            <input
              type="search"
              aria-label="Search in this folder"
              placeholder="Search in this folder"
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
            />
            <label className="compact">
              Sort by
              <select
                value={sort}
                disabled={showDeleted}
                onChange={(e) => setSort(e.target.value as SortField)}
              >
                <option value="name">Name</option>
                <option value="size">Size</option>
                <option value="modified">Date</option>
                <option value="type">Type</option>
              </select>
            </label>
            <button
              disabled={showDeleted}
              aria-label={order === "asc" ? "Ascending order (switch to descending)" : "Descending order (switch to ascending)"}
              onClick={() => setOrder(order === "asc" ? "desc" : "asc")}
            >
              {order === "asc" ? "↑" : "↓"}
            </button>
            <label className="compact" title="Deleted objects of a versioned bucket, to restore">
              <input
                type="checkbox"
                checked={showDeleted}
                onChange={(e) => setShowDeleted(e.target.checked)}
              />
              Show deleted
            </label>
            <div className="segmented" role="group" aria-label="View">
              <button aria-pressed={view === "list"} onClick={() => setView("list")}>
                List
              </button>
              <button aria-pressed={view === "gallery"} onClick={() => setView("gallery")}>
                Gallery
              </button>
            </div>
          </div>

          <Notices error={error} status={status} />
          {page === null ? (
            !error && <p>Loading…</p>
          ) : page.folders.length === 0 && page.objects.length === 0 ? (
            <p>
              {search
                ? `Nothing here matches “${search}”.`
                : showDeleted
                  ? "Nothing was deleted in this folder (or versioning is off, so deletes are final)."
                  : "This folder is empty."}
            </p>
          ) : view === "list" || showDeleted ? (
            <FolderListing
              page={page}
              prefix={prefix}
              deleted={showDeleted}
              selected={selected}
              onSelect={setSelected}
              onFolder={onNavigate}
              actions={actions}
            />
          ) : (
            <Gallery api={api} bucket={bucket} page={page} prefix={prefix} onFolder={onNavigate} onOpen={open} />
          )}
          {page?.next && (
            <button className="more" onClick={more}>
              Show more
            </button>
          )}
        </>
      )}

      {overlay?.kind === "confirm-delete" && (
        <ConfirmDialog
          title="Delete"
          message={
            overlay.keys.length === 1
              ? `Delete “${overlay.keys[0]}”?`
              : `Delete ${overlay.keys.length} objects?`
          }
          confirmLabel="Delete"
          onConfirm={() => remove(overlay.keys)}
          onClose={() => setOverlay(null)}
        />
      )}
      {overlay?.kind === "confirm-delete-folder" && (
        <ConfirmDialog
          title="Delete folder"
          message={`Delete the folder “${overlay.prefix}” and everything in it?`}
          confirmLabel="Delete folder"
          onConfirm={() => removeFolder(overlay.prefix)}
          onClose={() => setOverlay(null)}
        />
      )}
      {overlay?.kind === "upload" && (
        <Dialog title={`Upload to ${bucket}/${prefix}`} onClose={() => setOverlay(null)} wide>
          <Uploader api={api} bucket={bucket} prefix={prefix} onUploaded={load} />
        </Dialog>
      )}
      {overlay?.kind === "new-folder" && (
        <NewFolderDialog
          api={api}
          bucket={bucket}
          prefix={prefix}
          onCreated={(folder) => {
            setOverlay(null);
            onNavigate(folder);
          }}
          onClose={() => setOverlay(null)}
        />
      )}
      {overlay?.kind === "share" && (
        <ShareDialog api={api} bucket={bucket} objectKey={overlay.key} onClose={() => setOverlay(null)} />
      )}
      {overlay?.kind === "rename" && (
        <RenameDialog
          api={api}
          bucket={bucket}
          objectKey={overlay.key}
          onDone={(key) => {
            setOverlay(null);
            setStatus(`Renamed to ${key}.`);
            load();
          }}
          onClose={() => setOverlay(null)}
        />
      )}
      {overlay?.kind === "details" && (
        <DetailsDialog
          api={api}
          bucket={bucket}
          objectKey={overlay.key}
          onDownload={download}
          onRename={(key) => setOverlay({ kind: "rename", key })}
          onDelete={(key) => confirmDelete([key])}
          onChanged={load}
          onClose={() => setOverlay(null)}
        />
      )}
      {overlay?.kind === "preview" && previewable.length > 0 && (
        <Preview
          api={api}
          bucket={bucket}
          items={previewable}
          start={Math.min(overlay.index, previewable.length - 1)}
          onDownload={(key) => download(key)}
          onShare={(key) => setOverlay({ kind: "share", key })}
          onClose={() => setOverlay(null)}
        />
      )}
    </section>
  );
}
