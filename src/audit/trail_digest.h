// A CloudTrail digest file's document (CloudTrail log file integrity validation): which log
// files an hour delivered, each with the SHA-256 of its uncompressed bytes, chained to the
// previous digest by that digest's hash and signature. The fields and their names are
// CloudTrail's; the signature algorithm is ours (Ed25519 over digest_signing_string(), see
// trail_files.h), named in digestSignatureAlgorithm.
//
// Pure; thread-safe on distinct or const data.
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cv::audit {

inline constexpr std::string_view kDigestSignatureAlgorithm = "Ed25519";

struct DigestedLogFile {
  std::string bucket;  // empty for a trail kept only in a folder
  std::string key;
  std::string sha256_hex;  // of the uncompressed file
  int64_t oldest_event_ns = 0;
  int64_t newest_event_ns = 0;
};

struct PreviousDigest {
  std::string bucket;
  std::string key;
  std::string sha256_hex;  // of the previous digest, uncompressed
  std::string signature;   // hex
};

struct DigestFacts {
  std::string account_id;
  int64_t start_ns = 0;  // the hour the digest covers: [start, end)
  int64_t end_ns = 0;
  std::string bucket;  // where the digest itself goes
  std::string key;
  std::string public_key_fingerprint;  // hex of the signing key's SHA-256
  std::optional<PreviousDigest> previous;  // none for the first digest of a chain
  std::vector<DigestedLogFile> log_files;  // may be empty: an hour without activity
};

// The digest document. Newest/oldest event times span the log files (null without any).
boost::json::object digest_document(const DigestFacts& facts);

}  // namespace cv::audit
