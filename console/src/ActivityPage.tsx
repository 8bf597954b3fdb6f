import { useEffect, useMemo, useState } from "react";

import { ActivityEvent, ActivityProfile, ActivitySummary, lastYear } from "./activity";
import { ApiError, ConsoleApi } from "./api";
import { Heatmap, ServiceChart, Totals } from "./Heatmap";

// A profile's last year: heatmap, totals and streaks, score by service, the recent events,
// and the switch of its public page.
export function ActivityPage({
  api,
  profile,
  onProfile,
}: {
  api: ConsoleApi;
  profile?: string;
  onProfile: (name: string) => void;
}) {
  const [profiles, setProfiles] = useState<ActivityProfile[] | null>(null);
  const [summary, setSummary] = useState<ActivitySummary | null>(null);
  const [recent, setRecent] = useState<ActivityEvent[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState("");
  const range = useMemo(() => lastYear(new Date()), []);
  const selected = profile ?? profiles?.[0]?.name;
  const current = profiles?.find((p) => p.name === selected);

  useEffect(() => {
    api.activityProfiles().then(setProfiles, (e: ApiError) => setError(e.message));
  }, [api]);
  useEffect(() => {
    if (!selected) return;
    setSummary(null);
    setError("");
    api.activity(selected, range.from, range.to).then(setSummary, (e: ApiError) => setError(e.message));
    api.recentActivity(selected).then(
      (page) => {
        setRecent(page.events);
        setNext(page.next);
      },
      (e: ApiError) => setError(e.message),
    );
  }, [api, selected, range]);

  const togglePublic = async () => {
    if (!current) return;
    try {
      if (current.publicToken) await api.unpublishActivity(current.name);
      else await api.publishActivity(current.name);
      setProfiles(await api.activityProfiles());
    } catch (e) {
      setError((e as ApiError).message);
    }
  };

  if (profiles === null) return <p>{error || "Loading…"}</p>;
  if (profiles.length === 0) {
    return (
      <section className="panel">
        <h1>Activity</h1>
        <p className="hint">
          No activity profiles yet. Add one with <code>cloudvault activity profile add NAME --principal ARN</code> and
          ingest a trail with <code>cloudvault activity ingest --from FOLDER</code>.
        </p>
      </section>
    );
  }
  const publicUrl = current?.publicToken
    ? `${window.location.origin}/_console/#/p/${current.publicToken}`
    : null;
  return (
    <section className="panel activity">
      <div className="bucket-head">
        <h1>Activity</h1>
        <label className="compact">
          Profile
          <select value={selected} onChange={(e) => onProfile(e.target.value)}>
            {profiles.map((p) => (
              <option key={p.name}>{p.name}</option>
            ))}
          </select>
        </label>
      </div>
      {error && <p className="error">{error}</p>}
      {summary ? (
        <>
          <Heatmap summary={summary} />
          <Totals summary={summary} />
          <h2>By service</h2>
          <ServiceChart services={summary.services} />
        </>
      ) : (
        <p>Loading…</p>
      )}
      <h2>Public page</h2>
      <p className="hint">
        {publicUrl ? (
          <>
            Anyone with this link sees this heatmap and its signed proof:{" "}
            <a href={publicUrl} data-testid="public-link">
              {publicUrl}
            </a>
          </>
        ) : (
          "Off: only signed-in users see this profile."
        )}
      </p>
      <button onClick={togglePublic}>{publicUrl ? "Turn the public page off" : "Publish a public page"}</button>
      <h2>Recent activity</h2>
      <table className="listing recent">
        <thead>
          <tr>
            <th>Time</th>
            <th>Service</th>
            <th>Call</th>
            <th className="optional">Principal</th>
            <th>Outcome</th>
          </tr>
        </thead>
        <tbody>
          {recent.map((event) => (
            <tr key={event.eventId}>
              <td>{event.time}</td>
              <td>{event.service}</td>
              <td>{event.eventName}</td>
              <td className="optional">{event.principal}</td>
              <td>{event.errorCode ? <span className="error">{event.errorCode}</span> : "OK"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {next && selected && (
        <button
          className="more"
          onClick={async () => {
            const page = await api.recentActivity(selected, next);
            setRecent((shown) => [...shown, ...page.events]);
            setNext(page.next);
          }}
        >
          More
        </button>
      )}
    </section>
  );
}
