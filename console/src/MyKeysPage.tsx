import { useCallback, useEffect, useState } from "react";

import { ConsoleApi, NewAccessKey, OwnKeys } from "./api";
import { messageOf } from "./Dialog";
import { KeyTable, NewKeyDialog } from "./KeyTable";
import { Notices } from "./RulePanel";

// The signed-in user's own access keys (IAM lets every user manage its own): create one (its
// secret shown once; at most two), make one inactive or active, delete one.
export function MyKeysPage({ api }: { api: ConsoleApi }) {
  const [own, setOwn] = useState<OwnKeys | null>(null);
  const [error, setError] = useState("");
  const [created, setCreated] = useState<NewAccessKey | null>(null);

  const run = useCallback(async (action: () => Promise<OwnKeys>) => {
    setError("");
    try {
      setOwn(await action());
    } catch (caught) {
      setError(messageOf(caught));
    }
  }, []);
  useEffect(() => {
    run(() => api.ownKeys());
  }, [api, run]);

  return (
    <section className="panel">
      <h1>My access keys</h1>
      <p className="hint">
        {own ? `The keys of ${own.user}. ` : ""}Use a key with the AWS CLI, an SDK or any S3 tool; a
        user holds at most two, so one can replace the other.
      </p>
      <Notices error={error} />
      {own && (
        <KeyTable
          keys={own.keys}
          sessionKey={own.sessionKey}
          onStatus={(key, status) => run(() => api.setOwnKeyStatus(key, status))}
          onDelete={async (key) => setOwn(await api.deleteOwnKey(key))}
        />
      )}
      <div className="inline">
        <button
          className="primary"
          onClick={async () => {
            setError("");
            try {
              setCreated(await api.createOwnKey());
              setOwn(await api.ownKeys());
            } catch (caught) {
              setError(messageOf(caught));
            }
          }}
        >
          Create access key
        </button>
      </div>
      {created && <NewKeyDialog created={created} onClose={() => setCreated(null)} />}
    </section>
  );
}
