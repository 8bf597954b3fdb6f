#include "activity/attestation.h"

#include "activity/event_normalizer.h"
#include "core/encoding.h"
#include "core/hash.h"
#include "core/merkle.h"

namespace cv::activity {
namespace json = boost::json;

namespace {

constexpr std::string_view kFormat = "cloudvault-activity-attestation/1";

std::string signed_message(const json::object& unsigned_document) {
  return std::string(kFormat) + "\n" + canonical_json(unsigned_document);
}

Error invalid(std::string message) {
  return Error{ErrorCode::kInvalidArgument, "attestation: " + std::move(message), ""};
}

Result<json::object> parse_document(std::string_view text) {
  json::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec || !value.is_object()) return std::unexpected(invalid("not a JSON object"));
  json::object& document = value.as_object();
  const json::value* format = document.if_contains("format");
  if (format == nullptr || !format->is_string() || format->get_string() != kFormat) {
    return std::unexpected(invalid("not a " + std::string(kFormat) + " document"));
  }
  return std::move(document);
}

// The leaf hashes of the document's leaves, in order, and their event ids.
Result<std::pair<std::vector<std::string>, std::vector<std::string>>> leaf_hashes(
    const json::object& document) {
  const json::value* leaves = document.if_contains("leaves");
  if (leaves == nullptr || !leaves->is_array()) return std::unexpected(invalid("no leaves"));
  std::vector<std::string> hashes, ids;
  for (const json::value& leaf : leaves->get_array()) {
    const json::object* object = leaf.if_object();
    const json::value* id = object ? object->if_contains("event_id") : nullptr;
    const json::value* hash = object ? object->if_contains("record_hash") : nullptr;
    if (id == nullptr || hash == nullptr || !id->is_string() || !hash->is_string()) {
      return std::unexpected(invalid("a leaf lacks event_id or record_hash"));
    }
    hashes.push_back(
        merkle_leaf_hash(std::string(id->get_string()) + "\n" + std::string(hash->get_string())));
    ids.emplace_back(id->get_string());
  }
  return std::make_pair(std::move(hashes), std::move(ids));
}

std::string string_at(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

}  // namespace

json::object make_attestation(const AttestationInput& input, const SigningKey& key, TimePoint now) {
  json::object document;
  document["format"] = kFormat;
  document["profile"] = input.profile;
  json::array principals;
  for (const std::string& principal : input.principals)
    principals.push_back(json::value(principal));
  document["principals"] = std::move(principals);
  document["from"] = format_day(input.from_day);
  document["to"] = format_day(input.to_day);
  document["issued"] = format_iso8601(now);
  json::array days;
  for (const DayScore& day : input.days) {
    days.push_back({{"date", format_day(day.day)},
                    {"score", points_json(day.score_milli)},
                    {"level", day.level},
                    {"events", day.events}});
  }
  document["days"] = std::move(days);
  json::array leaves;
  std::vector<std::string> hashes;
  for (const meta::ActivityEvent& event : input.events) {
    if (event.scoring.points_milli <= 0) continue;
    const std::string record_hash = hex_encode(event.record_hash);
    hashes.push_back(merkle_leaf_hash(event.event_id + "\n" + record_hash));
    leaves.push_back({{"event_id", event.event_id},
                      {"record_hash", record_hash},
                      {"time", format_iso8601(from_unix_nanos(event.time_ns))}});
  }
  document["leaves"] = std::move(leaves);
  document["merkle_root"] = hex_encode(merkle_root(hashes));
  document["public_key"] = key.public_key_hex();
  document["key_fingerprint"] = key.fingerprint();
  document["signature"] = base64_encode(key.sign(signed_message(document)));
  return document;
}

Result<VerifiedAttestation> verify_attestation(std::string_view text,
                                               const std::optional<std::string>& public_key) {
  json::object document = CV_TRY(parse_document(text));
  const json::value* signature_value = document.if_contains("signature");
  if (signature_value == nullptr || !signature_value->is_string()) {
    return std::unexpected(invalid("no signature"));
  }
  auto signature = base64_decode(signature_value->get_string());
  if (!signature) return std::unexpected(invalid("the signature is not base64"));
  document.erase("signature");
  const std::string key = public_key ? *public_key : string_at(document, "public_key");
  if (key.empty()) return std::unexpected(invalid("no public key"));
  if (!verify_ed25519(key, signed_message(document), *signature)) {
    return std::unexpected(
        invalid("the signature does not verify: the document was altered "
                "or another key signed it"));
  }
  auto [hashes, ids] = CV_TRY(leaf_hashes(document));
  const std::string root = hex_encode(merkle_root(hashes));
  if (root != string_at(document, "merkle_root")) {
    return std::unexpected(invalid("the leaves do not give the signed merkle_root"));
  }
  return VerifiedAttestation{string_at(document, "profile"),
                             string_at(document, "from"),
                             string_at(document, "to"),
                             hashes.size(),
                             root,
                             string_at(document, "key_fingerprint")};
}

Result<InclusionProof> prove_inclusion(std::string_view text, std::string_view event_id) {
  json::object document = CV_TRY(parse_document(text));
  auto [hashes, ids] = CV_TRY(leaf_hashes(document));
  auto found = std::find(ids.begin(), ids.end(), event_id);
  if (found == ids.end()) {
    return std::unexpected(invalid("event " + std::string(event_id) + " is not a leaf"));
  }
  const uint64_t index = static_cast<uint64_t>(found - ids.begin());
  std::vector<std::string> path = merkle_inclusion_path(hashes, index);
  const std::string root = merkle_root(hashes);
  if (!verify_merkle_inclusion(hashes[index], index, hashes.size(), path, root)) {
    return std::unexpected(invalid("the inclusion path does not verify"));
  }
  InclusionProof proof{std::string(event_id),     index, hashes.size(),
                       hex_encode(hashes[index]), {},    hex_encode(root)};
  for (const std::string& step : path) proof.path.push_back(hex_encode(step));
  return proof;
}

}  // namespace cv::activity
