#include "audit/spool_record.h"

#include "core/ids.h"

namespace cv::audit {
namespace {

// A random version-4 UUID, as CloudTrail's eventID.
std::string random_event_id() {
  std::string hex = random_id_hex(16);
  hex[12] = '4';                                                    // version 4
  hex[16] = "89ab"[std::stoi(hex.substr(16, 1), nullptr, 16) & 3];  // RFC 4122 variant
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

}  // namespace

meta::TrailRecord spool_record(AuditEvent event) {
  if (event.event_id.empty()) event.event_id = random_event_id();
  meta::TrailRecord record;
  // The JSON first: the event's strings are then moved, not copied, into the record.
  record.record_json = cloudtrail_record_json(event);
  record.event_time_ns = event.time_ns;
  record.read_only = is_read_only(event.event_name);
  record.user_name = std::move(event.identity.user_name);
  if (record.user_name.empty() && event.identity.type == IdentityType::kRoot) {
    record.user_name = "root";
  }
  record.event_id = std::move(event.event_id);
  record.event_source = std::move(event.event_source);
  record.event_name = std::move(event.event_name);
  record.access_key_id = std::move(event.identity.access_key_id);
  record.bucket = std::move(event.bucket);
  record.key = std::move(event.key);
  record.error_code = std::move(event.error_code);
  return record;
}

}  // namespace cv::audit
