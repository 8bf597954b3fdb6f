import { FormEvent, useCallback, useEffect, useId, useState } from "react";

import { accountSettingsOn, formatDocument, publicReadTemplate } from "./access";
import { BucketAccess, ConsoleApi, PublicAccessBlock } from "./api";
import { BlockSettingsFieldset } from "./BlockSettingsFieldset";
import { messageOf } from "./Dialog";
import { PolicyEditor } from "./PolicyEditor";
import { Notices } from "./RulePanel";

// A bucket's Permissions panel: whether its policy makes it public (GetBucketPolicyStatus),
// the policy's JSON editor (the server's MalformedPolicy reason, or the AccessDenied of a
// public policy while public policies are blocked, shown under it), and its four Block Public
// Access settings, with the account-wide ones (set on the Policies page or by `cloudvault admin
// public-access-block`) shown read-only when on.
export function PermissionsPanel({ api, bucket }: { api: ConsoleApi; bucket: string }) {
  const titleId = useId();
  const [access, setAccess] = useState<BucketAccess | null>(null);
  const [error, setError] = useState("");

  useEffect(() => {
    api.bucketAccess(bucket).then(setAccess, (caught) => setError(messageOf(caught)));
  }, [api, bucket]);

  return (
    <section className="panel" aria-labelledby={titleId}>
      <h2 id={titleId}>
        Permissions{" "}
        {access && (
          <span className={access.public ? "badge public" : "badge"} data-testid="public-badge">
            {access.public ? "Public" : "Not public"}
          </span>
        )}
      </h2>
      <p className="hint">
        {access?.public
          ? "The bucket policy grants access to anyone, signed in or not."
          : "Only you, and those your policies name, can reach this bucket."}
      </p>
      <Notices error={error} />
      {access && (
        <>
          <PolicyForm api={api} bucket={bucket} access={access} onChanged={setAccess} />
          <BlockForm api={api} bucket={bucket} access={access} onChanged={setAccess} />
        </>
      )}
    </section>
  );
}

function PolicyForm({
  api,
  bucket,
  access,
  onChanged,
}: {
  api: ConsoleApi;
  bucket: string;
  access: BucketAccess;
  onChanged: (access: BucketAccess) => void;
}) {
  const [text, setText] = useState(() => formatDocument(access.policy ?? ""));
  const [error, setError] = useState("");
  const [status, setStatus] = useState("");

  const run = useCallback(
    async (action: () => Promise<BucketAccess>, done: string) => {
      setError("");
      setStatus("");
      try {
        const next = await action();
        onChanged(next);
        setText(formatDocument(next.policy ?? ""));
        setStatus(done);
      } catch (caught) {
        setError(messageOf(caught));
      }
    },
    [onChanged],
  );

  function save(event: FormEvent) {
    event.preventDefault();
    run(() => api.putBucketPolicy(bucket, text), "Saved the bucket policy.");
  }

  return (
    <form className="rule-form" onSubmit={save} aria-label="Bucket policy">
      <h3>Bucket policy</h3>
      <p className="hint">
        {access.policy ? "The policy in force." : "No policy yet."} A bucket policy is a JSON
        document in AWS's policy language: statements naming principals, actions on this bucket,
        and conditions.
      </p>
      <PolicyEditor label="Policy document (JSON)" value={text} onChange={setText} error={error} />
      <Notices error="" status={status} />
      <div className="inline">
        <button type="submit" className="primary">
          Save policy
        </button>
        {!text.trim() && (
          <button type="button" onClick={() => setText(publicReadTemplate(bucket))}>
            Start from “public read”
          </button>
        )}
        {access.policy && (
          <button
            type="button"
            className="danger"
            onClick={() => run(() => api.deleteBucketPolicy(bucket), "Deleted the bucket policy.")}
          >
            Delete policy
          </button>
        )}
      </div>
    </form>
  );
}

function BlockForm({
  api,
  bucket,
  access,
  onChanged,
}: {
  api: ConsoleApi;
  bucket: string;
  access: BucketAccess;
  onChanged: (access: BucketAccess) => void;
}) {
  const [block, setBlock] = useState<PublicAccessBlock>(access.block ?? falseAll());
  const [error, setError] = useState("");
  const [status, setStatus] = useState("");

  async function save(event: FormEvent) {
    event.preventDefault();
    setError("");
    setStatus("");
    try {
      const next = await api.putPublicAccessBlock(bucket, block);
      onChanged(next);
      setStatus("Saved the Block Public Access settings.");
    } catch (caught) {
      setError(messageOf(caught));
    }
  }

  return (
    <form className="rule-form" onSubmit={save} aria-label="Block Public Access">
      <h3>Block Public Access</h3>
      <BlockSettingsFieldset legend="This bucket" block={block} onChange={setBlock} />
      <AccountSettings account={access.account} />
      <Notices error={error} status={status} />
      <button type="submit">Save settings</button>
    </form>
  );
}

// The account-wide settings that are on, read-only (they are set with `cloudvault admin
// public-access-block`); nothing when none is.
export function AccountSettings({ account }: { account: PublicAccessBlock | null }) {
  const on = accountSettingsOn(account);
  if (on.length === 0) return null;
  return (
    <div>
      <p className="hint">On for the whole account (the Policies page, or cloudvault admin public-access-block), whatever this bucket says:</p>
      <ul aria-label="Account-wide settings">
        {on.map((setting) => (
          <li key={setting.name}>{setting.label}</li>
        ))}
      </ul>
    </div>
  );
}

// A bucket without a block of its own: every setting off.
function falseAll(): PublicAccessBlock {
  return { blockPublicAcls: false, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false };
}
