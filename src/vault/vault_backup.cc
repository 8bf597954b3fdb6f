// A backup in one step (`cloudvault admin backup create`, the console's Backup panel):
// versioning, the replication rule and its receipts (see Vault::set_up_backup).
#include "vault/vault.h"

namespace cv::vault {
namespace {

std::string backup_rule_id(const BackupRequest& request) {
  return request.remote.empty() ? "backup-to-" + request.destination
                                : "backup-to-" + request.remote + "-" + request.destination;
}

ReplicationRule backup_rule(const BackupRequest& request, int32_t priority) {
  ReplicationRule rule;
  rule.id = backup_rule_id(request);
  rule.priority = priority;
  rule.enabled = true;
  rule.filter.prefix = request.prefix;
  if (!request.suffix.empty()) {
    rule.filter.tags.emplace_back(std::string(kReplicationSuffixTag), request.suffix);
  }
  rule.filter.shape = rule.filter.tags.empty() ? ReplicationFilter::Shape::kPrefix
                                               : ReplicationFilter::Shape::kAnd;
  rule.destination.bucket_arn = std::string(kS3BucketArnPrefix) + request.destination;
  rule.destination.account = request.remote;
  // A backup keeps what is deleted at the source; what was there before is backed up too.
  rule.delete_marker_replication = false;
  rule.existing_object_replication = true;
  return rule;
}

}  // namespace

Result<ReplicationRule> Vault::set_up_backup(const BackupRequest& request,
                                             const ReplicationRemoteCatalog& remotes,
                                             const NotificationTargetCatalog& targets) {
  const meta::Bucket source = CV_TRY(get_bucket(request.source));
  if (request.digest_seconds < 0 || request.digest_seconds > kMaxDigestSeconds) {
    return fail(
        ErrorCode::kInvalidArgument,
        "A digest interval is 1 to " + std::to_string(kMaxDigestSeconds) + " seconds (a week).");
  }
  if (request.digest_seconds > 0 && request.receipt_targets.empty()) {
    return fail(ErrorCode::kInvalidArgument, "A digest needs a receipt target (--receipt).");
  }
  for (const std::string& target : request.receipt_targets) {
    if (!targets.has_target(target)) {
      return fail(ErrorCode::kInvalidArgument,
                  "No notification target named \"" + target + "\" ([notify.targets." + target +
                      "]).");
    }
  }
  for (const std::string& target : request.failure_targets) {
    if (!targets.has_target(target)) {
      return fail(ErrorCode::kInvalidArgument,
                  "No notification target named \"" + target + "\" ([notify.targets." + target +
                      "]).");
    }
  }
  if (request.lock_days < 0 || request.lock_days > 36500) {
    return fail(ErrorCode::kInvalidArgument, "--lock-days is 1 to 36500 days.");
  }
  if (request.lock_days > 0 && !request.remote.empty()) {
    return fail(ErrorCode::kInvalidRequest,
                "--lock-days needs a destination bucket on this server (object lock of a remote "
                "destination is not managed from here).");
  }
  if (request.remote.empty()) {
    if (auto found = get_bucket(request.destination); !found) {
      if (found.error().code != ErrorCode::kNoSuchBucket) return fail(found.error());
      CV_TRY(create_bucket(request.destination, source.owner_id, request.lock_days > 0));
    } else if (request.lock_days > 0 && !CV_TRY(object_lock(request.destination))) {
      return fail(ErrorCode::kInvalidRequest,
                  "The destination bucket \"" + request.destination +
                      "\" does not have object lock enabled, which --lock-days needs (create it "
                      "with object lock, or enable it with PutObjectLockConfiguration).",
                  request.destination);
    }
    CV_TRY(set_versioning(request.destination, Versioning::kEnabled));
  }
  CV_TRY(set_versioning(request.source, Versioning::kEnabled));

  ReplicationConfiguration config;
  if (auto existing = CV_TRY(replication(request.source))) config = std::move(*existing);
  const std::string id = backup_rule_id(request);
  int32_t priority = 1;
  for (const ReplicationRule& rule : config.rules) {
    if (rule.id != id && rule.priority) priority = std::max(priority, *rule.priority + 1);
  }
  std::erase_if(config.rules, [&](const ReplicationRule& rule) { return rule.id == id; });
  // Rules written in S3's V1 schema cannot be mixed with ours: they become V2 rules.
  for (ReplicationRule& rule : config.rules) {
    if (!rule.filter.is_v2()) {
      rule.filter.shape = ReplicationFilter::Shape::kPrefix;
      rule.priority = priority++;
      rule.delete_marker_replication = true;  // what V1 did
    }
  }
  const ReplicationRule rule = backup_rule(request, priority);
  config.rules.push_back(rule);
  CV_TRY(put_replication(request.source, config, remotes));

  BackupReceipts receipts = CV_TRY(backup_receipts(request.source));
  receipts.erase(id);
  if (!request.receipt_targets.empty() || !request.failure_targets.empty() ||
      request.lock_days > 0) {
    receipts[id] = BackupReceipt{request.receipt_targets, request.failure_targets,
                                 request.digest_seconds, request.lock_days};
  }
  CV_TRY(put_backup_receipts(request.source, receipts));
  return rule;
}

}  // namespace cv::vault
