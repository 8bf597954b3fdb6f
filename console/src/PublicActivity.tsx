import { useEffect, useState } from "react";

import { PublicActivity as PublicSummary } from "./activity";
import { ApiError, ConsoleApi } from "./api";
import { Heatmap, ServiceChart, Totals } from "./Heatmap";

// A profile's public page, opened without an account: its last year and whether the server's
// signed attestation of those scores verifies.
export function PublicActivity({ api, token }: { api: ConsoleApi; token: string }) {
  const [summary, setSummary] = useState<PublicSummary | null>(null);
  const [error, setError] = useState("");
  useEffect(() => {
    api.publicActivity(token).then(setSummary, (e: ApiError) =>
      setError(e.status === 404 ? "This public page does not exist or was turned off." : e.message),
    );
  }, [api, token]);
  if (error) {
    return (
      <main>
        <p className="error">{error}</p>
      </main>
    );
  }
  if (!summary) return <main className="loading">Loading…</main>;
  return (
    <main className="panel activity public">
      <h1>Activity of {summary.profile}</h1>
      <p className={summary.proof.verified ? "status" : "error"} data-testid="proof">
        {summary.proof.verified
          ? `Verified: ${summary.proof.events} events under Merkle root ${summary.proof.root.slice(0, 16)}…, signed by key ${summary.proof.keyFingerprint.slice(0, 16)}…`
          : "Not verified: the signed attestation does not match these scores."}
      </p>
      <Heatmap summary={summary} />
      <Totals summary={summary} />
      <h2>By service</h2>
      <ServiceChart services={summary.services} />
    </main>
  );
}
