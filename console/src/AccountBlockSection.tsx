import { FormEvent, useEffect, useId, useState } from "react";

import { ConsoleApi, PublicAccessBlock } from "./api";
import { BlockSettingsFieldset } from "./BlockSettingsFieldset";
import { messageOf } from "./Dialog";
import { Notices } from "./RulePanel";

// The account-wide Block Public Access (root only, on the Policies page): the four settings,
// which apply to every bucket whatever its own say (as `cloudvault admin
// public-access-block`). Off unless set, as on AWS; "Remove" clears them.
export function AccountBlockSection({ api }: { api: ConsoleApi }) {
  const titleId = useId();
  const [stored, setStored] = useState<PublicAccessBlock | null | undefined>(undefined);
  const [block, setBlock] = useState<PublicAccessBlock>(allOff());
  const [error, setError] = useState("");
  const [status, setStatus] = useState("");

  useEffect(() => {
    api.accountPublicAccessBlock().then(
      (account) => {
        setStored(account);
        setBlock(account ?? allOff());
      },
      (caught) => setError(messageOf(caught)),
    );
  }, [api]);

  async function apply(change: () => Promise<PublicAccessBlock | null>, done: string) {
    setError("");
    setStatus("");
    try {
      const account = await change();
      setStored(account);
      setBlock(account ?? allOff());
      setStatus(done);
    } catch (caught) {
      setError(messageOf(caught));
    }
  }

  function save(event: FormEvent) {
    event.preventDefault();
    if (stored === undefined) return;
    void apply(() => api.putAccountPublicAccessBlock(block), "Saved the account's settings.");
  }

  return (
    <section className="panel" aria-labelledby={titleId}>
      <h2 id={titleId}>Block Public Access for the whole account</h2>
      <p className="hint">
        These settings apply to every bucket, whatever the bucket's own settings say.
        {stored === null && " None are set: each bucket's own settings decide."}
      </p>
      <form className="rule-form" onSubmit={save} aria-label="Account Block Public Access">
        <BlockSettingsFieldset
          legend="Every bucket"
          block={block}
          onChange={setBlock}
          disabled={stored === undefined}
        />
        <Notices error={error} status={status} />
        <div className="inline">
          <button type="submit" className="primary" disabled={stored === undefined}>
            Save account settings
          </button>
          {stored && (
            <button
              type="button"
              className="danger"
              onClick={() =>
                void apply(() => api.deleteAccountPublicAccessBlock(), "Removed the account's settings.")
              }
            >
              Remove account settings
            </button>
          )}
        </div>
      </form>
    </section>
  );
}

function allOff(): PublicAccessBlock {
  return { blockPublicAcls: false, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false };
}
