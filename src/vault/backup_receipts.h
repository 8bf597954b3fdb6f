// Who hears about a backup: per replication rule of a bucket, the notification targets that
// get a receipt for each replicated version ("Backed up photos/a.jpg (3.2 MB) to backup"),
// and those told when a version fails to replicate; receipts may come as a digest instead,
// one message per `digest_seconds` listing the versions of that interval (failures are never
// digested). Our extension to S3's replication
// configuration (which has no such field); `cloudvault admin backup create --receipt/--failure`
// and the console write it. Stored as bucket config kind "backup".
//
// Pure: no I/O; thread-safe on distinct or const data.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace cv::vault {

inline constexpr std::string_view kBackupReceiptsConfig = "backup";
// The event written with a replicated version's task end when its rule has receipt targets;
// its detail names them ({"targets":[...], ...}). Never matched by notification rules.
inline constexpr std::string_view kReplicationCompletedEvent =
    "cloudvault:Replication:OperationCompleted";
// S3's event for a version that failed to replicate (message version 2.2, replicationEventData);
// written for every permanent failure, so notification rules on s3:Replication:* see it too.
inline constexpr std::string_view kReplicationFailedEvent =
    "s3:Replication:OperationFailedReplication";

// The longest digest interval: a week.
inline constexpr int64_t kMaxDigestSeconds = 7 * 24 * 3600;

struct BackupReceipt {
  std::vector<std::string> receipt_targets;
  std::vector<std::string> failure_targets;
  // 0: one receipt per replicated version; N (1..kMaxDigestSeconds): one message per target
  // for each N-second window (aligned on multiples of N since the epoch) with receipts.
  int64_t digest_seconds = 0;
  // `--lock-days N`: every replica the rule writes gets COMPLIANCE retention for N days from
  // its copy (the destination has object lock); 0: none.
  int32_t lock_days = 0;
};

using BackupReceipts = std::map<std::string, BackupReceipt, std::less<>>;  // by rule id

std::string to_json(const BackupReceipts& receipts);
// InternalError for a document to_json did not write.
Result<BackupReceipts> backup_receipts_from_json(std::string_view json);

}  // namespace cv::vault
