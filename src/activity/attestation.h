// A signed, offline-verifiable proof of a profile's activity: the capped daily scores of a
// date range and a Merkle tree (RFC 9162, core/merkle.h) over the contributing events (those
// scoring above 0), signed with the server's Ed25519 key (core/ed25519.h).
//
// The document (JSON): {"format": "cloudvault-activity-attestation/1", "profile", "principals",
// "from", "to", "issued", "days": [{"date", "score", "level", "events"}], "leaves":
// [{"event_id", "record_hash", "time"}], "merkle_root", "public_key", "key_fingerprint",
// "signature"}. Leaf i is the text "<event_id>\n<record_hash hex>", in time order; the root is
// over their leaf hashes. The signature (base64) is Ed25519 over
// "cloudvault-activity-attestation/1\n" + the canonical JSON (keys sorted, compact) of the
// document without "signature". Pure functions; thread-safe.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "activity/daily_scores.h"
#include "core/clock.h"
#include "core/ed25519.h"
#include "core/error.h"
#include "meta/activity_types.h"

namespace cv::activity {

struct AttestationInput {
  std::string profile;
  std::vector<std::string> principals;
  int64_t from_day = 0;
  int64_t to_day = 0;
  std::vector<DayScore> days;
  std::vector<meta::ActivityEvent> events;  // the range's events; those scoring 0 are left out
};

boost::json::object make_attestation(const AttestationInput& input, const SigningKey& key,
                                     TimePoint now);

struct VerifiedAttestation {
  std::string profile;
  std::string from, to;
  size_t leaves = 0;
  std::string merkle_root;  // hex
  std::string key_fingerprint;
};

// Checks the signature (with `public_key`, PEM or 64 hex digits, when given; else with the
// key the document names, which only shows it was not altered since that key signed it) and
// that the leaves give the signed root. kInvalidArgument naming what fails.
Result<VerifiedAttestation> verify_attestation(std::string_view document,
                                               const std::optional<std::string>& public_key);

struct InclusionProof {
  std::string event_id;
  uint64_t index = 0;
  uint64_t size = 0;
  std::string leaf_hash;          // hex
  std::vector<std::string> path;  // hex, leaf level first
  std::string merkle_root;        // hex
};
// The inclusion path of `event_id` in a verified document's tree, itself checked.
// kInvalidArgument when the event is not a leaf.
Result<InclusionProof> prove_inclusion(std::string_view document, std::string_view event_id);

}  // namespace cv::activity
