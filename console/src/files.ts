// What the page works out about keys and files on its own: the kind of a file (for icons,
// the gallery and previews), the key an upload gets, folder names a person types, and the
// lifetimes a share link can have.

export type FileKind = "image" | "video" | "audio" | "pdf" | "text" | "archive" | "other";

const extensionKinds: Record<string, FileKind> = {
  jpg: "image", jpeg: "image", png: "image", gif: "image", webp: "image", avif: "image",
  bmp: "image", tif: "image", tiff: "image", heic: "image", svg: "image",
  mp4: "video", webm: "video", mov: "video", mkv: "video", ogv: "video", m4v: "video",
  mp3: "audio", wav: "audio", ogg: "audio", oga: "audio", flac: "audio", m4a: "audio", aac: "audio",
  pdf: "pdf",
  txt: "text", md: "text", csv: "text", json: "text", xml: "text", log: "text", yaml: "text",
  yml: "text", toml: "text", ini: "text", html: "text", css: "text", js: "text", ts: "text",
  py: "text", c: "text", cc: "text", h: "text", cpp: "text", rs: "text", go: "text", sh: "text",
  zip: "archive", gz: "archive", tgz: "archive", tar: "archive", zst: "archive", "7z": "archive",
  xz: "archive", bz2: "archive",
};

// The lower-cased extension after the last dot of the last path segment ("" when none).
export function extensionOf(key: string): string {
  const name = key.slice(key.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  return dot <= 0 ? "" : name.slice(dot + 1).toLowerCase();
}

export function kindOf(key: string, contentType = ""): FileKind {
  const type = contentType.toLowerCase();
  if (type.startsWith("image/")) return "image";
  if (type.startsWith("video/")) return "video";
  if (type.startsWith("audio/")) return "audio";
  if (type === "application/pdf") return "pdf";
  if (type.startsWith("text/") || type === "application/json") return "text";
  return extensionKinds[extensionOf(key)] ?? "other";
}

// Images the server can make thumbnails of (libvips loaders; SVG is left to the browser).
export function hasThumbnail(key: string): boolean {
  return kindOf(key) === "image" && extensionOf(key) !== "svg";
}

// The key an uploaded file gets: the folder being viewed, then the file's path inside a
// dropped or picked folder (when there is one), else its name. Leading slashes and "./" are
// dropped; ".." segments are refused by the server, never resolved here.
export function uploadKey(prefix: string, name: string, relativePath?: string | null): string {
  const path = (relativePath || name).replace(/^(\.?\/)+/, "");
  return prefix + path;
}

// Checks a folder name a person typed; the message says what to change, "" when fine.
export function folderNameProblem(name: string): string {
  if (name.length === 0) return "Give the folder a name.";
  if (name.includes("/")) return "A folder name cannot contain “/”. Create one level at a time.";
  if (name === "." || name === "..") return "“.” and “..” are not folder names.";
  if (new TextEncoder().encode(name).length > 512) return "That name is too long.";
  return "";
}

// The key a rename produces when a person types a new name: a bare name stays in the same
// folder; a name with "/" is a path from the bucket's root.
export function renamedKey(from: string, typed: string): string {
  const trimmed = typed.trim();
  if (trimmed.includes("/")) return trimmed.replace(/^\/+/, "");
  return from.slice(0, from.lastIndexOf("/") + 1) + trimmed;
}

export const shareLifetimes: { label: string; seconds: number }[] = [
  { label: "15 minutes", seconds: 15 * 60 },
  { label: "1 hour", seconds: 3600 },
  { label: "1 day", seconds: 24 * 3600 },
  { label: "7 days", seconds: 7 * 24 * 3600 },
];

// "in 7 days", "in 2 hours", "in 15 minutes": how long a link lasts, for people.
export function describeLifetime(seconds: number): string {
  const units: [number, string][] = [
    [24 * 3600, "day"],
    [3600, "hour"],
    [60, "minute"],
  ];
  for (const [size, unit] of units) {
    if (seconds >= size && seconds % size === 0) {
      const count = seconds / size;
      return `${count} ${unit}${count === 1 ? "" : "s"}`;
    }
  }
  return `${seconds} seconds`;
}
