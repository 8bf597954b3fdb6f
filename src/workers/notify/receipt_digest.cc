#include "workers/notify/receipt_digest.h"

#include <boost/json.hpp>

#include "vault/backup_receipts.h"

namespace cv::workers::notify {
namespace {

namespace json = boost::json;

constexpr int64_t kNanosPerSecond = 1'000'000'000;

std::optional<json::object> parse_object(std::string_view text) {
  json::error_code error;
  json::value document = json::parse(text, error);
  if (error || !document.is_object()) return std::nullopt;
  return std::move(document.get_object());
}

std::string string_field(const json::object& object, std::string_view name) {
  const json::value* value = object.if_contains(name);
  return value != nullptr && value->is_string() ? std::string(value->get_string()) : "";
}

int64_t int_field(const json::object& object, std::string_view name) {
  const json::value* value = object.if_contains(name);
  return value != nullptr && value->is_int64() ? value->get_int64() : 0;
}

}  // namespace

std::optional<DigestWindow> digest_window_of(const meta::Event& event) {
  if (event.name != vault::kReplicationCompletedEvent) return std::nullopt;
  const std::optional<json::object> detail = parse_object(event.detail);
  if (!detail) return std::nullopt;
  const int64_t seconds = int_field(*detail, "digest_seconds");
  if (seconds <= 0 || seconds > vault::kMaxDigestSeconds) return std::nullopt;
  const int64_t length = seconds * kNanosPerSecond;
  const int64_t time = event.time_ns > 0 ? event.time_ns : 0;
  DigestWindow window;
  window.bucket = event.bucket;
  window.rule = string_field(*detail, "replicationRuleId");
  window.start_ns = time - time % length;
  window.end_ns = window.start_ns + length;
  return window;
}

std::string digest_payload(const DigestWindow& window) {
  return json::serialize(json::object{{"digest", json::object{{"bucket", window.bucket},
                                                              {"rule", window.rule},
                                                              {"start_ns", window.start_ns},
                                                              {"end_ns", window.end_ns}}}});
}

std::optional<DigestWindow> read_digest_payload(std::string_view payload) {
  const std::optional<json::object> root = parse_object(payload);
  if (!root) return std::nullopt;
  const json::value* digest = root->if_contains("digest");
  if (digest == nullptr || !digest->is_object()) return std::nullopt;
  const json::object& fields = digest->get_object();
  DigestWindow window{string_field(fields, "bucket"), string_field(fields, "rule"),
                      int_field(fields, "start_ns"), int_field(fields, "end_ns")};
  if (window.end_ns <= window.start_ns) return std::nullopt;
  return window;
}

}  // namespace cv::workers::notify
