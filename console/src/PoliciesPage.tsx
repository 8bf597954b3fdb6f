import { FormEvent, useCallback, useEffect, useState } from "react";

import { AccountBlockSection } from "./AccountBlockSection";
import { bucketAccessTemplate, formatDocument } from "./access";
import { ConsoleApi, ManagedPolicy } from "./api";
import { ConfirmDialog } from "./ConfirmDialog";
import { Dialog, messageOf } from "./Dialog";
import { PolicyEditor } from "./PolicyEditor";
import { RolesSection } from "./RolesSection";
import { Notices } from "./RulePanel";

// The Policies page (root only): managed policies (create from a JSON document, view,
// delete; attach them on a user's page), roles (RolesSection) and the account-wide Block
// Public Access (AccountBlockSection).
export function PoliciesPage({ api }: { api: ConsoleApi }) {
  const [policies, setPolicies] = useState<ManagedPolicy[] | null>(null);
  const [error, setError] = useState("");
  const [viewing, setViewing] = useState<ManagedPolicy | null>(null);
  const [deleting, setDeleting] = useState<ManagedPolicy | null>(null);

  const load = useCallback(() => {
    api.managedPolicies().then(setPolicies, (caught) => setError(messageOf(caught)));
  }, [api]);
  useEffect(load, [load]);

  return (
    <>
      <section className="panel" aria-labelledby="managed-policies">
        <h1 id="managed-policies">Policies</h1>
        <p className="hint">
          Managed policies are named documents you attach to users (on their page) or roles. An
          attached policy cannot be deleted until it is detached everywhere.
        </p>
        <Notices error={error} />
        {policies === null ? (
          !error && <p>Loading…</p>
        ) : policies.length === 0 ? (
          <p>No managed policies yet.</p>
        ) : (
          <table className="listing" aria-label="Managed policies">
            <thead>
              <tr>
                <th>Name</th>
                <th className="optional">Description</th>
                <th className="number">Attached to</th>
                <th className="actions">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {policies.map((policy) => (
                <tr key={policy.arn}>
                  <td>{policy.name}</td>
                  <td className="optional">{policy.description}</td>
                  <td className="number">{policy.attachments}</td>
                  <td className="actions">
                    <button
                      className="small"
                      aria-label={`View policy ${policy.name}`}
                      onClick={async () => {
                        try {
                          setViewing(await api.managedPolicy(policy.name));
                        } catch (caught) {
                          setError(messageOf(caught));
                        }
                      }}
                    >
                      View
                    </button>
                    <button
                      className="small danger"
                      aria-label={`Delete policy ${policy.name}`}
                      onClick={() => setDeleting(policy)}
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <NewPolicyForm api={api} onCreated={load} />
      </section>
      <RolesSection api={api} />
      <AccountBlockSection api={api} />
      {viewing && (
        <Dialog title={viewing.name} onClose={() => setViewing(null)} wide>
          <p className="hint mono">{viewing.arn}</p>
          <pre className="preview-text">{formatDocument(viewing.document ?? "")}</pre>
        </Dialog>
      )}
      {deleting && (
        <ConfirmDialog
          title="Delete policy"
          message={`The managed policy ${deleting.name} is deleted for good.`}
          confirmLabel="Delete"
          onConfirm={async () => {
            await api.deleteManagedPolicy(deleting.name);
            setDeleting(null);
            load();
          }}
          onClose={() => setDeleting(null)}
        />
      )}
    </>
  );
}

function NewPolicyForm({ api, onCreated }: { api: ConsoleApi; onCreated: () => void }) {
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [text, setText] = useState(() => bucketAccessTemplate());
  const [error, setError] = useState("");
  const [status, setStatus] = useState("");

  async function create(event: FormEvent) {
    event.preventDefault();
    setError("");
    setStatus("");
    try {
      const created = await api.createManagedPolicy(name.trim(), text, description.trim());
      setStatus(`Created the policy “${created.name}”.`);
      setName("");
      setDescription("");
      onCreated();
    } catch (caught) {
      setError(messageOf(caught));
    }
  }

  return (
    <form className="rule-form" onSubmit={create} aria-label="Create a managed policy">
      <h3>New managed policy</h3>
      <div className="pair">
        <label>
          Policy name
          <input value={name} onChange={(event) => setName(event.target.value)} required />
        </label>
        <label>
          Description
          <input value={description} onChange={(event) => setDescription(event.target.value)} />
        </label>
      </div>
      <PolicyEditor label="Policy document (JSON)" value={text} onChange={setText} error={error} />
      <Notices error="" status={status} />
      <button type="submit">Create policy</button>
    </form>
  );
}
