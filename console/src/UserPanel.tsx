import { FormEvent, useCallback, useEffect, useState } from "react";

import { bucketAccessTemplate, deleteBlockers, formatDocument } from "./access";
import { ConsoleApi, IamUserDetail, ManagedPolicy, NewAccessKey } from "./api";
import { ConfirmDialog } from "./ConfirmDialog";
import { messageOf } from "./Dialog";
import { KeyTable, NewKeyDialog } from "./KeyTable";
import { PolicyEditor } from "./PolicyEditor";
import { Notices } from "./RulePanel";

// One user: its access keys, inline policies (edited as JSON, checked by the server),
// attached managed policies, groups, and deleting it (removing what IAM's DeleteConflict is
// about first, after saying what that is).
export function UserPanel({ api, name, onBack }: { api: ConsoleApi; name: string; onBack: () => void }) {
  const [user, setUser] = useState<IamUserDetail | null>(null);
  const [policies, setPolicies] = useState<ManagedPolicy[]>([]);
  const [groups, setGroups] = useState<string[]>([]);
  const [error, setError] = useState("");
  const [created, setCreated] = useState<NewAccessKey | null>(null);
  const [deleting, setDeleting] = useState(false);

  const run = useCallback(async (action: () => Promise<IamUserDetail>) => {
    setError("");
    try {
      setUser(await action());
    } catch (caught) {
      setError(messageOf(caught));
    }
  }, []);
  useEffect(() => {
    run(() => api.user(name));
    api.managedPolicies().then(setPolicies, () => undefined);
    api.groups().then((all) => setGroups(all.map((group) => group.name)), () => undefined);
  }, [api, name, run]);

  if (!user) {
    return (
      <section className="panel">
        <button className="link" onClick={onBack}>
          ← All users
        </button>
        <Notices error={error} />
        {!error && <p>Loading…</p>}
      </section>
    );
  }
  const blockers = deleteBlockers(user);
  return (
    <section className="panel user">
      <button className="link" onClick={onBack}>
        ← All users
      </button>
      <h1>{user.name}</h1>
      <p className="hint mono">
        {user.arn} · {user.id}
        {user.created ? ` · created ${user.created}` : ""}
      </p>
      <Notices error={error} />

      <h2>Access keys</h2>
      <KeyTable
        keys={user.accessKeys}
        onStatus={(key, status) => run(() => api.setUserKeyStatus(name, key, status))}
        onDelete={async (key) => setUser(await api.deleteUserKey(name, key))}
      />
      <div className="inline">
        <button
          onClick={async () => {
            setError("");
            try {
              setCreated(await api.createUserKey(name));
              setUser(await api.user(name));
            } catch (caught) {
              setError(messageOf(caught));
            }
          }}
        >
          Create access key
        </button>
      </div>

      <InlinePolicies api={api} user={user} onChanged={setUser} />

      <h2>Attached policies</h2>
      <NamedList
        label="Attached policies"
        names={user.attachedPolicies.map((policy) => policy.name)}
        removeLabel="Detach"
        onRemove={(policy) => {
          const arn = user.attachedPolicies.find((p) => p.name === policy)!.arn;
          return run(() => api.detachUserPolicy(name, arn));
        }}
      />
      <Chooser
        label="Managed policy to attach"
        action="Attach"
        choices={policies
          .filter((policy) => !user.attachedPolicies.some((p) => p.arn === policy.arn))
          .map((policy) => policy.name)}
        onChoose={(policy) => {
          const arn = policies.find((p) => p.name === policy)!.arn;
          return run(() => api.attachUserPolicy(name, arn));
        }}
      />

      <h2>Groups</h2>
      <NamedList
        label="Groups"
        names={user.groups}
        removeLabel="Remove"
        onRemove={(group) => run(() => api.removeUserFromGroup(name, group))}
      />
      <Chooser
        label="Group to add the user to"
        action="Add to group"
        choices={groups.filter((group) => !user.groups.includes(group))}
        onChoose={(group) => run(() => api.addUserToGroup(name, group))}
      />
      <NewGroup
        api={api}
        onCreated={(group) => {
          setGroups((known) => [...known, group].sort());
          return run(() => api.addUserToGroup(name, group));
        }}
      />

      <h2>Delete</h2>
      <div className="inline">
        <button className="danger" onClick={() => setDeleting(true)}>
          Delete user
        </button>
      </div>
      {created && <NewKeyDialog created={created} onClose={() => setCreated(null)} />}
      {deleting && (
        <ConfirmDialog
          title="Delete user"
          message={
            blockers.length
              ? `${user.name} still has ${blockers.join(", ")}. They are removed first, then the user is deleted.`
              : `${user.name} is deleted for good.`
          }
          confirmLabel={blockers.length ? "Remove all and delete" : "Delete"}
          onConfirm={async () => {
            await api.deleteUser(name, blockers.length > 0);
            setDeleting(false);
            onBack();
          }}
          onClose={() => setDeleting(false)}
        />
      )}
    </section>
  );
}

// The user's inline policies: each can be opened in the editor or deleted; the editor saves
// a new one or replaces one, showing the server's reason when the document is refused.
function InlinePolicies({
  api,
  user,
  onChanged,
}: {
  api: ConsoleApi;
  user: IamUserDetail;
  onChanged: (user: IamUserDetail) => void;
}) {
  const [policyName, setPolicyName] = useState("");
  const [text, setText] = useState(() => bucketAccessTemplate());
  const [error, setError] = useState("");
  const [status, setStatus] = useState("");

  async function save(event: FormEvent) {
    event.preventDefault();
    setError("");
    setStatus("");
    try {
      onChanged(await api.putUserPolicy(user.name, policyName.trim(), text));
      setStatus(`Saved the policy “${policyName.trim()}”.`);
    } catch (caught) {
      setError(messageOf(caught));
    }
  }

  return (
    <>
      <h2>Inline policies</h2>
      <NamedList
        label="Inline policies"
        names={user.inlinePolicies}
        removeLabel="Delete"
        onRemove={async (policy) => {
          setStatus("");
          try {
            onChanged(await api.deleteUserPolicy(user.name, policy));
          } catch (caught) {
            setError(messageOf(caught));
          }
        }}
        onOpen={async (policy) => {
          setError("");
          setStatus("");
          try {
            setText(formatDocument(await api.userPolicy(user.name, policy)));
            setPolicyName(policy);
          } catch (caught) {
            setError(messageOf(caught));
          }
        }}
      />
      <form className="rule-form" onSubmit={save} aria-label="Edit an inline policy">
        <h3>Add or replace an inline policy</h3>
        <label>
          Policy name
          <input value={policyName} onChange={(event) => setPolicyName(event.target.value)} required />
        </label>
        <PolicyEditor label="Policy document (JSON)" value={text} onChange={setText} error={error} />
        <Notices error="" status={status} />
        <button type="submit">Save policy</button>
      </form>
    </>
  );
}

// Names with a remove button each (and an open button when `onOpen`), or "None".
function NamedList({
  label,
  names,
  removeLabel,
  onRemove,
  onOpen,
}: {
  label: string;
  names: string[];
  removeLabel: string;
  onRemove: (name: string) => Promise<void>;
  onOpen?: (name: string) => Promise<void>;
}) {
  if (names.length === 0) return <p>None.</p>;
  return (
    <ul className="plain named" aria-label={label}>
      {names.map((entry) => (
        <li key={entry}>
          <span>{entry}</span>
          {onOpen && (
            <button className="small" aria-label={`Edit ${entry}`} onClick={() => onOpen(entry)}>
              Edit
            </button>
          )}
          <button className="small danger" aria-label={`${removeLabel} ${entry}`} onClick={() => onRemove(entry)}>
            {removeLabel}
          </button>
        </li>
      ))}
    </ul>
  );
}

// A labelled choice among `choices` and a button that applies it.
function Chooser({
  label,
  action,
  choices,
  onChoose,
}: {
  label: string;
  action: string;
  choices: string[];
  onChoose: (choice: string) => Promise<void>;
}) {
  const [chosen, setChosen] = useState("");
  const value = choices.includes(chosen) ? chosen : (choices[0] ?? "");
  if (choices.length === 0) return null;
  return (
    <div className="inline">
      <label className="compact">
        {label}
        <select value={value} onChange={(event) => setChosen(event.target.value)}>
          {choices.map((choice) => (
            <option key={choice}>{choice}</option>
          ))}
        </select>
      </label>
      <button onClick={() => onChoose(value)}>{action}</button>
    </div>
  );
}

function NewGroup({ api, onCreated }: { api: ConsoleApi; onCreated: (group: string) => Promise<void> }) {
  const [group, setGroup] = useState("");
  const [error, setError] = useState("");
  return (
    <form
      className="inline"
      aria-label="Create a group"
      onSubmit={async (event) => {
        event.preventDefault();
        setError("");
        try {
          await api.createGroup(group.trim());
          await onCreated(group.trim());
          setGroup("");
        } catch (caught) {
          setError(messageOf(caught));
        }
      }}
    >
      <label className="compact">
        New group
        <input value={group} onChange={(event) => setGroup(event.target.value)} required />
      </label>
      <button type="submit">Create group and add</button>
      <Notices error={error} />
    </form>
  );
}
