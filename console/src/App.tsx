import { Suspense, lazy, useCallback, useEffect, useMemo, useState } from "react";

import { ConsoleApi, Session } from "./api";
import { Buckets } from "./Buckets";
import { Folder } from "./Folder";
import { Place, formatPlace, parsePlace, publicToken } from "./location";
import { MyKeysPage } from "./MyKeysPage";
import { PoliciesPage } from "./PoliciesPage";
import { SignIn } from "./SignIn";
import { TrailPage } from "./TrailPage";
import { UsersPage } from "./UsersPage";

// The heatmap and charts load only when an activity page or the dashboard is opened.
const ActivityPage = lazy(() => import("./ActivityPage").then((m) => ({ default: m.ActivityPage })));
const DashboardPage = lazy(() => import("./DashboardPage").then((m) => ({ default: m.DashboardPage })));
const PublicActivity = lazy(() =>
  import("./PublicActivity").then((m) => ({ default: m.PublicActivity })),
);

// The whole console: a public activity page (no sign-in), else sign-in, then the bucket list,
// one folder of a bucket, the activity heatmap, the audit trail, the Users, Policies and
// Dashboard pages (root) or the user's own access keys, following the address's fragment (see
// location.ts).
export function App() {
  const api = useMemo(() => new ConsoleApi(), []);
  const token = useMemo(() => publicToken(window.location.hash), []);
  if (token) {
    return (
      <Suspense fallback={<main className="loading">Loading…</main>}>
        <PublicActivity api={api} token={token} />
      </Suspense>
    );
  }
  return <SignedInConsole api={api} />;
}

function SignedInConsole({ api }: { api: ConsoleApi }) {
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
        <nav aria-label="Console">
          <a href="#/" aria-current={!place.page && place.bucket === null ? "page" : undefined}>
            Buckets
          </a>
          <a href="#/activity" aria-current={place.page === "activity" ? "page" : undefined}>
            Activity
          </a>
          <a href="#/trail" aria-current={place.page === "trail" ? "page" : undefined}>
            Audit trail
          </a>
          {session.root && (
            <>
              <a href="#/dashboard" aria-current={place.page === "dashboard" ? "page" : undefined}>
                Dashboard
              </a>
              <a href="#/users" aria-current={place.page === "users" ? "page" : undefined}>
                Users
              </a>
              <a href="#/policies" aria-current={place.page === "policies" ? "page" : undefined}>
                Policies
              </a>
            </>
          )}
          <a href="#/keys" aria-current={place.page === "keys" ? "page" : undefined}>
            My access keys
          </a>
        </nav>
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
        {place.page === "activity" ? (
          <Suspense fallback={<p>Loading…</p>}>
            <ActivityPage
              api={api}
              profile={place.profile}
              onProfile={(profile) => go({ bucket: null, prefix: "", page: "activity", profile })}
            />
          </Suspense>
        ) : place.page === "dashboard" ? (
          session.root ? (
            <Suspense fallback={<p>Loading…</p>}>
              <DashboardPage api={api} />
            </Suspense>
          ) : (
            <p className="error" role="alert">
              Only the root user sees the server's dashboard.
            </p>
          )
        ) : place.page === "trail" ? (
          <TrailPage api={api} />
        ) : place.page === "users" ? (
          <UsersPage
            api={api}
            user={place.user}
            onUser={(user) => go({ bucket: null, prefix: "", page: "users", user })}
          />
        ) : place.page === "policies" ? (
          <PoliciesPage api={api} />
        ) : place.page === "keys" ? (
          <MyKeysPage api={api} />
        ) : place.bucket === null ? (
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
