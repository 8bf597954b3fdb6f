import { FormEvent, useCallback, useEffect, useState } from "react";

import { ConsoleApi, IamUserSummary } from "./api";
import { messageOf } from "./Dialog";
import { Notices } from "./RulePanel";
import { UserPanel } from "./UserPanel";

// The Users page (root only): the account's users with their groups and number of keys, a
// form to add one, and one user's keys, policies and groups (UserPanel) when chosen.
export function UsersPage({
  api,
  user,
  onUser,
}: {
  api: ConsoleApi;
  user?: string;
  onUser: (name?: string) => void;
}) {
  if (user) return <UserPanel key={user} api={api} name={user} onBack={() => onUser(undefined)} />;
  return <UserList api={api} onUser={onUser} />;
}

function UserList({ api, onUser }: { api: ConsoleApi; onUser: (name: string) => void }) {
  const [users, setUsers] = useState<IamUserSummary[] | null>(null);
  const [error, setError] = useState("");
  const [name, setName] = useState("");

  const load = useCallback(() => {
    api.users().then(setUsers, (caught) => setError(messageOf(caught)));
  }, [api]);
  useEffect(load, [load]);

  async function create(event: FormEvent) {
    event.preventDefault();
    setError("");
    try {
      const created = await api.createUser(name.trim());
      setName("");
      onUser(created.name);
    } catch (caught) {
      setError(messageOf(caught));
    }
  }

  return (
    <section className="panel">
      <h1>Users</h1>
      <p className="hint">
        The people and programs that sign requests with their own access keys. A new user may do
        nothing until a policy allows it (or it creates buckets of its own).
      </p>
      <form className="inline" onSubmit={create} aria-label="Create a user">
        <label className="sr-only" htmlFor="new-user-name">
          New user name
        </label>
        <input
          id="new-user-name"
          value={name}
          onChange={(event) => setName(event.target.value)}
          placeholder="New user name"
          required
        />
        <button type="submit" className="primary">
          Create user
        </button>
      </form>
      <Notices error={error} />
      {users === null ? (
        !error && <p>Loading…</p>
      ) : users.length === 0 ? (
        <p>No users yet besides root.</p>
      ) : (
        <table className="listing" aria-label="Users">
          <thead>
            <tr>
              <th>Name</th>
              <th>Groups</th>
              <th className="number">Keys</th>
              <th className="optional">Created</th>
              <th className="optional">ARN</th>
            </tr>
          </thead>
          <tbody>
            {users.map((entry) => (
              <tr key={entry.id}>
                <td>
                  <button className="link" onClick={() => onUser(entry.name)}>
                    {entry.name}
                  </button>
                </td>
                <td>{entry.groups.join(", ")}</td>
                <td className="number">{entry.keys}</td>
                <td className="optional">{entry.created ?? ""}</td>
                <td className="optional mono">{entry.arn}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
