#include "audit/request_capture.h"

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

Identity anonymous_identity() {
  Identity identity;
  identity.type = IdentityType::kAnonymous;
  identity.account_id = "anonymous";
  return identity;
}

std::string new_event_id() {
  std::string hex = random_hex(16);  // lowercase
  hex[12] = '4';                     // version 4
  const char variant = hex[16];      // RFC 4122 variant: 10xx
  hex[16] = "89ab"[(variant <= '9' ? variant - '0' : variant - 'a' + 10) & 3];
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
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

}  // namespace cv::audit
