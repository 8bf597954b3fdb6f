import { ReactNode, useId, useState } from "react";

import { ConfirmDialog } from "./ConfirmDialog";

// What a bucket's rule panels (Events, Backup) share: the section with its heading and
// introduction, the error and status lines, the rules as a table (each with a Remove button
// that asks first) or the words for none, and the form to add one below.

export function Notices({ error, status = "" }: { error: string; status?: string }) {
  return (
    <>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {status && (
        <p role="status" className="status">
          {status}
        </p>
      )}
    </>
  );
}

export interface Column<R> {
  header: string;
  className?: string;
  cell: (rule: R) => ReactNode;
}

export function RulePanel<R extends { id: string }>({
  title,
  intro,
  noun,
  rules,
  columns,
  error,
  status,
  removeMessage,
  onRemove,
  children,
}: {
  title: string;
  intro: ReactNode;
  noun: string; // "event rule": names the table, the Remove buttons and the dialog
  rules: R[] | null; // null while loading
  columns: Column<R>[];
  error: string;
  status: string;
  removeMessage: (rule: R) => string;
  // Removes the rule; throws for the dialog to show.
  onRemove: (rule: R) => Promise<void>;
  children: ReactNode; // the form that adds a rule
}) {
  const titleId = useId();
  const [removing, setRemoving] = useState<R | null>(null);
  const plural = noun.charAt(0).toUpperCase() + noun.slice(1) + "s";
  return (
    <section className="panel" aria-labelledby={titleId}>
      <h2 id={titleId}>{title}</h2>
      <p className="hint">{intro}</p>
      <Notices error={error} status={status} />
      {rules === null ? (
        !error && <p>Loading…</p>
      ) : rules.length === 0 ? (
        <p>No {noun}s yet.</p>
      ) : (
        <table className="listing" aria-label={plural}>
          <thead>
            <tr>
              {columns.map((column) => (
                <th key={column.header} className={column.className}>
                  {column.header}
                </th>
              ))}
              <ActionsHeader />
            </tr>
          </thead>
          <tbody>
            {rules.map((rule) => (
              <tr key={rule.id}>
                {columns.map((column) => (
                  <td key={column.header} className={column.className}>
                    {column.cell(rule)}
                  </td>
                ))}
                <td className="actions">
                  <button
                    className="small danger"
                    aria-label={`Remove ${noun} ${rule.id}`}
                    onClick={() => setRemoving(rule)}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {children}
      {removing && (
        <ConfirmDialog
          title={`Remove ${noun}`}
          message={removeMessage(removing)}
          confirmLabel="Remove"
          onConfirm={async () => {
            await onRemove(removing);
            setRemoving(null);
          }}
          onClose={() => setRemoving(null)}
        />
      )}
    </section>
  );
}

// The header of the column of each rule's buttons (named for screen readers only).
function ActionsHeader() {
  return (
    <th>
      <span className="sr-only">Actions</span>
    </th>
  );
}

// The optional key prefix and suffix of a rule's form.
export function KeyFilterFields({
  prefix,
  suffix,
  onPrefix,
  onSuffix,
}: {
  prefix: string;
  suffix: string;
  onPrefix: (value: string) => void;
  onSuffix: (value: string) => void;
}) {
  return (
    <div className="pair">
      <label>
        Key prefix (optional)
        <input value={prefix} placeholder="photos/" onChange={(e) => onPrefix(e.target.value)} />
      </label>
      <label>
        Key suffix (optional)
        <input value={suffix} placeholder=".jpg" onChange={(e) => onSuffix(e.target.value)} />
      </label>
    </div>
  );
}

// A labelled checkbox.
export function Check({
  label,
  checked,
  onChange,
}: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <label className="compact">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      {label}
    </label>
  );
}
