// One condition of a statement: `"StringLike": {"s3:prefix": ["home/${aws:username}/*"]}`
// is one Condition (operator StringLike, key s3:prefix, one value). A statement's
// conditions are ANDed; the values of one condition are ORed (NORed for a negated
// operator). Built by parse_policy (parse_condition), immutable afterwards; evaluation is
// const and thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "policy/pattern.h"
#include "policy/request_context.h"

namespace cv::policy {

// The operator families of AWS's "IAM JSON policy elements: Condition operators".
enum class Operator {
  kStringEquals,
  kStringEqualsIgnoreCase,
  kStringLike,
  kNumericEquals,
  kNumericLessThan,
  kNumericLessThanEquals,
  kNumericGreaterThan,
  kNumericGreaterThanEquals,
  kDateEquals,
  kDateLessThan,
  kDateLessThanEquals,
  kDateGreaterThan,
  kDateGreaterThanEquals,
  kBool,
  kBinaryEquals,
  kIpAddress,
  kArnEquals,  // ArnEquals and ArnLike: the same comparison
  kNull,
};

enum class SetQualifier { kNone, kForAllValues, kForAnyValue };

// An IPv4 or IPv6 network: IPv4 addresses are kept as IPv4-mapped IPv6 (::ffff:a.b.c.d).
struct Network {
  std::array<uint8_t, 16> address{};
  int prefix = 128;  // in bits of the 16-byte form
  bool ipv4 = false;
};

struct ConditionValue {
  Template text;       // string, ARN, binary and Bool operators (variables allowed)
  double number = 0;   // Numeric*
  int64_t millis = 0;  // Date*: milliseconds since the epoch
  bool flag = false;   // Null: true = "the key must be absent"
  Network network;     // IpAddress
};

struct Condition {
  std::string operator_name;  // as written in the policy ("ForAnyValue:StringLikeIfExists")
  Operator op = Operator::kStringEquals;
  bool negated = false;  // StringNotEquals, NotIpAddress, ArnNotLike, ...
  bool if_exists = false;
  SetQualifier qualifier = SetQualifier::kNone;
  std::string key;  // lower case
  std::string key_as_written;
  std::vector<ConditionValue> values;
};

// Parses the operator name ("ForAllValues:StringNotLikeIfExists") into `condition`;
// kMalformedPolicy "Invalid Condition operator: X" when AWS has no such operator.
Status parse_operator(std::string_view name, Condition& condition);
// Parses one value of the policy for `condition`'s operator: `text` is the value as a
// string (JSON numbers and booleans already turned into their text); `variables` says
// whether policy variables are recognised. kMalformedPolicy with the reason on a value
// the operator cannot take (a bad number, date, CIDR, Bool).
Result<ConditionValue> parse_condition_value(const Condition& condition, std::string_view text,
                                             bool variables);

// Whether the condition holds for the request (AWS's rules for absent keys, IfExists,
// Null, ForAllValues / ForAnyValue, negation).
bool condition_holds(const Condition& condition, const RequestContext& context);

// Parsing helpers shared with the tests: ISO 8601 ("2026-12-06", "2026-12-06T10:00:00Z",
// fractions, "+01:00" offsets) or epoch seconds, to milliseconds since the epoch; an IPv4 /
// IPv6 address or CIDR network.
std::optional<int64_t> parse_date(std::string_view text);
std::optional<Network> parse_network(std::string_view text);

}  // namespace cv::policy
