// iam::ChangeSignal over a file in the data folder: announce() replaces the file with 8 fresh
// random bytes (atomically, by rename); generation() reads them. Every process that shares the
// folder sees a change at its next lookup. generation() keeps the file it read open: while that
// file is still linked (fstat's link count; an announce renames a new file over it, unlinking
// it) the value has not changed, so a lookup costs one fstat(); the bytes are read again only
// from a new file.
//
// A server's per-request lookups (credentials, IAM policies) take a look interval: then
// generation() looks at the file at most once per interval and answers the value it last
// saw in between (one clock read, no lock, no system call), so another process's
// announcement is seen within the interval. That process (an `admin` command) makes its
// change visible to every running server before it returns by calling
// wait_until_servers_see() after announcing. This process's own announce() takes effect at
// once: it reads the new value before it returns.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>

#include "iam/change_signal.h"

namespace cv::app {

// The data folder's file that `cloudvault admin` commands changing buckets or their
// configurations announce on, and the server's vault follows (VaultOptions::other_changes).
inline constexpr std::string_view kBucketChangesFile = "buckets.changed";

class ChangeFile final : public iam::ChangeSignal {
 public:
  // The look interval servers use for credentials.changed; wait_until_servers_see() waits
  // this long (plus a margin).
  static constexpr std::chrono::milliseconds kServerLookInterval{100};

  // `look_interval` zero: every generation() looks at the file.
  explicit ChangeFile(std::filesystem::path path,
                      std::chrono::milliseconds look_interval = std::chrono::milliseconds(0))
      : path_(std::move(path)), look_interval_(look_interval) {}
  ~ChangeFile() override;
  ChangeFile(const ChangeFile&) = delete;
  ChangeFile& operator=(const ChangeFile&) = delete;
  // 0 when the file is absent or unreadable.
  uint64_t generation() override;
  // Best effort: a failure leaves caches as they are until the next successful announce. Not
  // synced: after a crash every process starts with an empty cache anyway.
  void announce() override;
  // After this object announced: sleeps until every server looking at the file with
  // kServerLookInterval has seen the announcement. At once if it never announced.
  void wait_until_servers_see() const;

 private:
  // Reads the file (or keeps the value of the one held open); mutex_ held.
  uint64_t look_locked();

  std::filesystem::path path_;
  const std::chrono::milliseconds look_interval_;
  std::mutex mutex_;
  int fd_ = -1;         // the file last read, kept open (-1: none); guarded by mutex_
  uint64_t value_ = 0;  // what it holds; guarded by mutex_
  // With a look interval: the value last seen, and when (steady clock, ns) to look again.
  std::atomic<uint64_t> seen_{0};
  std::atomic<int64_t> next_look_ns_{INT64_MIN};
  std::atomic<bool> announced_{false};
};

}  // namespace cv::app
