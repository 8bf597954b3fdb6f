// Digests of backup receipts: when a backup rule asks for them (BackupReceipt::digest_seconds
// = N, carried by each receipt event as "digest_seconds"), the receipts of one bucket, rule and
// target within one window of N seconds become one message, sent when the window ends.
// Windows are aligned: [k*N, (k+1)*N) seconds since the epoch, by the receipt event's time
// (when the version was copied), so planning stays a function of the event alone.
//
// The tasks are the durable record: each receipt is planned as its own task, due at its
// window's end, whose payload names the window (digest_payload: the same text for every
// receipt of the window). The first of them to run gathers the others from the store
// (MetaStore::tasks_with_payload), sends one message, and ends them with it
// (TaskOutcome::covers), so a crash before that loses nothing and repeats at most the message.
// Failures (s3:Replication:OperationFailedReplication) are never digested.
//
// Pure: no I/O; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "meta/types.h"

namespace cv::workers::notify {

// The event name digests carry (NotificationMessage::event_name, the e-mail's
// X-CloudVault-Event header).
inline constexpr std::string_view kDigestEventName = "cloudvault:Replication:Digest";

// At most this many receipts go in one message; a window with more sends several.
inline constexpr size_t kDigestMaxReceipts = 10'000;

struct DigestWindow {
  std::string bucket;
  std::string rule;      // the replication rule's id
  int64_t start_ns = 0;  // a multiple of the interval since the epoch
  int64_t end_ns = 0;    // start_ns + the interval: when the digest is sent

  bool operator==(const DigestWindow&) const = default;
};

// The window of a receipt event (cloudvault:Replication:OperationCompleted) whose detail asks
// for a digest ("digest_seconds" > 0); nullopt for any other event.
std::optional<DigestWindow> digest_window_of(const meta::Event& event);

// The payload of every task of one window (and target): equal windows give equal text.
std::string digest_payload(const DigestWindow& window);
// nullopt for a payload digest_payload did not write (a per-event task's).
std::optional<DigestWindow> read_digest_payload(std::string_view payload);

}  // namespace cv::workers::notify
