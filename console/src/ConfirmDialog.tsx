import { useState } from "react";

import { Dialog, messageOf } from "./Dialog";

// Asks before something that cannot be undone; the action runs on "confirm", and its error,
// if any, is shown here.
export function ConfirmDialog({
  title,
  message,
  confirmLabel,
  onConfirm,
  onClose,
}: {
  title: string;
  message: string;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  return (
    <Dialog title={title} onClose={onClose}>
      <div className="form-grid">
        <p className="confirm-message">{message}</p>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="inline">
          <button
            className="danger"
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              try {
                await onConfirm();
              } catch (caught) {
                setError(messageOf(caught));
                setBusy(false);
              }
            }}
          >
            {confirmLabel}
          </button>
          <button onClick={onClose} autoFocus>
            Cancel
          </button>
        </div>
      </div>
    </Dialog>
  );
}
