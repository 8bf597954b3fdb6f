import { FormEvent, useCallback, useEffect, useState } from "react";

import { bucketAccessTemplate, formatDocument, trustTemplate } from "./access";
import { ConsoleApi, RoleDetail, RoleSummary } from "./api";
import { ConfirmDialog } from "./ConfirmDialog";
import { Dialog, messageOf } from "./Dialog";
import { PolicyEditor } from "./PolicyEditor";
import { Notices } from "./RulePanel";

// Roles: created with a trust policy (who may assume it with STS AssumeRole), given inline
// policies (what its sessions may do), deleted with them.
export function RolesSection({ api }: { api: ConsoleApi }) {
  const [roles, setRoles] = useState<RoleSummary[] | null>(null);
  const [account, setAccount] = useState("");
  const [error, setError] = useState("");
  const [open, setOpen] = useState<RoleDetail | null>(null);
  const [deleting, setDeleting] = useState<RoleSummary | null>(null);

  const load = useCallback(() => {
    api.roles().then(
      (listed) => {
        setRoles(listed.roles);
        setAccount(listed.accountId);
      },
      (caught) => setError(messageOf(caught)),
    );
  }, [api]);
  useEffect(load, [load]);

  return (
    <section className="panel" aria-labelledby="roles-heading">
      <h2 id="roles-heading">Roles</h2>
      <p className="hint">
        A role is assumed through STS AssumeRole by whoever its trust policy names; its
        temporary credentials may do what its policies allow.
      </p>
      <Notices error={error} />
      {roles === null ? (
        !error && <p>Loading…</p>
      ) : roles.length === 0 ? (
        <p>No roles yet.</p>
      ) : (
        <table className="listing" aria-label="Roles">
          <thead>
            <tr>
              <th>Name</th>
              <th className="optional">Description</th>
              <th className="optional">ARN</th>
              <th className="actions">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {roles.map((role) => (
              <tr key={role.id}>
                <td>{role.name}</td>
                <td className="optional">{role.description}</td>
                <td className="optional mono">{role.arn}</td>
                <td className="actions">
                  <button
                    className="small"
                    aria-label={`Open role ${role.name}`}
                    onClick={async () => {
                      try {
                        setOpen(await api.role(role.name));
                      } catch (caught) {
                        setError(messageOf(caught));
                      }
                    }}
                  >
                    Open
                  </button>
                  <button
                    className="small danger"
                    aria-label={`Delete role ${role.name}`}
                    onClick={() => setDeleting(role)}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {/* Made once the account is known: the trust policy starts out naming it. */}
      {account && <NewRoleForm key={account} api={api} account={account} onCreated={load} />}
      {open && <RoleDialog api={api} role={open} onChanged={setOpen} onClose={() => setOpen(null)} />}
      {deleting && (
        <ConfirmDialog
          title="Delete role"
          message={`The role ${deleting.name} and its policies are deleted; sessions already issued stop working.`}
          confirmLabel="Delete"
          onConfirm={async () => {
            await api.deleteRole(deleting.name, true);
            setDeleting(null);
            load();
          }}
          onClose={() => setDeleting(null)}
        />
      )}
    </section>
  );
}

function NewRoleForm({ api, account, onCreated }: { api: ConsoleApi; account: string; onCreated: () => void }) {
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [text, setText] = useState(() => trustTemplate(account));
  const [error, setError] = useState("");
  const [status, setStatus] = useState("");

  async function create(event: FormEvent) {
    event.preventDefault();
    setError("");
    setStatus("");
    try {
      const created = await api.createRole(name.trim(), text, description.trim());
      setStatus(`Created the role “${created.name}”.`);
      setName("");
      setDescription("");
      onCreated();
    } catch (caught) {
      setError(messageOf(caught));
    }
  }

  return (
    <form className="rule-form" onSubmit={create} aria-label="Create a role">
      <h3>New role</h3>
      <div className="pair">
        <label>
          Role name
          <input value={name} onChange={(event) => setName(event.target.value)} required />
        </label>
        <label>
          Description
          <input value={description} onChange={(event) => setDescription(event.target.value)} />
        </label>
      </div>
      <PolicyEditor label="Trust policy (JSON)" value={text} onChange={setText} error={error} rows={10} />
      <Notices error="" status={status} />
      <button type="submit">Create role</button>
    </form>
  );
}

// A role's trust policy and inline policies; an inline policy can be added, replaced or
// deleted here.
function RoleDialog({
  api,
  role,
  onChanged,
  onClose,
}: {
  api: ConsoleApi;
  role: RoleDetail;
  onChanged: (role: RoleDetail) => void;
  onClose: () => void;
}) {
  const [policyName, setPolicyName] = useState("");
  const [text, setText] = useState(() => bucketAccessTemplate());
  const [error, setError] = useState("");

  async function save(event: FormEvent) {
    event.preventDefault();
    setError("");
    try {
      onChanged(await api.putRolePolicy(role.name, policyName.trim(), text));
    } catch (caught) {
      setError(messageOf(caught));
    }
  }

  return (
    <Dialog title={`Role ${role.name}`} onClose={onClose} wide>
      <div className="form-grid">
        <p className="hint mono">{role.arn}</p>
        <h3>Trust policy</h3>
        <pre className="preview-text">{formatDocument(role.trustPolicy)}</pre>
        <h3>Inline policies</h3>
        {role.inlinePolicies.length === 0 ? (
          <p>None.</p>
        ) : (
          <ul className="plain named" aria-label="Role policies">
            {role.inlinePolicies.map((policy) => (
              <li key={policy}>
                <span>{policy}</span>
                <button
                  className="small"
                  aria-label={`Edit ${policy}`}
                  onClick={async () => {
                    try {
                      setText(formatDocument(await api.rolePolicy(role.name, policy)));
                      setPolicyName(policy);
                    } catch (caught) {
                      setError(messageOf(caught));
                    }
                  }}
                >
                  Edit
                </button>
                <button
                  className="small danger"
                  aria-label={`Delete ${policy}`}
                  onClick={async () => {
                    try {
                      onChanged(await api.deleteRolePolicy(role.name, policy));
                    } catch (caught) {
                      setError(messageOf(caught));
                    }
                  }}
                >
                  Delete
                </button>
              </li>
            ))}
          </ul>
        )}
        <form className="form-grid" onSubmit={save} aria-label="Edit a role policy">
          <label>
            Policy name
            <input value={policyName} onChange={(event) => setPolicyName(event.target.value)} required />
          </label>
          <PolicyEditor label="Policy document (JSON)" value={text} onChange={setText} error={error} rows={10} />
          <button type="submit">Save policy</button>
        </form>
      </div>
    </Dialog>
  );
}
