// `cloudvault admin backup create | status | retry`: backups (replication rules with receipts)
// against the data folder, while the server runs: changes are announced on buckets.changed,
// which the server's vault follows.
#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <thread>
#include <type_traits>

#include "app/admin_support.h"
#include "app/catalogs.h"
#include "app/change_file.h"
#include "app/commands.h"
#include "app/data_dir.h"
#include "app/progress_bar.h"
#include "app/wiring.h"
#include "vault/vault.h"
#include "workers/notify/targets/message_text.h"
#include "workers/replicate/replication_worker.h"

namespace cv::app {
namespace {

namespace json = boost::json;
using workers::replicate::kReplicateConsumer;

// The configuration file's targets and those added with `cloudvault admin notify add`.
class ConfiguredTargets final : public vault::NotificationTargetCatalog {
 public:
  ConfiguredTargets(const Config& config, meta::MetaStore& meta) : config_(config), meta_(meta) {}
  bool has_target(std::string_view name) const override {
    for (const auto& target : config_.notify_targets) {
      if (target.name == name) return true;
    }
    auto stored = meta_.list_notify_targets();
    return stored && std::any_of(stored->begin(), stored->end(),
                                 [&](const meta::NotifyTarget& t) { return t.name == name; });
  }

 private:
  const Config& config_;
  meta::MetaStore& meta_;
};

// What the replication consumer has not planned yet in a bucket (events after its position):
// versions pending too, not yet attributed to a rule, and backfills not yet started.
struct Unplanned {
  uint64_t versions = 0;
  uint64_t bytes = 0;
  uint64_t backfills = 0;
};

Result<std::map<std::string, Unplanned>> unplanned_versions(vault::Vault& vault) {
  std::map<std::string, Unplanned> by_bucket;
  int64_t after = CV_TRY(vault.consumer_position(kReplicateConsumer));
  for (;;) {
    auto events = CV_TRY(vault.events(after, 1000));
    if (events.empty()) return by_bucket;
    for (const meta::Event& event : events) {
      after = event.seq;
      if (event.name == vault::kReplicationBackfillEvent) {
        ++by_bucket[event.bucket].backfills;
        continue;
      }
      if (!event.name.starts_with("s3:ObjectCreated:") &&
          event.name != "s3:ObjectRemoved:DeleteMarkerCreated" &&
          event.name != vault::kReplicationExistingEvent) {
        continue;
      }
      auto version = vault.get_version(event.bucket, event.key, event.version_id);
      if (!version || version->replication_status != "PENDING") continue;
      auto& entry = by_bucket[event.bucket];
      ++entry.versions;
      entry.bytes += event.size;
    }
  }
}

// Every replication task of the consumer, pending and parked.
Result<std::vector<meta::OutboxTask>> replication_tasks(vault::Vault& vault) {
  std::vector<meta::OutboxTask> all;
  int64_t after = 0;
  for (;;) {
    auto page = CV_TRY(vault.outbox_tasks(kReplicateConsumer, false, after, 1000));
    if (page.empty()) return all;
    after = page.back().id;
    for (meta::OutboxTask& task : page) all.push_back(std::move(task));
  }
}

struct RuleLoad {
  uint64_t pending = 0;
  uint64_t pending_bytes = 0;
  uint64_t parked = 0;
  int64_t oldest_pending_ns = 0;  // the change time of the oldest pending version
  std::string last_error;         // of a pending or parked task
};

json::object rule_status(const vault::ReplicationRule& rule, const meta::ReplicationStats& stats,
                         const RuleLoad& load, const vault::BackupReceipt& receipt,
                         int64_t now_ns) {
  auto names = [](const std::vector<std::string>& list) {
    json::array array;
    for (const std::string& name : list) array.emplace_back(name);
    return array;
  };
  const double lag_seconds =
      load.oldest_pending_ns ? static_cast<double>(now_ns - load.oldest_pending_ns) / 1e9 : 0.0;
  return json::object{
      {"rule", rule.id},
      {"status", rule.enabled ? "Enabled" : "Disabled"},
      {"destination", rule.destination.bucket_name()},
      {"remote", rule.destination.account},
      {"prefix", rule.filter.prefix},
      {"pending", load.pending},
      {"pending_bytes", load.pending_bytes},
      {"failed", load.parked},
      {"replicated", stats.replicated},
      {"replicated_bytes", stats.replicated_bytes},
      {"skipped", stats.skipped},
      {"failures", stats.failed},
      {"lag_seconds", lag_seconds},
      {"latency_avg_seconds", stats.replicated ? static_cast<double>(stats.latency_sum_ns) / 1e9 /
                                                     static_cast<double>(stats.replicated)
                                               : 0.0},
      {"latency_max_seconds", static_cast<double>(stats.latency_max_ns) / 1e9},
      {"last_error", load.last_error.empty() ? stats.last_error : load.last_error},
      // AWS's replication metrics, by their names.
      {"OperationsPendingReplication", load.pending},
      {"BytesPendingReplication", load.pending_bytes},
      {"ReplicationLatency", lag_seconds},
      {"receipt", names(receipt.receipt_targets)},
      {"failure", names(receipt.failure_targets)},
      {"digest_seconds", receipt.digest_seconds},
      {"lock_days", receipt.lock_days}};
}

void print_human(const json::object& bucket) {
  std::printf("%s\n", std::string(bucket.at("bucket").as_string()).c_str());
  if (const int64_t waiting = bucket.at("unplanned").to_number<int64_t>(); waiting > 0) {
    std::printf(
        "  %lld new versions (%s) not yet assigned to a rule\n", static_cast<long long>(waiting),
        workers::notify::human_size(bucket.at("unplanned_bytes").to_number<uint64_t>()).c_str());
  }
  if (bucket.at("backfilling").to_number<int64_t>() > 0) {
    std::printf("  versions older than the backup are still being queued (backfill)\n");
  }
  if (const int64_t failed = bucket.at("backfills_failed").to_number<int64_t>(); failed > 0) {
    std::printf("  %lld backfills of older versions failed\n", static_cast<long long>(failed));
  }
  for (const json::value& value : bucket.at("rules").as_array()) {
    const json::object& rule = value.as_object();
    const std::string remote(rule.at("remote").as_string());
    std::printf("  rule %s (%s) -> %s%s\n", std::string(rule.at("rule").as_string()).c_str(),
                std::string(rule.at("status").as_string()).c_str(),
                remote.empty() ? "" : (remote + ":").c_str(),
                std::string(rule.at("destination").as_string()).c_str());
    std::printf(
        "    pending %lld (%s), failed %lld, done %lld (%s), skipped %lld, lag %.1f s, "
        "latency avg %.3f s max %.3f s\n",
        static_cast<long long>(rule.at("pending").to_number<int64_t>()),
        workers::notify::human_size(rule.at("pending_bytes").to_number<uint64_t>()).c_str(),
        static_cast<long long>(rule.at("failed").to_number<int64_t>()),
        static_cast<long long>(rule.at("replicated").to_number<int64_t>()),
        workers::notify::human_size(rule.at("replicated_bytes").to_number<uint64_t>()).c_str(),
        static_cast<long long>(rule.at("skipped").to_number<int64_t>()),
        rule.at("lag_seconds").to_number<double>(),
        rule.at("latency_avg_seconds").to_number<double>(),
        rule.at("latency_max_seconds").to_number<double>());
    const std::string error(rule.at("last_error").as_string());
    if (!error.empty()) std::printf("    last error: %s\n", error.c_str());
  }
}

// Per bucket (the one named, or every bucket with a backup) and rule: what is pending, done,
// skipped and failed, as `backup status --json` prints it.
Result<json::array> backup_status_of(vault::Vault& vault,
                                     const std::optional<std::string>& bucket) {
  const std::vector<std::string> names = CV_TRY(bucket_names(vault, bucket));
  // Events first, tasks second: a version planned in between is counted twice, not missed.
  auto unplanned = CV_TRY(unplanned_versions(vault));
  const std::vector<meta::OutboxTask> tasks = CV_TRY(replication_tasks(vault));
  const int64_t now_ns = to_unix_nanos(vault.clock().now());
  json::array out;
  for (const std::string& name : names) {
    auto config_of = CV_TRY(vault.replication(name));
    if (!config_of) {
      if (bucket) {
        out.push_back(json::object{{"bucket", name},
                                   {"unplanned", 0},
                                   {"unplanned_bytes", 0},
                                   {"backfilling", 0},
                                   {"backfills_failed", 0},
                                   {"rules", json::array{}}});
      }
      continue;
    }
    const auto stats = CV_TRY(vault.replication_stats(name));
    const auto receipts = CV_TRY(vault.backup_receipts(name));
    const Unplanned waiting = unplanned[name];
    uint64_t backfilling = waiting.backfills;
    uint64_t backfills_failed = 0;
    std::map<std::string, RuleLoad> loads;
    for (const meta::OutboxTask& task : tasks) {
      if (workers::replicate::backfill_bucket(task) == name) {
        ++(task.failed ? backfills_failed : backfilling);
        continue;
      }
      if (task.event.bucket != name) continue;
      RuleLoad& load = loads[workers::replicate::task_rule(task.payload)];
      if (task.failed) {
        ++load.parked;
      } else {
        ++load.pending;
        load.pending_bytes += task.event.size;
        const int64_t changed = task.event.time_ns;
        if (load.oldest_pending_ns == 0 || changed < load.oldest_pending_ns) {
          load.oldest_pending_ns = changed;
        }
      }
      if (!task.last_error.empty()) load.last_error = task.last_error;
    }
    json::array rules;
    for (const vault::ReplicationRule& rule : config_of->rules) {
      meta::ReplicationStats rule_stats;
      for (const meta::ReplicationStats& entry : stats) {
        if (entry.rule_id == rule.id) rule_stats = entry;
      }
      vault::BackupReceipt receipt;
      if (auto found = receipts.find(rule.id); found != receipts.end()) receipt = found->second;
      rules.push_back(rule_status(rule, rule_stats, loads[rule.id], receipt, now_ns));
    }
    out.push_back(json::object{{"bucket", name},
                               {"unplanned", waiting.versions},
                               {"unplanned_bytes", waiting.bytes},
                               {"backfilling", backfilling},
                               {"backfills_failed", backfills_failed},
                               {"rules", std::move(rules)}});
  }
  return out;
}

void print_status(const json::array& out, bool as_json) {
  if (as_json) {
    print_json(out);
  } else if (out.empty()) {
    std::printf("no bucket has a backup (cloudvault admin backup create --from SRC --to DST)\n");
  } else {
    for (const json::value& entry : out) print_human(entry.as_object());
  }
}

// The sums over a status report that `backup status --wait` follows.
struct BackupTotals {
  uint64_t waiting = 0;      // pending copies and versions not yet assigned to a rule
  uint64_t backfilling = 0;  // backfills still queueing older versions
  uint64_t failed = 0;       // parked copies and backfills
  uint64_t finished = 0;     // copies made or skipped (the destination had them), ever
};

BackupTotals totals_of(const json::array& out) {
  BackupTotals totals;
  for (const json::value& entry : out) {
    const json::object& bucket = entry.as_object();
    totals.waiting += bucket.at("unplanned").to_number<uint64_t>();
    totals.backfilling += bucket.at("backfilling").to_number<uint64_t>();
    totals.failed += bucket.at("backfills_failed").to_number<uint64_t>();
    for (const json::value& value : bucket.at("rules").as_array()) {
      const json::object& rule = value.as_object();
      totals.waiting += rule.at("pending").to_number<uint64_t>();
      totals.failed += rule.at("failed").to_number<uint64_t>();
      totals.finished +=
          rule.at("replicated").to_number<uint64_t>() + rule.at("skipped").to_number<uint64_t>();
    }
  }
  return totals;
}

constexpr auto kWaitPollInterval = std::chrono::milliseconds(250);

// `backup status --wait`: reads the status until nothing is pending (the running server's
// replication worker copies; this only reads the store), drawing the copies made since the
// wait began against those plus the ones pending (a backfill still walking the bucket adds to
// them as it goes); then prints the status. Caught up means two reads in a row found nothing
// pending: a version a backfill queues between the reads of one status is seen by the next.
// 0: caught up with no failed copy; 1: copies failed; 2: `timeout_seconds` passed first.
int wait_for_backups(vault::Vault& vault, const std::optional<std::string>& bucket, bool as_json,
                     std::optional<double> timeout_seconds) {
  ProgressBar progress =
      ProgressBar::on_stderr(bucket ? "backup " + *bucket : std::string("backup"), "versions");
  const auto started = std::chrono::steady_clock::now();
  std::optional<uint64_t> finished_before;
  int idle_reads = 0;
  for (;;) {
    auto out = backup_status_of(vault, bucket);
    if (!out) return report_error(out.error());
    const BackupTotals totals = totals_of(*out);
    if (!finished_before) finished_before = totals.finished;
    const uint64_t done = totals.finished - std::min(totals.finished, *finished_before);
    progress.update(done, done + totals.waiting);
    const bool idle = totals.waiting == 0 && totals.backfilling == 0;
    idle_reads = idle ? idle_reads + 1 : 0;
    const bool timed_out =
        timeout_seconds &&
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() >=
            *timeout_seconds;
    if (idle_reads >= 2 || (timed_out && !idle)) {
      progress.finish();
      print_status(*out, as_json);
      if (!idle) {
        std::fprintf(stderr, "cloudvault: %llu versions still pending after %s%s\n",
                     static_cast<unsigned long long>(totals.waiting),
                     format_duration(*timeout_seconds).c_str(),
                     totals.backfilling > 0 ? ", older versions still being queued" : "");
        return 2;
      }
      if (totals.failed > 0) {
        std::fprintf(stderr, "cloudvault: %llu copies failed (cloudvault admin backup retry %s)\n",
                     static_cast<unsigned long long>(totals.failed),
                     bucket ? bucket->c_str() : "BUCKET");
        return 1;
      }
      return 0;
    }
    std::this_thread::sleep_for(kWaitPollInterval);
  }
}

}  // namespace

int admin_backup_create(const Config& config, const vault::BackupRequest& request) {
  return with_vault(config, [&](vault::Vault& vault, meta::MetaStore& meta) {
    const ReplicationRemoteNames remotes(config.replication_remotes);
    const ConfiguredTargets targets(config, meta);
    auto rule = vault.set_up_backup(request, remotes, targets);
    if (!rule) return report_error(rule.error());
    ChangeFile(config.data_dir / std::string(kBucketChangesFile)).announce();
    // A running server looks at the announcement at most every other_changes_interval; once
    // that has passed, every request it serves sees the backup. Returning only then means a
    // script's next upload is backed up.
    std::this_thread::sleep_for(vault::VaultOptions{}.other_changes_interval +
                                std::chrono::milliseconds(50));
    json::array receipt;
    for (const std::string& name : request.receipt_targets) receipt.emplace_back(name);
    json::array failure;
    for (const std::string& name : request.failure_targets) failure.emplace_back(name);
    print_json(json::object{{"rule", rule->id},
                            {"from", request.source},
                            {"to", request.destination},
                            {"remote", request.remote},
                            {"prefix", request.prefix},
                            {"suffix", request.suffix},
                            {"receipt", std::move(receipt)},
                            {"failure", std::move(failure)},
                            {"digest_seconds", request.digest_seconds},
                            {"lock_days", request.lock_days},
                            {"versioning", "Enabled"}});
    return 0;
  });
}

int admin_backup_status(const Config& config, const std::optional<std::string>& bucket,
                        bool as_json, const BackupStatusWait& wait) {
  return with_vault(config, [&](vault::Vault& vault) {
    if (!wait.wait) {
      auto out = backup_status_of(vault, bucket);
      if (!out) return report_error(out.error());
      print_status(*out, as_json);
      return 0;
    }
    return wait_for_backups(vault, bucket, as_json, wait.timeout_seconds);
  });
}

int admin_backup_retry(const Config& config, const std::string& bucket,
                       const std::optional<std::string>& key) {
  return with_vault(config, [&](vault::Vault& vault) {
    uint64_t retried = 0;
    auto tasks = replication_tasks(vault);
    if (!tasks) return report_error(tasks.error());
    for (const meta::OutboxTask& task : *tasks) {
      if (!task.failed || task.event.bucket != bucket) continue;
      if (key && task.event.key != *key) continue;
      auto done = vault.retry_outbox_tasks(kReplicateConsumer, task.id);
      if (!done) return report_error(done.error());
      retried += *done;
    }
    uint64_t requeued = 0;
    if (key) {
      // The current version once more, even when it is COMPLETED: the destination skips it
      // when it holds it (skip_copy), and copies it when it was lost there.
      auto version = vault.get_version(bucket, *key, "");
      if (!version) return report_error(version.error());
      meta::Event event =
          vault::Vault::event_of(*version, std::string(vault::kReplicationExistingEvent),
                                 to_unix_nanos(vault.clock().now()), {});
      event.detail = R"({"replay":true})";
      if (auto queued = vault.queue_replication({event}); !queued) {
        return report_error(queued.error());
      }
      requeued = 1;
    }
    print_json(json::object{{"retried", retried}, {"requeued", requeued}});
    return 0;
  });
}

}  // namespace cv::app
