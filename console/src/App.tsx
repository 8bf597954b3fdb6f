import { useEffect, useMemo, useState } from "react";

import { ConsoleApi, Session } from "./api";
import { Buckets } from "./Buckets";
import { Folder } from "./Folder";
import { SignIn } from "./SignIn";

// The whole console: sign-in, then the bucket list or one bucket's folder.
export function App() {
  const api = useMemo(() => new ConsoleApi(), []);
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [bucket, setBucket] = useState<string | null>(null);

  useEffect(() => {
    api.resume().then(setSession, () => setSession(null));
  }, [api]);

  if (session === undefined) return <main className="loading">Loading…</main>;
  if (session === null) return <SignIn api={api} onSignedIn={setSession} />;
  return (
    <div className="shell">
      <header>
        <button className="brand" onClick={() => setBucket(null)}>
          CloudVault
        </button>
        <span className="who">{session.accessKeyId}</span>
        <button
          onClick={async () => {
            await api.signOut();
            setBucket(null);
            setSession(null);
          }}
        >
          Sign out
        </button>
      </header>
      <main>
        {bucket === null ? (
          <Buckets api={api} onOpen={setBucket} />
        ) : (
          <Folder api={api} bucket={bucket} onBack={() => setBucket(null)} />
        )}
      </main>
    </div>
  );
}
