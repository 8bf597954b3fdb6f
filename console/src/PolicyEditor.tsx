import { useId } from "react";

// A JSON policy document's editor: a labelled monospace text area, and under it the server's
// reason for refusing the document (MalformedPolicy, MalformedPolicyDocument, AccessDenied),
// announced and tied to the field.
export function PolicyEditor({
  label,
  value,
  onChange,
  error,
  rows = 14,
}: {
  label: string;
  value: string;
  onChange: (text: string) => void;
  error: string;
  rows?: number;
}) {
  const errorId = useId();
  return (
    <div className="policy-editor">
      <label>
        {label}
        <textarea
          className="document"
          spellCheck={false}
          rows={rows}
          value={value}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          onChange={(event) => onChange(event.target.value)}
        />
      </label>
      {error && (
        <p id={errorId} role="alert" className="error">
          {error}
        </p>
      )}
    </div>
  );
}
