// The lifecycle worker: applies buckets' lifecycle rules and finishes/expires restores.
//
// A pass finds due versions through the due-time index (never a scan of every object),
// evaluates each one's whole key with vault::plan_key (noncurrent counts and expired
// delete markers depend on the key's other versions), applies what is due through the
// vault (each action one guarded transaction with its event) and writes every version's
// next due time. A crash mid-pass loses nothing and repeats nothing: an applied action is
// committed with the version's new state, so the next pass plans from there.
// Incomplete multipart uploads are checked per bucket with abort rules.
//
// Thread-compatible: one pass at a time per worker; several processes may run passes over
// one data folder (the guards make concurrent actions on one version fail, not repeat).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/progress.h"
#include "vault/lifecycle_rules.h"
#include "vault/vault.h"

namespace cv::workers {

struct LifecycleReport {
  uint64_t keys_examined = 0;
  uint64_t transitioned = 0;
  std::map<std::string, uint64_t> transitioned_to;  // `transitioned` by target storage class
  uint64_t expired = 0;  // current versions removed or covered by a delete marker
  uint64_t noncurrent_deleted = 0;
  uint64_t delete_markers_removed = 0;
  uint64_t restores_finished = 0;
  uint64_t restores_expired = 0;
  uint64_t uploads_aborted = 0;
  uint64_t conflicts = 0;  // actions skipped because a client changed the version meanwhile
  // Expirations not done because object lock protects the version: deferred to its
  // retain-until date (a legal hold: until it is removed, which plans the key again).
  uint64_t locked_deferred = 0;
  uint64_t failures = 0;   // actions that failed otherwise (logged; retried next pass)

  LifecycleReport& operator+=(const LifecycleReport& other) {
    keys_examined += other.keys_examined;
    transitioned += other.transitioned;
    for (const auto& [storage_class, count] : other.transitioned_to) {
      transitioned_to[storage_class] += count;
    }
    expired += other.expired;
    noncurrent_deleted += other.noncurrent_deleted;
    delete_markers_removed += other.delete_markers_removed;
    restores_finished += other.restores_finished;
    restores_expired += other.restores_expired;
    uploads_aborted += other.uploads_aborted;
    conflicts += other.conflicts;
    locked_deferred += other.locked_deferred;
    failures += other.failures;
    return *this;
  }
};

class LifecycleWorker {
 public:
  // Keys are processed on `threads` threads at once (each action waits for fsyncs, which
  // concurrent actions share through the store's group commit).
  explicit LifecycleWorker(vault::Vault& vault, size_t threads = 8)
      : vault_(vault), threads_(threads == 0 ? 1 : threads) {}

  // One pass as of `now_ns` (normally the clock's now; `cloudvault admin lifecycle run
  // --days-ahead` passes a later time). Fails only when the catalogue cannot be read.
  // `progress` hears of the keys examined after each batch (the total is not known: 0).
  Result<LifecycleReport> run_once(int64_t now_ns, const ProgressCallback& progress = {});

 private:
  using Rules = std::optional<vault::LifecycleConfiguration>;
  Result<Rules> rules_of(const std::string& bucket);
  Status process_key(const std::string& bucket, const std::string& key, const Rules& rules,
                     int64_t now_ns, LifecycleReport& report);
  // Processes the keys on threads_ threads; adds their counts to `report`.
  Status process_keys(const std::vector<std::pair<std::string, std::string>>& keys, int64_t now_ns,
                      LifecycleReport& report);
  Status abort_due_uploads(int64_t now_ns, LifecycleReport& report);

  vault::Vault& vault_;
  size_t threads_;
  std::map<std::string, Rules> rules_cache_;  // for one pass; filled before threads start
};

}  // namespace cv::workers
