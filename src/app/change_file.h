// iam::ChangeSignal over a file in the data folder: announce() replaces the file with 8 fresh
// random bytes (atomically, by rename); generation() reads them. Every process that shares the
// folder sees a change at its next lookup. generation() keeps the file it read open: while that
// file is still linked (fstat's link count; an announce renames a new file over it, unlinking
// it) the value has not changed, so a lookup costs one fstat(); the bytes are read again only
// from a new file.
#pragma once

#include <filesystem>
#include <mutex>

#include "iam/change_signal.h"

namespace cv::app {

// The data folder's file that `cloudvault admin` commands changing buckets or their
// configurations announce on, and the server's vault follows (VaultOptions::other_changes).
inline constexpr std::string_view kBucketChangesFile = "buckets.changed";

class ChangeFile final : public iam::ChangeSignal {
 public:
  explicit ChangeFile(std::filesystem::path path) : path_(std::move(path)) {}
  ~ChangeFile() override;
  ChangeFile(const ChangeFile&) = delete;
  ChangeFile& operator=(const ChangeFile&) = delete;
  // 0 when the file is absent or unreadable.
  uint64_t generation() override;
  // Best effort: a failure leaves caches as they are until the next successful announce. Not
  // synced: after a crash every process starts with an empty cache anyway.
  void announce() override;

 private:
  std::filesystem::path path_;
  std::mutex mutex_;
  int fd_ = -1;         // the file last read, kept open (-1: none)
  uint64_t value_ = 0;  // what it holds
};

}  // namespace cv::app
