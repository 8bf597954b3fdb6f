import { useCallback, useEffect, useMemo, useState } from "react";

import { ConsoleApi, Session } from "./api";
import { Buckets } from "./Buckets";
import { Folder } from "./Folder";
import { Place, formatPlace, parsePlace } from "./location";
import { SignIn } from "./SignIn";

// The whole console: sign-in, then the bucket list or one folder of a bucket, which follows
// the address's fragment (see location.ts).
export function App() {
  const api = useMemo(() => new ConsoleApi(), []);
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [place, setPlace] = useState<Place>(() => parsePlace(window.location.hash));

  useEffect(() => {
    api.onSessionEnded = () => setSession(null);
    api.resume().then(setSession, () => setSession(null));
  }, [api]);
  useEffect(() => {
    const follow = () => setPlace(parsePlace(window.location.hash));
    window.addEventListener("hashchange", follow);
    return () => window.removeEventListener("hashchange", follow);
  }, []);
  const go = useCallback((next: Place) => {
    window.location.hash = formatPlace(next);
    setPlace(next);
  }, []);

  if (session === undefined) return <main className="loading">Loading…</main>;
  if (session === null) return <SignIn api={api} onSignedIn={setSession} />;
  return (
    <div className="shell">
      <header>
        <button className="brand" onClick={() => go({ bucket: null, prefix: "" })}>
          CloudVault
        </button>
        <span className="who" title="Signed in with this access key">
          {session.accessKeyId}
        </span>
        <button
          onClick={async () => {
            await api.signOut().catch(() => undefined);
            go({ bucket: null, prefix: "" });
            setSession(null);
          }}
        >
          Sign out
        </button>
      </header>
      <main>
        {place.bucket === null ? (
          <Buckets api={api} onOpen={(bucket) => go({ bucket, prefix: "" })} />
        ) : (
          <Folder
            key={place.bucket}
            api={api}
            bucket={place.bucket}
            prefix={place.prefix}
            onNavigate={(prefix) => go({ bucket: place.bucket, prefix })}
            onBuckets={() => go({ bucket: null, prefix: "" })}
          />
        )}
      </main>
    </div>
  );
}
