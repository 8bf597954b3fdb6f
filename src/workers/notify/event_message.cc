#include "workers/notify/event_message.h"

#include <boost/json.hpp>

#include "core/clock.h"

namespace cv::workers::notify {
namespace {

namespace json = boost::json;

// Who S3 names as the cause of its own changes (lifecycle, restores).
constexpr std::string_view kServicePrincipal = "s3.amazonaws.com";

bool is_removal(std::string_view name) {
  return name.starts_with("s3:ObjectRemoved:") || name.starts_with("s3:LifecycleExpiration:");
}

std::string iso8601(int64_t time_ns) { return format_iso8601(from_unix_nanos(time_ns)); }

// The event's detail as an object; empty when it has none or it is not a JSON object.
json::object detail_of(const meta::Event& event) {
  if (event.detail.empty()) return {};
  json::error_code error;
  json::value value = json::parse(event.detail, error);
  if (error || !value.is_object()) return {};
  return std::move(value.get_object());
}

json::object object_json(const meta::Event& event) {
  json::object object;
  object["key"] = event_message_key(event.key);
  if (!is_removal(event.name)) {
    object["size"] = event.size;
    object["eTag"] = event.etag;
  }
  if (!event.version_id.empty() && event.version_id != "null") {
    object["versionId"] = event.version_id;
  }
  object["sequencer"] = meta::event_sequencer(event);
  return object;
}

json::object s3_json(const meta::Event& event, const EventMessageContext& context) {
  json::object bucket;
  bucket["name"] = event.bucket;
  bucket["ownerIdentity"] = json::object{{"principalId", context.bucket_owner_id}};
  bucket["arn"] = "arn:aws:s3:::" + event.bucket;
  json::object s3;
  s3["s3SchemaVersion"] = "1.0";
  s3["configurationId"] = context.configuration_id;
  s3["bucket"] = std::move(bucket);
  s3["object"] = object_json(event);
  return s3;
}

// The members S3 adds for some event types (glacierEventData, lifecycleEventData,
// replicationEventData).
void add_event_data(const meta::Event& event, json::object& record) {
  const json::object detail = detail_of(event);
  if (event.name == "s3:ObjectRestore:Completed") {
    json::object restore;
    if (const json::value* expiry = detail.if_contains("restore_expiry_ns")) {
      json::error_code error;
      const auto expiry_ns = expiry->to_number<int64_t>(error);
      if (!error) restore["lifecycleRestorationExpiryTime"] = iso8601(expiry_ns);
    }
    restore["lifecycleRestoreStorageClass"] = event.storage_class;
    record["glacierEventData"] = json::object{{"restoreEventData", std::move(restore)}};
  } else if (event.name == "s3:LifecycleTransition") {
    const json::value* to = detail.if_contains("to");
    const json::value destination =
        to != nullptr && to->is_string() ? *to : json::value(event.storage_class);
    record["lifecycleEventData"] = json::object{
        {"transitionEventData", json::object{{"destinationStorageClass", destination}}}};
  } else if (event.name.starts_with("s3:Replication:")) {
    json::object replication;
    for (std::string_view name : {"replicationRuleId", "destinationBucket", "s3Operation",
                                  "requestTime", "failureReason", "threshold", "replicationTime"}) {
      if (const json::value* value = detail.if_contains(name)) replication[name] = *value;
    }
    record["replicationEventData"] = std::move(replication);
  }
}

}  // namespace

std::string_view event_message_version(std::string_view event_name) {
  if (event_name.starts_with("s3:Replication:")) return "2.2";
  if (event_name == "s3:LifecycleTransition" || event_name.starts_with("s3:LifecycleExpiration:") ||
      event_name == "s3:IntelligentTiering" || event_name.starts_with("s3:ObjectTagging:") ||
      event_name == "s3:ObjectAcl:Put" || event_name == "s3:ObjectRestore:Delete") {
    return "2.3";
  }
  return "2.1";
}

std::string event_message_key(std::string_view key) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(key.size());
  for (const char c : key) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
        (byte >= '0' && byte <= '9') || c == '-' || c == '_' || c == '.' || c == '*' || c == '/') {
      out += c;
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    }
  }
  return out;
}

std::string event_message(const meta::Event& event, const EventMessageContext& context) {
  const bool by_service = event.principal_id.empty();
  json::object record;
  record["eventVersion"] = event_message_version(event.name);
  record["eventSource"] = "aws:s3";
  record["awsRegion"] = context.region;
  record["eventTime"] = iso8601(event.time_ns);
  record["eventName"] = std::string_view(event.name).starts_with("s3:")
                            ? std::string_view(event.name).substr(3)
                            : std::string_view(event.name);
  record["userIdentity"] =
      json::object{{"principalId", by_service ? kServicePrincipal : event.principal_id}};
  record["requestParameters"] = json::object{
      {"sourceIPAddress", event.source_ip.empty() ? kServicePrincipal : event.source_ip}};
  record["responseElements"] =
      json::object{{"x-amz-request-id", event.request_id},
                   {"x-amz-id-2", context.host_id.empty() ? event.request_id : context.host_id}};
  record["s3"] = s3_json(event, context);
  add_event_data(event, record);
  return json::serialize(json::object{{"Records", json::array{std::move(record)}}});
}

std::string test_event_message(std::string_view bucket, int64_t time_ns,
                               std::string_view request_id, std::string_view host_id) {
  return json::serialize(json::object{{"Service", "Amazon S3"},
                                      {"Event", "s3:TestEvent"},
                                      {"Time", iso8601(time_ns)},
                                      {"Bucket", bucket},
                                      {"RequestId", request_id},
                                      {"HostId", host_id}});
}

}  // namespace cv::workers::notify
