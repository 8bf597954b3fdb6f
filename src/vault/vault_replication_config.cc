// A bucket's replication configuration: stored as JSON under bucket config kind
// "replication", parsed once into the bucket's state (bucket_state.h).
#include <boost/json.hpp>

#include "vault/vault.h"

namespace cv::vault {
namespace {


std::unexpected<Error> invalid_request(std::string message, std::string_view bucket) {
  return fail(ErrorCode::kInvalidRequest, std::move(message), std::string(bucket));
}

}  // namespace


Status Vault::put_replication(std::string_view bucket, const ReplicationConfiguration& config,
                              const ReplicationRemoteCatalog& remotes) {
  const meta::Bucket source = CV_TRY(get_bucket(bucket));
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
    // Until access policies exist, a bucket's owner may write only into their own buckets.
    if (CV_TRY(get_bucket(name)).owner_id != source.owner_id) {
      return fail(ErrorCode::kAccessDenied,
                  "The destination bucket belongs to another account: replicating into it is "
                  "not allowed.",
                  std::string(bucket));
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
  CV_TRY(keep_replication_history(bucket));
  CV_TRY(meta_.put_bucket_config(bucket, kReplicationConfig, to_json(config), backfill));
  forget_bucket(bucket);
  return {};
}

// Written before the configuration changes (a crash in between leaves the marker alone, which
// only costs the planner its reads).
Status Vault::keep_replication_history(std::string_view bucket) {
  if (CV_TRY(bucket_state(bucket))->document(kReplicationHistoryConfig) != nullptr) return {};
  CV_TRY(meta_.put_bucket_config(bucket, kReplicationHistoryConfig, "{}"));
  forget_bucket(bucket);
  return {};
}

Result<std::optional<ReplicationConfiguration>> Vault::replication(std::string_view bucket) {
  return CV_TRY(bucket_state(bucket))->replication;
}

Result<std::optional<ReplicationConfiguration>> Vault::reload_replication(std::string_view bucket) {
  forget_bucket(bucket);
  return replication(bucket);
}

Status Vault::delete_replication(std::string_view bucket) {
  CV_TRY(get_bucket(bucket));
  // Versions written under the configuration may still be PENDING: the planner clears them.
  CV_TRY(keep_replication_history(bucket));
  CV_TRY(meta_.delete_bucket_config(bucket, kReplicationConfig));
  forget_bucket(bucket);
  return {};
}

}  // namespace cv::vault
