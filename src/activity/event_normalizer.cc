#include "activity/event_normalizer.h"

#include <algorithm>
#include <array>
#include <vector>

#include "core/clock.h"
#include "core/encoding.h"
#include "core/hash.h"

namespace cv::activity {
namespace json = boost::json;

namespace {

void write_canonical(const json::value& value, std::string& out) {
  switch (value.kind()) {
    case json::kind::object: {
      const json::object& object = value.get_object();
      std::vector<const json::key_value_pair*> fields;
      fields.reserve(object.size());
      for (const auto& field : object) fields.push_back(&field);
      std::sort(fields.begin(), fields.end(), [](auto* a, auto* b) { return a->key() < b->key(); });
      out.push_back('{');
      bool first = true;
      for (const auto* field : fields) {
        if (!first) out.push_back(',');
        first = false;
        out += json::serialize(json::string_view(field->key()));
        out.push_back(':');
        write_canonical(field->value(), out);
      }
      out.push_back('}');
      return;
    }
    case json::kind::array: {
      out.push_back('[');
      bool first = true;
      for (const json::value& element : value.get_array()) {
        if (!first) out.push_back(',');
        first = false;
        write_canonical(element, out);
      }
      out.push_back(']');
      return;
    }
    default:
      out += json::serialize(value);
  }
}

std::string string_at(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  if (value == nullptr || !value->is_string()) return {};
  return std::string(value->get_string());
}

const json::object* object_at(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value != nullptr && value->is_object() ? &value->get_object() : nullptr;
}

bool looks_read_only(std::string_view name) {
  static constexpr std::array<std::string_view, 9> kReadPrefixes = {
      "Get", "List", "Describe", "Head", "Lookup", "Search", "Select", "Query", "Scan"};
  return std::any_of(kReadPrefixes.begin(), kReadPrefixes.end(),
                     [&](std::string_view prefix) { return name.starts_with(prefix); });
}

meta::ActivityActor actor_of(const json::object& record) {
  meta::ActivityActor actor;
  const json::object* identity = object_at(record, "userIdentity");
  if (identity == nullptr) return actor;
  actor.account_id = string_at(*identity, "accountId");
  actor.arn = string_at(*identity, "arn");
  actor.access_key_id = string_at(*identity, "accessKeyId");
  actor.user_name = string_at(*identity, "userName");
  if (const json::object* context = object_at(*identity, "sessionContext")) {
    if (const json::object* issuer = object_at(*context, "sessionIssuer")) {
      actor.issuer_arn = string_at(*issuer, "arn");
    }
  }
  return actor;
}

}  // namespace

std::string canonical_json(const json::value& value) {
  std::string out;
  write_canonical(value, out);
  return out;
}

Result<int64_t> parse_event_time(std::string_view text) {
  std::string iso(text);
  if (iso.size() >= 19 && iso[10] == ' ' && iso.back() != 'Z') {  // CloudTrail Lake
    iso[10] = 'T';
    iso.push_back('Z');
  }
  auto parsed = parse_iso8601(iso);
  if (!parsed) {
    return fail(ErrorCode::kInvalidArgument, "eventTime \"" + std::string(text) + "\" is no time");
  }
  return to_unix_nanos(*parsed);
}

Result<meta::ActivityEvent> normalize_record(const json::object& record) {
  meta::ActivityEvent event;
  event.event_source = string_at(record, "eventSource");
  event.event_name = string_at(record, "eventName");
  std::string time = string_at(record, "eventTime");
  if (time.empty()) return fail(ErrorCode::kInvalidArgument, "record without eventTime");
  if (event.event_source.empty()) {
    return fail(ErrorCode::kInvalidArgument, "record without eventSource");
  }
  if (event.event_name.empty())
    return fail(ErrorCode::kInvalidArgument, "record without eventName");
  event.time_ns = CV_TRY(parse_event_time(time));

  std::string canonical = canonical_json(record);
  event.record_hash = sha256(canonical);
  event.event_id = string_at(record, "eventID");
  if (event.event_id.empty()) event.event_id = "sha256:" + hex_encode(event.record_hash);

  const json::value* read_only = record.if_contains("readOnly");
  if (read_only != nullptr && read_only->is_bool()) {
    event.read_only = read_only->get_bool();
  } else if (read_only != nullptr && read_only->is_string() &&
             (read_only->get_string() == "true" || read_only->get_string() == "false")) {
    event.read_only = read_only->get_string() == "true";
  } else {
    event.read_only = looks_read_only(event.event_name);
  }
  const json::value* error_code = record.if_contains("errorCode");
  event.failed = error_code != nullptr && !error_code->is_null() &&
                 !(error_code->is_string() && error_code->get_string().empty());
  event.actor = actor_of(record);
  return event;
}

}  // namespace cv::activity
