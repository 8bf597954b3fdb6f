// How the bucket's Events and Backup panels and the object details put rules and replication
// states into words: pure functions, no requests.

import { BackupRule, ReplicationStatus } from "./api";

// The event names the Events form offers (S3's; each "*" covers the family's every way).
export const eventChoices: { name: string; label: string }[] = [
  { name: "s3:ObjectCreated:*", label: "Object created (upload, copy, multipart)" },
  { name: "s3:ObjectRemoved:*", label: "Object deleted" },
  { name: "s3:ObjectTagging:*", label: "Tags changed" },
  { name: "s3:ObjectRestore:*", label: "Restored from the archive" },
  { name: "s3:LifecycleTransition", label: "Moved to another storage class by a lifecycle rule" },
  { name: "s3:LifecycleExpiration:*", label: "Expired by a lifecycle rule" },
];

// The form's words for an event name, else the name itself (rules written through S3 may name
// any event S3 knows).
export function eventLabel(name: string): string {
  return eventChoices.find((choice) => choice.name === name)?.label ?? name;
}

// Which keys a prefix and suffix select, for people.
export function describeKeyFilter(prefix: string, suffix: string): string {
  if (prefix && suffix) return `Keys starting with “${prefix}” and ending with “${suffix}”`;
  if (prefix) return `Keys starting with “${prefix}”`;
  if (suffix) return `Keys ending with “${suffix}”`;
  return "All objects";
}

// Which versions a backup rule copies: its key filter, content type and object tags.
export function describeBackupFilter(rule: BackupRule): string {
  const parts = [describeKeyFilter(rule.prefix, rule.suffix)];
  if (rule.contentType) parts.push(`of type ${rule.contentType}`);
  if (rule.tags.length > 0) {
    parts.push(`tagged ${rule.tags.map((tag) => `${tag.name}=${tag.value}`).join(", ")}`);
  }
  return parts.join(", ");
}

// Where a backup rule copies to.
export function describeDestination(rule: Pick<BackupRule, "destinationBucket" | "remote">): string {
  return rule.remote
    ? `${rule.destinationBucket} on ${rule.remote}`
    : `${rule.destinationBucket} (this server)`;
}

// The replication state of an object version in words; "" when no backup rule applies.
export function replicationStatusLabel(status: ReplicationStatus | undefined): string {
  switch (status) {
    case "PENDING":
      return "Pending";
    case "COMPLETED":
      return "Completed";
    case "FAILED":
      return "Failed";
    case "REPLICA":
      return "Replica";
    default:
      return "";
  }
}
