import { FormEvent, useState } from "react";

import { ApiError, ConsoleApi, Session } from "./api";

// What the form says about a failed sign-in: the server's message, or for 429 (too many
// failed sign-ins from this address or for this key) how long to wait.
export function signInErrorMessage(caught: unknown): string {
  if (!(caught instanceof ApiError)) return "The server could not be reached.";
  if (caught.status === 429) {
    return caught.retryAfterSeconds
      ? `Too many failed sign-ins; try again in ${caught.retryAfterSeconds} s.`
      : "Too many failed sign-ins; try again later.";
  }
  return caught.message;
}

export function SignIn({ api, onSignedIn }: { api: ConsoleApi; onSignedIn: (s: Session) => void }) {
  const [accessKey, setAccessKey] = useState("");
  const [secret, setSecret] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError("");
    try {
      onSignedIn(await api.signIn(accessKey.trim(), secret));
    } catch (caught) {
      setError(signInErrorMessage(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="sign-in">
      <form onSubmit={submit} aria-label="Sign in">
        <h1>CloudVault</h1>
        <label>
          Access key
          <input
            name="accessKey"
            autoComplete="username"
            value={accessKey}
            onChange={(e) => setAccessKey(e.target.value)}
            required
          />
        </label>
        <label>
          Secret key
          <input
            name="secretKey"
            type="password"
            autoComplete="current-password"
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
            required
          />
        </label>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
