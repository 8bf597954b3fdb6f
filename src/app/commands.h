// The CLI verbs. Each returns the process exit code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

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
int admin_key_delete(const Config& config, const std::string& access_key);
// Generates a new master key and reseals everything sealed under the old one, without
// rewriting object bodies (app/master_key_rotation.h). Refuses while a server runs.
int admin_key_rotate_master(const Config& config);

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

// Notification targets of the configuration (admin_notify_command.cc). list prints one JSON
// object per target (secrets shown only as "set"/"unset"); test sends a test message through
// the target NAME now and prints the outcome; non-zero when it was not delivered.
int admin_notify_list(const Config& config);
int admin_notify_test(const Config& config, const std::string& name);

// Backups (admin_backup_command.cc). create turns versioning on, writes the replication rule
// and its receipt/failure targets (Vault::set_up_backup) and prints them as JSON; status prints
// per bucket and rule what is pending (count, bytes, lag), done, skipped and failed, and the
// last error — a table, or JSON with --json; retry makes the bucket's failed copies due now
// and, with a key, replicates that key's current version once more.
int admin_backup_create(const Config& config, const vault::BackupRequest& request);
int admin_backup_status(const Config& config, const std::optional<std::string>& bucket,
                        bool as_json);
int admin_backup_retry(const Config& config, const std::string& bucket,
                       const std::optional<std::string>& key);

}  // namespace cv::app
