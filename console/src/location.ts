// Where the page is, kept in the address's fragment so that Back, Forward and reloading work:
// "#/" is the bucket list, "#/b/<bucket>/<folder prefix>" one folder (each segment
// percent-encoded), "#/activity[/<profile>]" the activity heatmap, "#/trail" the audit
// trail, and "#/p/<token>" a profile's public page (seen without signing in).

export interface Place {
  bucket: string | null;
  prefix: string;
  page?: "activity" | "trail";
  profile?: string;
}

// The token of a public activity page's address, or null.
export function publicToken(hash: string): string | null {
  const match = /^#\/p\/([A-Za-z0-9_-]+)$/.exec(hash);
  return match ? match[1] : null;
}

export function parsePlace(hash: string): Place {
  const path = hash.replace(/^#/, "");
  if (path === "/trail") return { bucket: null, prefix: "", page: "trail" };
  if (path === "/activity" || path.startsWith("/activity/")) {
    const rest = path.slice("/activity/".length);
    let profile: string | undefined;
    try {
      profile = rest ? decodeURIComponent(rest) : undefined;
    } catch {
      profile = undefined;
    }
    return { bucket: null, prefix: "", page: "activity", profile };
  }
  if (!path.startsWith("/b/")) return { bucket: null, prefix: "" };
  const [bucket, ...rest] = path.slice(3).split("/");
  if (!bucket) return { bucket: null, prefix: "" };
  try {
    const prefix = rest.map(decodeURIComponent).join("/");
    return { bucket: decodeURIComponent(bucket), prefix };
  } catch {
    return { bucket: decodeURIComponent(bucket), prefix: "" };
  }
}

export function formatPlace(place: Place): string {
  if (place.page === "trail") return "#/trail";
  if (place.page === "activity") {
    return place.profile ? `#/activity/${encodeURIComponent(place.profile)}` : "#/activity";
  }
  if (place.bucket === null) return "#/";
  const segments = place.prefix.split("/").map(encodeURIComponent).join("/");
  return `#/b/${encodeURIComponent(place.bucket)}/${segments}`;
}
