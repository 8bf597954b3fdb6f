// The message of one digest of backup receipts (receipt_digest.h): for people, the
// NotificationMessage's digest (count, total size, the versions; targets/message_text.h
// words it); for webhooks, CloudVault's own JSON document (not an AWS event message):
//
//   {"cloudvault": "BackupDigest", "bucket": "photos", "rule": "backup-to-backup",
//    "destination": "backup", "window_start": "2026-12-05T14:00:00.000Z",
//    "window_end": "2026-12-05T15:00:00.000Z", "count": 2, "bytes": 3200042,
//    "objects": [{"key": "a.jpg", "size": 3200000, "versionId": "...", "eTag": "..."}, ...]}
//
// Pure: no I/O; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "meta/types.h"
#include "workers/notify/receipt_digest.h"
#include "workers/notify/targets/notification_target.h"

namespace cv::workers::notify {

// `receipts`: the window's receipt tasks in the order the versions were copied (their events
// name the versions). `destination` as the receipts' "destinationBucket"; `console_url` the
// bucket's page in the console (may be empty).
NotificationMessage digest_message(const DigestWindow& window,
                                   const std::vector<meta::OutboxTask>& receipts,
                                   std::string_view destination, std::string_view console_url);

}  // namespace cv::workers::notify
