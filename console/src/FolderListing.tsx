import { FolderPage, ObjectEntry, displayName, formatBytes } from "./api";
import { kindOf } from "./files";
import { KindIcon } from "./Icon";

export interface ObjectActions {
  open: (object: ObjectEntry) => void;
  download: (key: string) => void;
  share: (key: string) => void;
  rename: (key: string) => void;
  details: (key: string) => void;
  remove: (key: string) => void;
  removeFolder: (prefix: string) => void;
}

// The list view: sub-folders first, then objects with a type icon, size and date, a box to
// select each, and buttons for what can be done with it.
export function FolderListing({
  page,
  prefix,
  deleted,
  selected,
  onSelect,
  onFolder,
  actions,
}: {
  page: FolderPage;
  prefix: string;
  deleted: boolean;
  selected: Set<string>;
  onSelect: (keys: Set<string>) => void;
  onFolder: (prefix: string) => void;
  actions: ObjectActions;
}) {
  const allSelected = page.objects.length > 0 && page.objects.every((o) => selected.has(o.key));
  const toggle = (key: string) => {
    const next = new Set(selected);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    onSelect(next);
  };
  return (
    <table className="listing">
      <thead>
        <tr>
          <th className="check">
            <input
              type="checkbox"
              aria-label="Select every object shown"
              checked={allSelected}
              onChange={() => onSelect(allSelected ? new Set() : new Set(page.objects.map((o) => o.key)))}
            />
          </th>
          <th>Name</th>
          <th className="number">Size</th>
          <th className="optional">Modified</th>
          <th>
            <span className="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {page.folders.map((folder) => (
          <tr key={folder.prefix}>
            <td className="check" />
            <td>
              <button className="link" onClick={() => onFolder(folder.prefix)}>
                <KindIcon kind="folder" /> 
                {displayName(folder.prefix, prefix)}
              </button>
            </td>
            <td className="number" />
            <td className="optional" />
            <td className="actions">
              {!deleted && (
                <button
                  className="small danger"
                  aria-label={`Delete folder ${displayName(folder.prefix, prefix)}`}
                  onClick={() => actions.removeFolder(folder.prefix)}
                >
                  Delete
                </button>
              )}
            </td>
          </tr>
        ))}
        {page.objects.map((object) => {
          const name = displayName(object.key, prefix);
          if (deleted) {
            return (
              <tr key={object.key} className="deleted">
                <td className="check" />
                <td>
                  <button className="link" onClick={() => actions.details(object.key)}>
                    <KindIcon kind={kindOf(object.key)} /> <s>{name}</s>
                  </button>
                </td>
                <td className="number">—</td>
                <td className="optional">deleted {new Date(object.modified).toLocaleString()}</td>
                <td className="actions">
                  <button className="small" aria-label={`Versions of ${name}`} onClick={() => actions.details(object.key)}>
                    Versions
                  </button>
                </td>
              </tr>
            );
          }
          return (
            <tr key={object.key} className={selected.has(object.key) ? "selected" : undefined}>
              <td className="check">
                <input
                  type="checkbox"
                  aria-label={`Select ${name}`}
                  checked={selected.has(object.key)}
                  onChange={() => toggle(object.key)}
                />
              </td>
              <td>
                <button className="link" onClick={() => actions.open(object)}>
                  <KindIcon kind={kindOf(object.key)} /> 
                  {name}
                </button>
              </td>
              <td className="number">{formatBytes(object.size)}</td>
              <td className="optional">{new Date(object.modified).toLocaleString()}</td>
              <td className="actions">
                <button className="small" aria-label={`Download ${name}`} onClick={() => actions.download(object.key)}>
                  Download
                </button>
                <button className="small" aria-label={`Share ${name}`} onClick={() => actions.share(object.key)}>
                  Share
                </button>
                <button className="small wide-only" aria-label={`Rename ${name}`} onClick={() => actions.rename(object.key)}>
                  Rename
                </button>
                <button className="small" aria-label={`Details of ${name}`} onClick={() => actions.details(object.key)}>
                  Details
                </button>
                <button className="small danger wide-only" aria-label={`Delete ${name}`} onClick={() => actions.remove(object.key)}>
                  Delete
                </button>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
