#include "workers/lifecycle_worker.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <mutex>
#include <set>
#include <thread>
#include <utility>
#include <vector>

namespace cv::workers {
namespace {

constexpr size_t kDueBatch = 512;
// A key is re-planned after a deletion (an expired delete marker may appear); this bounds it.
constexpr int kMaxPlansPerKey = 4;

vault::VersionFacts facts_of(const meta::ObjectVersion& version) {
  vault::VersionFacts facts;
  facts.key = version.key;
  facts.version_id = version.version_id;
  facts.is_latest = version.is_latest;
  facts.is_delete_marker = version.is_delete_marker;
  facts.size = version.size;
  facts.tags = version.tags;
  facts.created_ns = version.mtime_ns;
  facts.noncurrent_since_ns = version.noncurrent_since_ns;
  facts.storage_class = version.storage_class;
  return facts;
}

// `to`: a transition's destination class (detail "to", read by notify/event_message.h).
meta::Event lifecycle_event(const meta::ObjectVersion& version, std::string name,
                            const std::string& rule_id, int64_t now_ns, std::string_view to = {}) {
  meta::Event event = vault::Vault::event_of(version, std::move(name), now_ns);
  boost::json::object detail;
  detail["rule"] = rule_id;
  detail["from"] = version.storage_class;
  if (!to.empty()) detail["to"] = to;
  event.detail = boost::json::serialize(detail);
  return event;
}

// The earlier of two due times, 0 meaning none.
int64_t earliest(int64_t a, int64_t b) {
  if (a == 0) return b;
  if (b == 0) return a;
  return std::min(a, b);
}

}  // namespace

Result<LifecycleWorker::Rules> LifecycleWorker::rules_of(const std::string& bucket) {
  if (auto found = rules_cache_.find(bucket); found != rules_cache_.end()) return found->second;
  auto rules = vault_.lifecycle(bucket);
  if (!rules) {
    if (rules.error().code != ErrorCode::kNoSuchBucket) return fail(rules.error());
    rules = Rules();
  }
  rules_cache_.emplace(bucket, *rules);
  return std::move(*rules);
}

Status LifecycleWorker::process_key(const std::string& bucket, const std::string& key,
                                    const Rules& rules, int64_t now_ns, LifecycleReport& report) {
  const int64_t day_ns = vault_.options().lifecycle_day_ns;
  ++report.keys_examined;
  for (int round = 0; round < kMaxPlansPerKey; ++round) {
    const std::vector<meta::ObjectVersion> versions = CV_TRY(vault_.key_versions(bucket, key));
    std::vector<vault::VersionFacts> facts;
    facts.reserve(versions.size());
    for (const auto& version : versions) facts.push_back(facts_of(version));
    std::vector<vault::VersionPlan> plans = rules
                                                ? vault::plan_key(*rules, facts, now_ns, day_ns)
                                                : std::vector<vault::VersionPlan>(versions.size());
    bool removed_any = false;
    for (size_t i = 0; i < versions.size(); ++i) {
      const meta::ObjectVersion& version = versions[i];
      const vault::VersionPlan& plan = plans[i];
      Status done;
      switch (plan.action) {
        case vault::LifecycleAction::kTransition:
          done = vault_.transition(version, plan.storage_class, plan.next_due_ns,
                                   lifecycle_event(version, "s3:LifecycleTransition", plan.rule_id,
                                                   now_ns, plan.storage_class));
          if (done) {
            ++report.transitioned;
            ++report.transitioned_to[plan.storage_class];
          }
          break;
        case vault::LifecycleAction::kExpireCurrent:
          done = vault_.expire_current(
              version,
              lifecycle_event(version, "s3:LifecycleExpiration:Delete", plan.rule_id, now_ns));
          if (done) ++report.expired;
          removed_any = true;
          break;
        case vault::LifecycleAction::kDeleteNoncurrent:
        case vault::LifecycleAction::kDeleteExpiredMarker: {
          meta::VersionChange change = vault::Vault::change_of(version);
          if (meta::lock_blocks_removal(version.lock, now_ns, false)) {
            // Object lock: never removed while protected; looked at again when the retention
            // ends (a legal hold's removal plans the key again).
            change.due_ns = version.lock.legal_hold ? 0 : version.lock.retain_until_ns;
            done = vault_.apply_change(change);
            if (done) ++report.locked_deferred;
            break;
          }
          change.kind = meta::VersionChange::Kind::kDelete;
          change.now_ns = now_ns;  // the store judges the lock again, in the delete's transaction
          change.event =
              lifecycle_event(version, "s3:LifecycleExpiration:Delete", plan.rule_id, now_ns);
          done = vault_.apply_change(change);
          if (done) {
            ++(plan.action == vault::LifecycleAction::kDeleteNoncurrent
                   ? report.noncurrent_deleted
                   : report.delete_markers_removed);
          }
          removed_any = true;
          break;
        }
        case vault::LifecycleAction::kNone: {
          // Restores first: an ongoing one is made, an expired copy removed.
          int64_t due = plan.next_due_ns;
          if (version.restore && version.restore->ongoing) {
            done = vault_.finish_restore(version, due);
            if (done) ++report.restores_finished;
            break;
          }
          if (version.restore && version.restore->expiry_ns <= now_ns) {
            done = vault_.drop_restore(version, due);
            if (done) ++report.restores_expired;
            break;
          }
          if (version.restore) due = earliest(due, version.restore->expiry_ns);
          if (due == version.lifecycle_due_ns) break;
          meta::VersionChange change = vault::Vault::change_of(version);
          change.due_ns = due;
          done = vault_.apply_change(change);
          break;
        }
      }
      if (!done) {
        const ErrorCode code = done.error().code;
        if (code == ErrorCode::kPreconditionFailed || code == ErrorCode::kNoSuchVersion) {
          ++report.conflicts;
        } else {
          ++report.failures;
          spdlog::error("lifecycle: {}/{} version {}: {}", bucket, key, version.version_id,
                        done.error().message);
        }
      }
    }
    if (!removed_any) break;
  }
  return {};
}

Status LifecycleWorker::abort_due_uploads(int64_t now_ns, LifecycleReport& report) {
  const int64_t day_ns = vault_.options().lifecycle_day_ns;
  auto buckets = CV_TRY(vault_.all_buckets());
  for (const meta::Bucket& bucket : buckets) {
    const Rules rules = CV_TRY(rules_of(bucket.name));
    if (!rules) continue;
    const bool has_abort_rule =
        std::any_of(rules->rules.begin(), rules->rules.end(), [](const auto& rule) {
          return rule.enabled && rule.abort_incomplete_multipart_days.has_value();
        });
    if (!has_abort_rule) continue;
    meta::ListUploadsQuery query;
    query.bucket = bucket.name;
    for (;;) {
      const meta::ListUploadsPage page = CV_TRY(vault_.list_uploads(query));
      for (const meta::MultipartUpload& upload : page.uploads) {
        const vault::UploadPlan plan =
            vault::plan_upload(*rules, upload.key, upload.initiated_ns, now_ns, day_ns);
        if (!plan.abort_now) continue;
        if (auto aborted = vault_.abort_upload(bucket.name, upload.key, upload.upload_id);
            aborted) {
          ++report.uploads_aborted;
        } else if (aborted.error().code != ErrorCode::kNoSuchUpload) {
          ++report.failures;
        }
      }
      if (!page.truncated) break;
      query.key_marker = page.next_key_marker;
      query.upload_id_marker = page.next_upload_id_marker;
    }
  }
  return {};
}

Status LifecycleWorker::process_keys(const std::vector<std::pair<std::string, std::string>>& keys,
                                     int64_t now_ns, LifecycleReport& report) {
  for (const auto& [bucket, key] : keys) CV_TRY(rules_of(bucket));  // the cache, filled here
  std::atomic<size_t> next{0};
  std::mutex merge_mutex;
  std::optional<Error> first_error;
  auto work = [&] {
    LifecycleReport local;
    for (size_t i = next++; i < keys.size(); i = next++) {
      const auto& [bucket, key] = keys[i];
      if (auto done = process_key(bucket, key, rules_cache_.at(bucket), now_ns, local); !done) {
        std::lock_guard lock(merge_mutex);
        if (!first_error) first_error = done.error();
      }
    }
    std::lock_guard lock(merge_mutex);
    report += local;
  };
  std::vector<std::thread> helpers;
  for (size_t t = 1; t < std::min(threads_, keys.size()); ++t) helpers.emplace_back(work);
  work();
  for (auto& helper : helpers) helper.join();
  if (first_error) return fail(*first_error);
  return {};
}

Result<LifecycleReport> LifecycleWorker::run_once(int64_t now_ns,
                                                  const ProgressCallback& progress) {
  rules_cache_.clear();
  LifecycleReport report;
  std::set<std::pair<std::string, std::string>> processed;
  for (;;) {
    const std::vector<meta::DueVersion> due = CV_TRY(vault_.due_versions(now_ns, kDueBatch));
    std::vector<std::pair<std::string, std::string>> keys;
    for (const meta::DueVersion& entry : due) {
      if (processed.emplace(entry.bucket, entry.key).second)
        keys.emplace_back(entry.bucket, entry.key);
    }
    const bool progressed = !keys.empty();
    CV_TRY(process_keys(keys, now_ns, report));
    if (progress) progress(report.keys_examined, 0);
    // Every version of a processed key got a due time after now (or none), so a batch of
    // only processed keys means what is left could not be applied (counted as failures).
    if (!progressed || due.size() < kDueBatch) break;
  }
  CV_TRY(abort_due_uploads(now_ns, report));
  return report;
}

}  // namespace cv::workers
