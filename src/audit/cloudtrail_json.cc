// cloudtrail_record_json: the CloudTrail record as text, written field by field in the order
// to_cloudtrail_record builds its object (cloudtrail_record.cc; keep the two in step, the unit
// tests compare them byte for byte).
#include <array>
#include <charconv>
#include <chrono>
#include <cstring>
#include <string_view>

#include "audit/cloudtrail_record.h"

namespace cv::audit {
namespace {

uint64_t load8(const char* p) {
  uint64_t word;
  std::memcpy(&word, p, sizeof word);
  return word;
}

// Whether any byte of `word` is below 0x20, '"' or '\\' (exact: the usual has-zero-byte
// tests, which have no false positives when only asked "any?").
bool needs_escape(uint64_t word) {
  constexpr uint64_t kOnes = 0x0101010101010101;
  constexpr uint64_t kHighs = 0x8080808080808080;
  const uint64_t control = (word - kOnes * 0x20) & ~word;
  const uint64_t quote = word ^ (kOnes * '"');
  const uint64_t backslash = word ^ (kOnes * '\\');
  return ((control | ((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash)) & kHighs) !=
         0;
}

// A JSON string as Boost.JSON's serializer writes it (boost/json/impl/serializer.ipp,
// write_string): '"' and '\\' and the control characters 0x00-0x1f are escaped, \b \t \n \f
// \r by their short forms and the others as \u00xx in lower-case hex; every other byte,
// 0x7f and bytes that are not valid UTF-8 included, is copied unchanged.
void append_escaped(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  const char* run = text.data();
  const char* const end = text.data() + text.size();
  const char* p = run;
  // Eight bytes at a time while none of them needs escaping (most strings need none).
  while (end - p >= 8 && !needs_escape(load8(p))) p += 8;
  for (; p != end; ++p) {
    const auto c = static_cast<unsigned char>(*p);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(run, p);
    run = p + 1;
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\b':
        out.append("\\b");
        break;
      case '\t':
        out.append("\\t");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\f':
        out.append("\\f");
        break;
      case '\r':
        out.append("\\r");
        break;
      default: {
        const char escape[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        out.append(escape, sizeof escape);
      }
    }
  }
  out.append(run, end);
}

void append_string(std::string& out, std::string_view text) {
  out.push_back('"');
  append_escaped(out, text);
  out.push_back('"');
}

void append_uint(std::string& out, uint64_t number) {
  std::array<char, 20> digits;
  const char* end = std::to_chars(digits.data(), digits.data() + digits.size(), number).ptr;
  out.append(digits.data(), static_cast<std::size_t>(end - digits.data()));
}

void append_digits(std::string& out, unsigned value, int width) {
  char digits[4];
  for (int i = width - 1; i >= 0; --i, value /= 10) digits[i] = static_cast<char>('0' + value % 10);
  out.append(digits, width);
}

// eventTime as strftime("%Y-%m-%dT%H:%M:%SZ") of gmtime_r(time_ns / 10^9, truncated) writes it,
// without glibc gmtime's time-zone lock: an int64 of nanoseconds spans the years 1677-2262.
void append_event_time(std::string& out, int64_t time_ns) {
  using namespace std::chrono;
  const sys_seconds time{seconds{time_ns / 1'000'000'000}};
  const sys_days day = floor<days>(time);
  const year_month_day date{day};
  const hh_mm_ss<seconds> clock{time - day};
  out.push_back('"');
  append_digits(out, static_cast<unsigned>(static_cast<int>(date.year())), 4);
  out.push_back('-');
  append_digits(out, static_cast<unsigned>(date.month()), 2);
  out.push_back('-');
  append_digits(out, static_cast<unsigned>(date.day()), 2);
  out.push_back('T');
  append_digits(out, static_cast<unsigned>(clock.hours().count()), 2);
  out.push_back(':');
  append_digits(out, static_cast<unsigned>(clock.minutes().count()), 2);
  out.push_back(':');
  append_digits(out, static_cast<unsigned>(clock.seconds().count()), 2);
  out.append("Z\"");
}

void append_user_identity(std::string& out, const Identity& identity) {
  out.append("{\"type\":");
  append_string(out, identity_type_name(identity.type));
  out.append(",\"principalId\":");
  if (identity.type == IdentityType::kAnonymous) {
    append_string(out, identity.principal_id.empty() ? std::string_view("ANONYMOUS_PRINCIPAL")
                                                     : std::string_view(identity.principal_id));
    if (!identity.account_id.empty()) {
      out.append(",\"accountId\":");
      append_string(out, identity.account_id);
    }
    if (!identity.access_key_id.empty()) {
      out.append(",\"accessKeyId\":");
      append_string(out, identity.access_key_id);
    }
    out.push_back('}');
    return;
  }
  append_string(out, identity.principal_id);
  out.append(",\"arn\":");
  append_string(out, identity.arn);
  out.append(",\"accountId\":");
  append_string(out, identity.account_id);
  if (!identity.access_key_id.empty()) {
    out.append(",\"accessKeyId\":");
    append_string(out, identity.access_key_id);
  }
  if (identity.type == IdentityType::kIAMUser && !identity.user_name.empty()) {
    out.append(",\"userName\":");
    append_string(out, identity.user_name);
  }
  if (identity.session) {
    out.append(",\"sessionContext\":{\"attributes\":{\"mfaAuthenticated\":\"false\"}");
    if (identity.type == IdentityType::kAssumedRole) {
      out.append(",\"sessionIssuer\":{\"type\":\"Role\",\"principalId\":");
      append_string(out, identity.role_id);
      out.append(",\"arn\":");
      append_string(out, identity.role_arn);
      out.append(",\"accountId\":");
      append_string(out, identity.account_id);
      out.append(",\"userName\":");
      append_string(out, identity.role_name);
      out.push_back('}');
    }
    out.push_back('}');
  }
  out.push_back('}');
}

// requestParameters as json::object's operator[] leaves it: bucketName, Host and key (when
// not empty), then the parameters; a name given again keeps its first place and takes the
// value given last. Quadratic in the parameters, which are a handful; allocates nothing.
void append_request_parameters(std::string& out, const AuditEvent& event) {
  const auto& parameters = event.parameters;
  const auto last_value = [&](std::string_view name, std::string_view value) {
    for (const auto& [other, other_value] : parameters) {
      if (other == name) value = other_value;
    }
    return value;
  };
  bool first = true;
  const auto member = [&](std::string_view name, std::string_view value) {
    if (!first) out.push_back(',');
    first = false;
    append_string(out, name);
    out.push_back(':');
    append_string(out, value);
  };
  const std::array<std::pair<std::string_view, std::string_view>, 3> fixed = {
      {{"bucketName", event.bucket}, {"Host", event.host}, {"key", event.key}}};
  out.push_back('{');
  for (const auto& [name, value] : fixed) {
    if (!value.empty()) member(name, last_value(name, value));
  }
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    const std::string_view name = parameters[i].first;
    bool seen = false;
    for (const auto& [fixed_name, fixed_value] : fixed) {
      seen = seen || (!fixed_value.empty() && fixed_name == name);
    }
    for (std::size_t j = 0; j < i && !seen; ++j) seen = parameters[j].first == name;
    if (!seen) member(name, last_value(name, parameters[i].second));
  }
  out.push_back('}');
}

void append_additional_event_data(std::string& out, const AuditEvent& event) {
  out.append("{\"bytesTransferredIn\":");
  append_uint(out, event.bytes_in);
  out.append(",\"bytesTransferredOut\":");
  append_uint(out, event.bytes_out);
  if (!event.signature_version.empty()) {
    out.append(",\"SignatureVersion\":");
    append_string(out, event.signature_version);
  }
  if (!event.authentication_method.empty()) {
    out.append(",\"AuthenticationMethod\":");
    append_string(out, event.authentication_method);
  }
  if (!event.cipher_suite.empty()) {
    out.append(",\"CipherSuite\":");
    append_string(out, event.cipher_suite);
  }
  if (!event.amz_id_2.empty()) {
    out.append(",\"x-amz-id-2\":");
    append_string(out, event.amz_id_2);
  }
  out.push_back('}');
}

// The ARNs: "arn:aws:s3:::" + bucket [+ "/" + key], escaped a piece at a time.
void append_resources(std::string& out, const AuditEvent& event) {
  out.push_back('[');
  if (!event.bucket.empty()) {
    if (!event.key.empty()) {
      out.append("{\"type\":\"AWS::S3::Object\",\"ARN\":\"arn:aws:s3:::");
      append_escaped(out, event.bucket);
      out.push_back('/');
      append_escaped(out, event.key);
      out.append("\"},");
    }
    out.append("{\"type\":\"AWS::S3::Bucket\",\"ARN\":\"arn:aws:s3:::");
    append_escaped(out, event.bucket);
    out.push_back('"');
    if (!event.recipient_account_id.empty()) {
      out.append(",\"accountId\":");
      append_string(out, event.recipient_account_id);
    }
    out.push_back('}');
  }
  out.push_back(']');
}

// Room for the fixed text and every string once unescaped (some are written twice); escapes
// beyond that grow the string.
std::size_t estimated_size(const AuditEvent& event) {
  const Identity& id = event.identity;
  std::size_t size =
      900 + event.event_source.size() + event.event_name.size() + event.region.size() +
      event.source_ip.size() + event.user_agent.size() + id.principal_id.size() + id.arn.size() +
      2 * id.account_id.size() + id.access_key_id.size() + id.user_name.size() + id.role_id.size() +
      id.role_arn.size() + id.role_name.size() + 3 * event.bucket.size() + 2 * event.key.size() +
      2 * event.host.size() + event.signature_version.size() + event.authentication_method.size() +
      event.amz_id_2.size() + event.tls_version.size() + 2 * event.cipher_suite.size() +
      event.error_code.size() + event.error_message.size() + event.request_id.size() +
      event.event_id.size() + 2 * event.recipient_account_id.size();
  for (const auto& [name, value] : event.parameters) size += name.size() + value.size() + 6;
  return size;
}

}  // namespace

std::string cloudtrail_record_json(const AuditEvent& event) {
  std::string out;
  out.reserve(estimated_size(event));
  out.append("{\"eventVersion\":");
  append_string(out, kEventVersion);
  out.append(",\"userIdentity\":");
  append_user_identity(out, event.identity);
  out.append(",\"eventTime\":");
  append_event_time(out, event.time_ns);
  out.append(",\"eventSource\":");
  append_string(out, event.event_source);
  out.append(",\"eventName\":");
  append_string(out, event.event_name);
  out.append(",\"awsRegion\":");
  append_string(out, event.region);
  out.append(",\"sourceIPAddress\":");
  append_string(out, event.source_ip);
  out.append(",\"userAgent\":");
  append_string(out, event.user_agent);
  out.append(",\"requestParameters\":");
  append_request_parameters(out, event);
  out.append(",\"responseElements\":");
  // Rare (mutating calls that answer something) and of any shape: Boost writes it.
  if (event.response_elements) {
    out.append(boost::json::serialize(*event.response_elements));
  } else {
    out.append("null");
  }
  out.append(",\"additionalEventData\":");
  append_additional_event_data(out, event);
  out.append(",\"requestID\":");
  append_string(out, event.request_id);
  out.append(",\"eventID\":");
  append_string(out, event.event_id);
  out.append(is_read_only(event.event_name) ? ",\"readOnly\":true" : ",\"readOnly\":false");
  out.append(",\"resources\":");
  append_resources(out, event);
  const bool data = is_data_event(event.event_name);
  out.append(",\"eventType\":\"AwsApiCall\"");
  out.append(data ? ",\"managementEvent\":false" : ",\"managementEvent\":true");
  out.append(",\"recipientAccountId\":");
  append_string(out, event.recipient_account_id);
  out.append(data ? ",\"eventCategory\":\"Data\"" : ",\"eventCategory\":\"Management\"");
  if (!event.error_code.empty()) {
    out.append(",\"errorCode\":");
    append_string(out, event.error_code);
    out.append(",\"errorMessage\":");
    append_string(out, event.error_message);
  }
  if (!event.tls_version.empty()) {
    out.append(",\"tlsDetails\":{\"tlsVersion\":");
    append_string(out, event.tls_version);
    out.append(",\"cipherSuite\":");
    append_string(out, event.cipher_suite);
    if (!event.host.empty()) {
      out.append(",\"clientProvidedHostHeader\":");
      append_string(out, event.host);
    }
    out.push_back('}');
  }
  out.push_back('}');
  return out;
}

}  // namespace cv::audit
