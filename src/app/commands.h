// The CLI verbs. Each returns the process exit code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/config.h"
#include "vault/vault.h"

namespace cv::app {

int run_server(const Config& config);

int admin_user_add(const Config& config, const std::string& name, const std::string& display_name,
                   const std::string& email);
int admin_key_create(const Config& config, const std::string& user_name,
                     const std::optional<std::string>& access_key,
                     const std::optional<std::string>& secret_key);
int admin_key_list(const Config& config);

// IAM administration (admin_iam_command.cc), through the same iam::IamDirectory as the IAM
// query API. `verb` is "user list", "user delete", "key activate", "key deactivate",
// "group create|delete|list|add-user|remove-user", "policy create|list|get|delete|attach|
// detach", "inline put|get|delete|list" (a user's, group's or role's inline policies), "role
// create|list|get|delete". Prints JSON (a policy document as stored for the get verbs);
// errors go to stderr with IAM's code, exit 1.
struct IamAdminArgs {
  std::string verb;
  std::string name;   // the user, group, policy, role or key the verb is about
  std::string other;  // group add-user/remove-user: the user
  std::optional<std::string> file, path, description;
  std::optional<std::string> user, group, role;  // the principal of attach/detach and inline
  int64_t max_session_seconds = 3600;
};
int admin_iam(const Config& config, const IamAdminArgs& args);

// `admin alarm put|list|delete|history` (admin_alarm_command.cc): verb is "put", "list",
// "delete" or "history"; put takes the rule's keys as flags or a JSON document (json_file).
struct AlarmAdminArgs {
  std::string verb;
  std::string name;
  std::optional<std::string> json_file;
  std::optional<std::string> metric, statistic, over, comparison, treat_missing_data,
      description, unit;
  std::vector<std::string> labels, over_labels, targets;  // NAME=VALUE; target names
  std::optional<int64_t> period_seconds, evaluation_periods, datapoints_to_alarm;
  std::optional<double> threshold;
  bool disabled = false;
  size_t limit = 100;  // history
};
int admin_alarm(const Config& config, const AlarmAdminArgs& args);
int admin_key_delete(const Config& config, const std::string& access_key);
// Generates a new master key and reseals everything sealed under the old one, without
// rewriting object bodies (app/master_key_rotation.h). Refuses while a server runs.
int admin_key_rotate_master(const Config& config);
// `admin migrate --to postgres://...` (admin_migrate_command.cc): the folder's SQLite metadata
// copied into an empty PostgreSQL database and verified; refused while the folder is in use.
int admin_migrate(const Config& config, const std::string& to);

// Access control (admin_access_command.cc). public_access_block: verb "get", "put" (the
// account's block becomes `settings`) or "delete"; prints the account's block as JSON.
int admin_public_access_block(const Config& config, const std::string& verb,
                              const vault::PublicAccessBlock& settings);
struct PolicySimulation {
  std::string user;  // empty: an anonymous caller
  std::string action;
  std::string resource;
  std::vector<std::string> context;  // KEY=VALUE
};
// Prints the decision with the statement that made it; exit code 0 allowed, 3 denied.
int admin_policy_simulate(const Config& config, const PolicySimulation& simulation);
// `admin tls self-signed --host NAME`: writes a self-signed certificate and its key (mode
// 0600) for local HTTPS (http/self_signed_certificate.h); empty paths: <data>/tls/cert.pem and
// <data>/tls/key.pem. Prints the paths and how to point the aws CLI at the certificate.
// (admin_tls_command.cc)
int admin_tls_self_signed(const Config& config, const std::string& host,
                          const std::filesystem::path& cert_file,
                          const std::filesystem::path& key_file, int days);

// Storage administration (admin_storage_command.cc). lifecycle_run runs one lifecycle pass
// as of now + days_ahead lifecycle days and prints its report as JSON; usage prints objects
// and bytes per bucket and storage class; events prints outbox events after a sequence
// number, one JSON object per line.
int admin_lifecycle_run(const Config& config, double days_ahead);
int admin_usage(const Config& config, const std::optional<std::string>& bucket);
int admin_events(const Config& config, int64_t after_seq, size_t limit);
// `admin events list [--failed]`: the consumers' tasks (pending and parked, or parked only),
// each with its event; `admin events retry ID|--all` (task_id 0): parked tasks due again now,
// picked up by the running server without a restart.
int admin_event_tasks(const Config& config, bool failed_only, size_t limit);
int admin_event_retry(const Config& config, int64_t task_id);

// Notification targets: the configuration file's and those added with `add`
// (admin_notify_command.cc). list prints one JSON object per target (secrets shown only as
// "set"/"unset", "source": "config" or "admin"); test sends a test message through the target
// NAME now and prints the outcome; non-zero when it was not delivered. add stores a target
// (its secrets sealed under the master key) after the checks of [notify.targets.NAME], remove
// drops one; both refuse names of the configuration file and are followed by a running server
// without a restart. seal reads a secret from standard input and prints its sealed form
// ("sealed:...") for the configuration file.
struct NotifyTargetFlags {
  std::string type;
  std::string url;
  // Each optional; "-" for secret or password: read it from standard input.
  std::optional<std::string> secret, from, username, password;
  std::vector<std::string> to;
  std::optional<int64_t> timeout_seconds;
  bool no_verify_tls = false;
};
int admin_notify_list(const Config& config);
int admin_notify_test(const Config& config, const std::string& name);
int admin_notify_add(const Config& config, const std::string& name, const NotifyTargetFlags& flags);
int admin_notify_remove(const Config& config, const std::string& name);
int admin_notify_seal(const Config& config);

// Backups (admin_backup_command.cc). create turns versioning on, writes the replication rule
// and its receipt/failure targets (Vault::set_up_backup) and prints them as JSON; status prints
// per bucket and rule what is pending (count, bytes, lag), done, skipped and failed, and the
// last error — a table, or JSON with --json; with --wait it first follows the server's copies
// (a progress bar on a terminal, a summary line otherwise, on stderr) until nothing is pending,
// then exits 0 (caught up), 1 (copies failed) or 2 (--timeout passed); retry makes the
// bucket's failed copies due now and, with a key, replicates that key's current version once
// more.
struct BackupStatusWait {
  bool wait = false;                      // follow until nothing is pending
  std::optional<double> timeout_seconds;  // give up after this long; none: never
};
int admin_backup_create(const Config& config, const vault::BackupRequest& request);
int admin_backup_status(const Config& config, const std::optional<std::string>& bucket,
                        bool as_json, const BackupStatusWait& wait = {});
int admin_backup_retry(const Config& config, const std::string& bucket,
                       const std::optional<std::string>& key);

// The activity pipeline (activity_command.cc). ingest reads CloudTrail files from a folder
// or s3://BUCKET/PREFIX (this server's store; --remote: a [replication.remotes.NAME]
// endpoint, --role-arn: through STS AssumeRole) and prints what it read, skipped, stored and
// refused; exit 0 even with malformed input, 1 when the source cannot be read at all.
// profile add/list/remove manage profiles; days prints a profile's capped daily scores,
// levels, event counts and top services (a table, or JSON); rescore recomputes every
// aggregate with the current rules.
struct ActivityIngestFlags {
  std::string from;
  std::optional<std::string> remote;
  std::optional<std::string> role_arn;
};
int activity_ingest(const Config& config, const ActivityIngestFlags& flags);
int activity_profile_add(const Config& config, const std::string& name,
                         const std::vector<std::string>& principals);
int activity_profile_list(const Config& config);
int activity_profile_remove(const Config& config, const std::string& name);
int activity_days(const Config& config, const std::string& profile, const std::string& from,
                  const std::string& to, bool as_json);
int activity_rescore(const Config& config);
// attest prints a signed proof of a profile's daily scores (default: the 365 days up to
// today) and contributing events (activity/attestation.h); verify checks one offline (with
// --key: against that public key, PEM or hex; else against the key it names) and, with
// --prove, prints an event's inclusion path. verify exits 0 when valid, 1 otherwise.
int activity_attest(const Config& config, const std::string& profile,
                    const std::optional<std::string>& from, const std::optional<std::string>& to);
int activity_verify(const std::string& proof_file, const std::optional<std::string>& key_file,
                    const std::optional<std::string>& prove_event);

// The audit trail (trail_command.cc). flush closes the open log file and writes a digest now
// (through the running server when there is one, app/trail_flush_signal.h); validate checks the
// trail folder (audit/trail_validator.h) and exits 1 with a report when it is not intact;
// lookup prints matching records from the store's index, newest first, a page at a time (the
// last line names the --next token when there are more); key prints the public key (PEM) and
// its fingerprint.
struct TrailLookupFlags {
  std::optional<std::string> user, access_key, bucket, prefix, event, from, to, next;
  std::optional<std::string> read_only;  // "true" | "false"
  bool errors_only = false;
  bool json = false;
  size_t max = 50;
};
int trail_flush(const Config& config);
int trail_validate(const Config& config, const std::optional<std::string>& from,
                   const std::optional<std::string>& to);
int trail_lookup(const Config& config, const TrailLookupFlags& flags);
int trail_key(const Config& config);

}  // namespace cv::app
