// Everything a request needs to know about one bucket, loaded in one read of the metadata
// store (MetaStore::get_bucket_with_configs) and cached by the Vault as one entry per bucket
// (Vault::bucket_state) with one invalidation: every change to the bucket or one of its
// configuration documents drops the entry (DESIGN.md rule 7). Immutable once built, so a
// request may hold it (a shared_ptr) while the bucket changes; it then sees the state as it
// was when the request began.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "meta/types.h"
#include "vault/bucket_access.h"
#include "vault/encryption.h"
#include "vault/lifecycle_rules.h"
#include "vault/notification_config.h"
#include "vault/object_lock.h"
#include "vault/replication_config.h"

namespace cv::vault {

// A bucket's versioning state. A bucket that was never configured is kUnversioned; once
// configured it can only move between kEnabled and kSuspended.
enum class Versioning { kUnversioned, kEnabled, kSuspended };

// Configuration kinds the vault interprets (MetaStore::put_bucket_config). The others
// (ownership, acl, cors, tagging, ...) are documents the S3 layer reads with document().
inline constexpr std::string_view kVersioningConfig = "versioning";
inline constexpr std::string_view kLifecycleConfig = "lifecycle";
inline constexpr std::string_view kNotificationConfig = "notification";
inline constexpr std::string_view kReplicationConfig = "replication";
// Stored ("{}") once a bucket has had a replication configuration, and kept when it is
// deleted: a version can be PENDING only in a bucket that has it, so the replication planner
// reads an event's version only there (every change of every bucket passes the planner).
inline constexpr std::string_view kReplicationHistoryConfig = "replication-history";

struct BucketState {
  meta::Bucket bucket;  // name, owner, region, creation time (configs empty)
  Versioning versioning = Versioning::kUnversioned;
  std::optional<DefaultEncryption> default_encryption;
  std::optional<LifecycleConfiguration> lifecycle;
  std::optional<ReplicationConfiguration> replication;
  NotificationConfiguration notification;  // empty: none
  std::optional<ObjectLockConfiguration> object_lock;
  std::shared_ptr<const BucketAccess> access;  // never null
  meta::StringPairs documents;                 // every stored document, by kind

  // The stored document of `kind`, or null when the bucket has none.
  const std::string* document(std::string_view kind) const;
};

// Builds the state from a bucket read with its configuration documents. InternalError when a
// stored document no longer parses (a corrupt store).
Result<std::shared_ptr<const BucketState>> build_bucket_state(meta::Bucket stored);

}  // namespace cv::vault
