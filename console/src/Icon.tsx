import { FileKind } from "./files";

const kindLabels: Record<FileKind, [string, string]> = {
  image: ["IMG", "#1f8a5b"],
  video: ["VID", "#8a3ffc"],
  audio: ["AUD", "#d0621f"],
  pdf: ["PDF", "#c62828"],
  text: ["TXT", "#1d5fa8"],
  archive: ["ZIP", "#7a6a00"],
  other: ["FILE", "#5b6570"],
};

// A file-type badge drawn in SVG (no icon font or emoji font needed), or a folder.
export function KindIcon({ kind, size = 20 }: { kind: FileKind | "folder" | "bucket"; size?: number }) {
  if (kind === "folder" || kind === "bucket") {
    const colour = kind === "folder" ? "#e0a800" : "#1d3557";
    return (
      <svg className="kind-icon" width={size} height={size} viewBox="0 0 24 24" aria-hidden="true">
        <path d="M2 5.5A1.5 1.5 0 0 1 3.5 4h5l2 2.5h10A1.5 1.5 0 0 1 22 8v10.5a1.5 1.5 0 0 1-1.5 1.5h-17A1.5 1.5 0 0 1 2 18.5z" fill={colour} />
      </svg>
    );
  }
  const [label, colour] = kindLabels[kind];
  return (
    <svg className="kind-icon" width={size} height={size} viewBox="0 0 24 24" aria-hidden="true">
      <path d="M5 2h10l5 5v15H5z" fill="#fff" stroke="#9aa3ad" strokeWidth="1" />
      <path d="M15 2v5h5" fill="none" stroke="#9aa3ad" strokeWidth="1" />
      <rect x="2" y="12" width="17" height="8" rx="1.5" fill={colour} />
      <text x="10.5" y="18.3" textAnchor="middle" fontSize="6.2" fontWeight="700" fill="#fff" fontFamily="sans-serif">
        {label}
      </text>
    </svg>
  );
}
