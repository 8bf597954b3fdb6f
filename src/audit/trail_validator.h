// `cloudvault trail validate`: CloudTrail's log file integrity validation over a trail folder.
//
// Checks, for the digests whose hour overlaps [from, to) and the log files delivered in it:
// - every digest's signature (its .sig beside it) verifies with the public key over
//   CloudTrail's signing string (trail_files.h), recomputed from the file as found (its
//   digestS3Bucket, and its key as its place in the folder) — a changed or moved digest fails
//   here;
// - the chain: each digest's previousDigest* fields name a digest that is there, whose hash
//   and signature match, and which ends where it starts; every digest the store recorded is
//   in the folder; every chained digest in the folder is reachable from the chain's head (one
//   that is not was inserted);
// - every log file a digest lists is there with the listed SHA-256 of its uncompressed bytes
//   (changed or deleted otherwise), and every log file in the folder is listed by a digest or
//   is one the store knows as not yet digested (inserted otherwise).
// Reads the folder and the MetaStore; blocking. Thread-safe on distinct arguments.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/error.h"
#include "meta/meta_store.h"

namespace cv::audit {

struct TrailValidationOptions {
  std::filesystem::path folder;
  std::string account_id;
  std::string region = "us-east-1";
  std::string public_key;  // PEM, or the raw key in hex
  int64_t from_ns = 0;     // 0: from the start
  int64_t to_ns = 0;       // 0: up to now
};

struct TrailValidation {
  size_t digests_checked = 0;
  size_t log_files_checked = 0;
  std::vector<std::string> problems;  // one line each; empty when the trail is intact
  bool intact() const { return problems.empty(); }
};

// kInternalError only when the store cannot be read; tampering is reported in `problems`.
Result<TrailValidation> validate_trail(meta::MetaStore& meta,
                                       const TrailValidationOptions& options);

}  // namespace cv::audit
