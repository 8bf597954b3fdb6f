#include "audit/request_capture.h"

#include <array>
#include <stdexcept>
#include <utility>

#include "core/ids.h"

namespace cv::audit {

Identity user_identity(std::string_view account_id, std::string_view user_id,
                       std::string_view user_name, bool is_root, std::string_view access_key_id) {
  Identity identity;
  identity.account_id = account_id;
  identity.access_key_id = access_key_id;
  if (is_root) {
    identity.type = IdentityType::kRoot;
    identity.principal_id = account_id;
    identity.arn = "arn:aws:iam::" + std::string(account_id) + ":root";
    return identity;
  }
  identity.type = IdentityType::kIAMUser;
  identity.principal_id = user_id;
  identity.user_name = user_name;
  identity.arn = "arn:aws:iam::" + std::string(account_id) + ":user/" + std::string(user_name);
  return identity;
}

Identity assumed_role_identity(std::string_view account_id, std::string_view role_id,
                               std::string_view role_name, std::string_view session_name,
                               std::string_view access_key_id) {
  Identity identity;
  identity.type = IdentityType::kAssumedRole;
  identity.account_id = account_id;
  identity.access_key_id = access_key_id;
  identity.principal_id = std::string(role_id) + ":" + std::string(session_name);
  identity.arn = "arn:aws:sts::" + std::string(account_id) + ":assumed-role/" +
                 std::string(role_name) + "/" + std::string(session_name);
  identity.session = true;
  identity.role_id = role_id;
  identity.role_name = role_name;
  identity.role_arn = "arn:aws:iam::" + std::string(account_id) + ":role/" + std::string(role_name);
  return identity;
}

Identity anonymous_identity() {
  Identity identity;
  identity.type = IdentityType::kAnonymous;
  identity.account_id = "anonymous";
  return identity;
}

std::string new_event_id() {
  std::array<unsigned char, 16> bytes{};
  random_id_bytes(bytes);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;  // version 4
  bytes[8] = (bytes[8] & 0x3f) | 0x80;  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  id.reserve(36);
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) id.push_back('-');
    id.push_back(kHex[bytes[i] >> 4]);
    id.push_back(kHex[bytes[i] & 0x0f]);
  }
  return id;
}

std::string source_ip_address(std::string_view remote_address) {
  if (remote_address.starts_with('[')) {
    const size_t close = remote_address.find(']');
    if (close != std::string_view::npos) return std::string(remote_address.substr(1, close - 1));
  }
  // One colon: IPv4 with a port. More than one: a bare IPv6 address.
  const size_t colon = remote_address.find(':');
  if (colon != std::string_view::npos &&
      remote_address.find(':', colon + 1) == std::string_view::npos) {
    return std::string(remote_address.substr(0, colon));
  }
  return std::string(remote_address);
}

int64_t arrival_time_ns(const Request& request, int64_t fallback_ns) {
  return request.arrival_ns != 0 ? request.arrival_ns : fallback_ns;
}

AuditEvent begin_record(const Request& request, std::string_view event_source,
                        std::string_view region, std::string_view account_id, int64_t now_ns) {
  AuditEvent record;
  record.time_ns = arrival_time_ns(request, now_ns);
  record.event_source = event_source;
  record.region = region;
  record.source_ip = source_ip_address(request.remote_address);
  record.user_agent = request.headers.get("user-agent");
  record.host = request.headers.get("host");
  record.request_id = request.request_id;
  record.recipient_account_id = account_id;
  record.identity = anonymous_identity();
  return record;
}

void record_on_completion(Response& response, AuditEvent event, AuditSink& sink) {
  response.on_complete = [earlier = std::move(response.on_complete), &sink,
                          event = std::move(event)](const ExchangeTotals& totals) mutable {
    if (earlier) earlier(totals);
    event.bytes_in = totals.body_bytes_in;
    event.bytes_out = totals.body_bytes_out;
    event.event_id = new_event_id();
    sink.record(std::move(event));
  };
}

namespace {

// The text of the first <name>...</name> element of an S3 error document, or "".
std::string element_text(std::string_view document, std::string_view name) {
  const std::string open = "<" + std::string(name) + ">";
  const std::string close = "</" + std::string(name) + ">";
  const size_t start = document.find(open);
  if (start == std::string_view::npos) return {};
  const size_t end = document.find(close, start + open.size());
  if (end == std::string_view::npos) return {};
  return std::string(document.substr(start + open.size(), end - start - open.size()));
}

}  // namespace

void record_refusal(const Request& request, Response& response, const CaptureOptions& options,
                    std::string_view region) {
  if (options.sink == nullptr) return;
  AuditEvent record =
      begin_record(request, kS3EventSource, region, options.account_id, request.arrival_ns);
  record.event_name = "UnknownOperation";
  record.error_code = element_text(response.body, "Code");
  record.error_message = element_text(response.body, "Message");
  if (record.error_code.empty()) record.error_code = "BadRequest";
  record_on_completion(response, std::move(record), *options.sink);
}

}  // namespace cv::audit
