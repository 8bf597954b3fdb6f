import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";

import { ConsoleApi, FolderPage, ObjectDetails } from "./api";
import { detailRows, versionNotes } from "./DetailsDialog";
import { FolderListing, ObjectActions } from "./FolderListing";
import { Gallery } from "./Gallery";

const hostile = `<img src=x onerror=alert(1)>"&.png`;
const page: FolderPage = {
  bucket: "b",
  prefix: "p/",
  folders: [{ prefix: "p/<script>/" }],
  objects: [
    { key: `p/${hostile}`, size: 2048, modified: "2026-12-01T10:00:00Z", etag: "e1", storageClass: "STANDARD" },
    { key: "p/notes.txt", size: 5, modified: "2026-12-01T10:00:00Z", etag: "e2", storageClass: "STANDARD" },
  ],
  next: null,
};
const noActions: ObjectActions = {
  open: () => undefined,
  download: () => undefined,
  share: () => undefined,
  rename: () => undefined,
  details: () => undefined,
  remove: () => undefined,
  removeFolder: () => undefined,
};

describe("the list view", () => {
  it("shows names as text, never as markup", () => {
    const html = renderToStaticMarkup(
      <FolderListing
        page={page}
        prefix="p/"
        deleted={false}
        selected={new Set()}
        onSelect={() => undefined}
        onFolder={() => undefined}
        actions={noActions}
      />,
    );
    expect(html).not.toContain("<img src=x");
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;&quot;&amp;.png");
    expect(html).toContain("&lt;script&gt;");
    expect(html).toContain("2.0 KiB");
  });

  it("offers only the versions of deleted keys", () => {
    const html = renderToStaticMarkup(
      <FolderListing
        page={{ ...page, folders: [], objects: [page.objects[1]] }}
        prefix="p/"
        deleted={true}
        selected={new Set()}
        onSelect={() => undefined}
        onFolder={() => undefined}
        actions={noActions}
      />,
    );
    expect(html).toContain("Versions of notes.txt");
    expect(html).not.toContain("Download notes.txt");
    expect(html).not.toContain("Share notes.txt");
  });
});

describe("the gallery", () => {
  it("asks the server for thumbnails of images only, with the key escaped", () => {
    const html = renderToStaticMarkup(
      <Gallery
        api={new ConsoleApi()}
        bucket="b"
        page={page}
        prefix="p/"
        onFolder={() => undefined}
        onOpen={() => undefined}
      />,
    );
    const thumbnails = [...html.matchAll(/<img [^>]*src="([^"]+)"/g)].map((m) => m[1]);
    expect(thumbnails).toEqual([
      "/_console/api/thumbnail?bucket=b&amp;key=p%2F%3Cimg+src%3Dx+onerror%3Dalert%281%29%3E%22%26.png&amp;size=256&amp;etag=e1",
    ]);
  });
});

describe("the details dialog", () => {
  const details: ObjectDetails = {
    bucket: "b",
    key: "report.pdf",
    deleted: false,
    size: 1024,
    contentType: "application/pdf",
    etag: "e",
    modified: "2026-12-01T10:00:00Z",
    storageClass: "STANDARD",
    versionId: "v2",
    metadata: [],
    headers: [],
    tags: [],
    versions: [],
  };

  it("shows the replication status only when a backup rule applies", () => {
    const names = (d: ObjectDetails) => detailRows(d).map(([name]) => name);
    expect(names(details)).not.toContain("Replication");
    expect(names({ ...details, replicationStatus: "" })).not.toContain("Replication");
    expect(detailRows({ ...details, replicationStatus: "FAILED" })).toContainEqual(["Replication", "Failed"]);
    expect(detailRows({ ...details, replicationStatus: "REPLICA" })).toContainEqual(["Replication", "Replica"]);
  });

  it("notes each version's state and replication", () => {
    const version = { versionId: "v1", latest: true, deleteMarker: false, size: 1, modified: "" };
    expect(versionNotes(version)).toBe(" (current)");
    expect(versionNotes({ ...version, replicationStatus: "PENDING" })).toBe(" (current) — replication: pending");
    expect(versionNotes({ ...version, latest: false, deleteMarker: true, replicationStatus: "COMPLETED" })).toBe(
      " — delete marker — replication: completed",
    );
  });
});
