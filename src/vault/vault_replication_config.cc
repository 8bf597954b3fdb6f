// A bucket's replication configuration: stored as JSON under bucket config kind
// "replication", parsed once and cached (see Vault::replication_cache_).
#include <boost/json.hpp>

#include "vault/vault.h"

namespace cv::vault {
namespace {

constexpr std::string_view kReplicationConfig = "replication";

std::unexpected<Error> invalid_request(std::string message, std::string_view bucket) {
  return fail(ErrorCode::kInvalidRequest, std::move(message), std::string(bucket));
}

}  // namespace

void Vault::forget_replication(std::string_view bucket) {
  std::lock_guard lock(bucket_cache_mutex_);
  ++cache_changes_;
  if (auto it = replication_cache_.find(bucket); it != replication_cache_.end()) {
    replication_cache_.erase(it);
  }
}

Status Vault::put_replication(std::string_view bucket, const ReplicationConfiguration& config,
                              const ReplicationRemoteCatalog& remotes) {
  CV_TRY(get_bucket(bucket));
  CV_TRY(validate(config));
  if (CV_TRY(versioning(bucket)) != Versioning::kEnabled) {
    return invalid_request(
        "Versioning must be 'Enabled' on the bucket to apply a replication configuration", bucket);
  }
  for (const ReplicationRule& rule : config.rules) {
    const ReplicationDestination& destination = rule.destination;
    if (destination.is_remote()) {
      if (!remotes.has_remote(destination.account)) {
        return invalid_request("Destination account " + destination.account +
                                   " is not a replication remote of this server (configure "
                                   "[replication.remotes." +
                                   destination.account + "]).",
                               bucket);
      }
      continue;  // the remote bucket's versioning is the replication worker's to check
    }
    const std::string name = destination.bucket_name();
    if (name == bucket) {
      return invalid_request("Destination bucket cannot be the same as the source bucket.", bucket);
    }
    auto state = versioning(name);
    if (!state) {
      if (state.error().code == ErrorCode::kNoSuchBucket) {
        return invalid_request("Destination bucket must exist.", bucket);
      }
      return fail(state.error());
    }
    if (*state != Versioning::kEnabled) {
      return invalid_request("Destination bucket must have versioning enabled.", bucket);
    }
  }
  // Rules that backfill: the worker queues the versions already there (one event with the
  // configuration, so a crash can lose neither).
  boost::json::array backfill_rules;
  for (const ReplicationRule& rule : config.rules) {
    if (rule.enabled && rule.existing_object_replication.value_or(false)) {
      backfill_rules.emplace_back(rule.id);
    }
  }
  std::optional<meta::Event> backfill;
  if (!backfill_rules.empty()) {
    backfill.emplace();
    backfill->time_ns = to_unix_nanos(clock_.now());
    backfill->name = kReplicationBackfillEvent;
    backfill->bucket = bucket;
    backfill->detail = boost::json::serialize(boost::json::object{{"rules", backfill_rules}});
  }
  CV_TRY(meta_.put_bucket_config(bucket, kReplicationConfig, to_json(config), backfill));
  forget_replication(bucket);
  return {};
}

Result<std::optional<ReplicationConfiguration>> Vault::replication(std::string_view bucket) {
  follow_other_changes();
  uint64_t changes_before = 0;
  {
    std::lock_guard lock(bucket_cache_mutex_);
    if (auto it = replication_cache_.find(bucket);
        it != replication_cache_.end() && it->second.cache_changes == cache_changes_) {
      return it->second.config;
    }
    changes_before = cache_changes_;
  }
  CV_TRY(get_bucket(bucket));
  const auto document = CV_TRY(meta_.get_bucket_config(bucket, kReplicationConfig));
  std::optional<ReplicationConfiguration> config;
  if (document) config = CV_TRY(replication_from_json(*document));
  std::lock_guard lock(bucket_cache_mutex_);
  if (cache_changes_ == changes_before) {
    replication_cache_.insert_or_assign(std::string(bucket),
                                        CachedReplication{changes_before, config});
  }
  return config;
}

Result<std::optional<ReplicationConfiguration>> Vault::reload_replication(std::string_view bucket) {
  forget_replication(bucket);
  return replication(bucket);
}

Status Vault::delete_replication(std::string_view bucket) {
  CV_TRY(get_bucket(bucket));
  CV_TRY(meta_.delete_bucket_config(bucket, kReplicationConfig));
  forget_replication(bucket);
  return {};
}

}  // namespace cv::vault
