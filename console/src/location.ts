// Where the page is, kept in the address's fragment so that Back, Forward and reloading work:
// "#/" is the bucket list, "#/b/<bucket>/<folder prefix>" one folder (each segment
// percent-encoded).

export interface Place {
  bucket: string | null;
  prefix: string;
}

export function parsePlace(hash: string): Place {
  const path = hash.replace(/^#/, "");
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
  if (place.bucket === null) return "#/";
  const segments = place.prefix.split("/").map(encodeURIComponent).join("/");
  return `#/b/${encodeURIComponent(place.bucket)}/${segments}`;
}
