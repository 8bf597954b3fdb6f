// iam::ChangeSignal over a file in the data folder: announce() replaces the file with 8 fresh
// random bytes (atomically, by rename); generation() reads them. Every process that shares the
// folder sees a change at its next lookup.
#pragma once

#include <filesystem>

#include "iam/change_signal.h"

namespace cv::app {

// The data folder's file that `cloudvault admin` commands changing buckets or their
// configurations announce on, and the server's vault follows (VaultOptions::other_changes).
inline constexpr std::string_view kBucketChangesFile = "buckets.changed";

class ChangeFile final : public iam::ChangeSignal {
 public:
  explicit ChangeFile(std::filesystem::path path) : path_(std::move(path)) {}
  // 0 when the file is absent or unreadable.
  uint64_t generation() override;
  // Best effort: a failure leaves caches as they are until the next successful announce. Not
  // synced: after a crash every process starts with an empty cache anyway.
  void announce() override;

 private:
  std::filesystem::path path_;
};

}  // namespace cv::app
