// Where the page is, kept in the address's fragment so that Back, Forward and reloading work:
// "#/" is the bucket list, "#/b/<bucket>/<folder prefix>" one folder (each segment
// percent-encoded), "#/activity[/<profile>]" the activity heatmap, "#/trail" the audit
// trail, "#/users[/<name>]" the Users page (one user's), "#/policies" the Policies page,
// "#/keys" the signed-in user's access keys, "#/dashboard" the server's Dashboard (root; the
// link in alarm messages), and "#/p/<token>" a profile's public page (seen without signing in).

export interface Place {
  bucket: string | null;
  prefix: string;
  page?: "activity" | "trail" | "users" | "policies" | "keys" | "dashboard";
  profile?: string;
  user?: string; // the Users page's chosen user
}

// The token of a public activity page's address, or null.
export function publicToken(hash: string): string | null {
  const match = /^#\/p\/([A-Za-z0-9_-]+)$/.exec(hash);
  return match ? match[1] : null;
}

export function parsePlace(hash: string): Place {
  const path = hash.replace(/^#/, "");
  if (path === "/trail") return { bucket: null, prefix: "", page: "trail" };
  if (path === "/policies") return { bucket: null, prefix: "", page: "policies" };
  if (path === "/keys") return { bucket: null, prefix: "", page: "keys" };
  if (path === "/dashboard") return { bucket: null, prefix: "", page: "dashboard" };
  if (path === "/users" || path.startsWith("/users/")) {
    const rest = path.slice("/users/".length);
    try {
      return { bucket: null, prefix: "", page: "users", user: rest ? decodeURIComponent(rest) : undefined };
    } catch {
      return { bucket: null, prefix: "", page: "users" };
    }
  }
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
  if (place.page === "policies") return "#/policies";
  if (place.page === "keys") return "#/keys";
  if (place.page === "dashboard") return "#/dashboard";
  if (place.page === "users") return place.user ? `#/users/${encodeURIComponent(place.user)}` : "#/users";
  if (place.page === "activity") {
    return place.profile ? `#/activity/${encodeURIComponent(place.profile)}` : "#/activity";
  }
  if (place.bucket === null) return "#/";
  const segments = place.prefix.split("/").map(encodeURIComponent).join("/");
  return `#/b/${encodeURIComponent(place.bucket)}/${segments}`;
}
