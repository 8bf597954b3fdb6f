import { FormEvent, useCallback, useEffect, useState } from "react";

import { BackupRule, BackupSetup, ConsoleApi } from "./api";
import { messageOf } from "./Dialog";
import { Check, Column, KeyFilterFields, RulePanel } from "./RulePanel";
import { describeBackupFilter, describeDestination } from "./rules";

const columns: Column<BackupRule>[] = [
  { header: "Rule", cell: (rule) => rule.id },
  { header: "Destination", cell: describeDestination },
  { header: "Objects", cell: describeBackupFilter },
  { header: "Deletes", cell: (rule) => (rule.deleteMarkers ? "Copied" : "Not copied") },
  {
    header: "Existing objects",
    className: "optional",
    cell: (rule) => (rule.existingObjects ? "Copied" : "New versions only"),
  },
  { header: "Status", className: "state", cell: (rule) => (rule.enabled ? "Enabled" : "Disabled") },
];

// A bucket's backup (replication) rules: where new versions of which objects are copied (a
// bucket of the user's on this server, or one on a remote S3 endpoint the server knows);
// add one, remove one. S3 replicates only between versioned buckets, so adding a rule turns
// versioning on for this bucket and a destination here (the form says so before).
export function BackupPanel({ api, bucket }: { api: ConsoleApi; bucket: string }) {
  const [setup, setSetup] = useState<BackupSetup | null>(null);
  const [error, setError] = useState("");
  const [status, setStatus] = useState("");
  const [id, setId] = useState("");
  const [destination, setDestination] = useState("");
  const [remote, setRemote] = useState("");
  const [prefix, setPrefix] = useState("");
  const [suffix, setSuffix] = useState("");
  const [deleteMarkers, setDeleteMarkers] = useState(false);
  const [existingObjects, setExistingObjects] = useState(false);

  const show = useCallback((next: BackupSetup) => {
    setSetup(next);
    setRemote((chosen) => (next.remotes.includes(chosen) ? chosen : ""));
  }, []);
  useEffect(() => {
    api.backupRules(bucket).then(show, (caught) => setError(messageOf(caught)));
  }, [api, bucket, show]);

  async function add(event: FormEvent) {
    event.preventDefault();
    setError("");
    setStatus("");
    const name = id.trim();
    try {
      show(
        await api.addBackupRule(bucket, {
          id: name,
          destinationBucket: destination.trim(),
          remote,
          prefix,
          suffix,
          deleteMarkers,
          existingObjects,
        }),
      );
      setId("");
      setDestination("");
      setPrefix("");
      setSuffix("");
      setDeleteMarkers(false);
      setExistingObjects(false);
      setStatus(`Added the backup rule “${name}”.`);
    } catch (caught) {
      setError(messageOf(caught));
    }
  }

  return (
    <RulePanel
      title="Backup"
      intro={
        <>
          Each new version of a matching object is copied to another bucket: one of yours on
          this server, or one on a remote S3 endpoint set up as{" "}
          <code>[replication.remotes.NAME]</code> in the server's configuration. Versioning of
          this bucket: {setup?.versioning ?? "…"}.
        </>
      }
      noun="backup rule"
      rules={setup?.rules ?? null}
      columns={columns}
      error={error}
      status={status}
      removeMessage={(rule) =>
        `Remove the rule “${rule.id}”? New versions are no longer copied to ${describeDestination(rule)}; copies made so far stay.`
      }
      onRemove={async (rule) => {
        show(await api.deleteBackupRule(bucket, rule.id));
        setStatus(`Removed the backup rule “${rule.id}”.`);
      }}
    >
      <form className="rule-form" aria-label="Add a backup rule" onSubmit={add}>
        <h3>Add a rule</h3>
        <label>
          Rule name
          <input value={id} onChange={(e) => setId(e.target.value)} required maxLength={255} />
        </label>
        <div className="pair">
          <label>
            Destination bucket
            <input
              value={destination}
              placeholder="photos-backup"
              onChange={(e) => setDestination(e.target.value)}
              required
            />
          </label>
          <label>
            Where
            <select value={remote} onChange={(e) => setRemote(e.target.value)}>
              <option value="">This server</option>
              {(setup?.remotes ?? []).map((name) => (
                <option key={name} value={name}>
                  Remote: {name}
                </option>
              ))}
            </select>
          </label>
        </div>
        <KeyFilterFields prefix={prefix} suffix={suffix} onPrefix={setPrefix} onSuffix={setSuffix} />
        <Check
          label="Copy deletes too (delete markers)"
          checked={deleteMarkers}
          onChange={setDeleteMarkers}
        />
        <Check
          label="Copy the objects already in the bucket too"
          checked={existingObjects}
          onChange={setExistingObjects}
        />
        <p className="hint">
          Saving turns versioning on for this bucket{remote ? "" : " and for the destination bucket"}
          : backup copies versions, and needs them kept.
        </p>
        <button type="submit">Add backup rule</button>
      </form>
    </RulePanel>
  );
}
