#include "policy/condition.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>
#include <utility>

namespace cv::policy {
namespace {

struct OperatorName {
  std::string_view name;
  Operator op;
  bool negated;
};

constexpr OperatorName kOperators[] = {
    {"StringEquals", Operator::kStringEquals, false},
    {"StringNotEquals", Operator::kStringEquals, true},
    {"StringEqualsIgnoreCase", Operator::kStringEqualsIgnoreCase, false},
    {"StringNotEqualsIgnoreCase", Operator::kStringEqualsIgnoreCase, true},
    {"StringLike", Operator::kStringLike, false},
    {"StringNotLike", Operator::kStringLike, true},
    {"NumericEquals", Operator::kNumericEquals, false},
    {"NumericNotEquals", Operator::kNumericEquals, true},
    {"NumericLessThan", Operator::kNumericLessThan, false},
    {"NumericLessThanEquals", Operator::kNumericLessThanEquals, false},
    {"NumericGreaterThan", Operator::kNumericGreaterThan, false},
    {"NumericGreaterThanEquals", Operator::kNumericGreaterThanEquals, false},
    {"DateEquals", Operator::kDateEquals, false},
    {"DateNotEquals", Operator::kDateEquals, true},
    {"DateLessThan", Operator::kDateLessThan, false},
    {"DateLessThanEquals", Operator::kDateLessThanEquals, false},
    {"DateGreaterThan", Operator::kDateGreaterThan, false},
    {"DateGreaterThanEquals", Operator::kDateGreaterThanEquals, false},
    {"Bool", Operator::kBool, false},
    {"BinaryEquals", Operator::kBinaryEquals, false},
    {"IpAddress", Operator::kIpAddress, false},
    {"NotIpAddress", Operator::kIpAddress, true},
    {"ArnEquals", Operator::kArnEquals, false},
    {"ArnLike", Operator::kArnEquals, false},
    {"ArnNotEquals", Operator::kArnEquals, true},
    {"ArnNotLike", Operator::kArnEquals, true},
    {"Null", Operator::kNull, false},
};

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool uses_text(Operator op) {
  switch (op) {
    case Operator::kStringEquals:
    case Operator::kStringEqualsIgnoreCase:
    case Operator::kStringLike:
    case Operator::kBool:
    case Operator::kBinaryEquals:
    case Operator::kArnEquals:
      return true;
    default:
      return false;
  }
}

std::optional<double> parse_number(std::string_view text) {
  double value = 0;
  if (text.empty()) return std::nullopt;
  const char* begin = text.data();
  if (*begin == '+') ++begin;
  const auto [end, error] = std::from_chars(begin, text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

// Reads exactly `count` digits at `at`.
bool digits(std::string_view text, size_t at, size_t count, int& out) {
  if (at + count > text.size()) return false;
  out = 0;
  for (size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

bool in_network(const Network& address, const Network& network) {
  int bits = network.prefix;
  for (size_t i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
    const uint8_t mask = bits >= 8 ? 0xff : static_cast<uint8_t>(0xff << (8 - bits));
    if ((address.address[i] & mask) != (network.address[i] & mask)) return false;
  }
  return true;
}

// ArnEquals / ArnLike: the six colon-separated parts compared one by one, each with
// wildcards; the last part (the resource) may hold further colons.
bool arn_matches(const Pattern& pattern, std::string_view value) {
  const std::string& text = pattern.text();
  size_t p = 0;
  size_t v = 0;
  for (int part = 0; part < 5; ++part) {
    size_t p_end = p;
    while (p_end < text.size() && (text[p_end] != ':' || pattern.is_wildcard(p_end))) ++p_end;
    const size_t v_end = value.find(':', v);
    if (p_end >= text.size() || v_end == std::string_view::npos) return false;
    if (!pattern.matches_slice(p, p_end, value.substr(v, v_end - v), false)) return false;
    p = p_end + 1;
    v = v_end + 1;
  }
  return pattern.matches_slice(p, text.size(), value.substr(v), false);
}

bool value_matches(const Condition& condition, const ConditionValue& expected, const Pattern* text,
                   std::string_view actual) {
  switch (condition.op) {
    case Operator::kStringEquals:
    case Operator::kBinaryEquals:
      return text->equals(actual);
    case Operator::kStringEqualsIgnoreCase:
      return text->equals(actual, true);
    case Operator::kStringLike:
      return text->matches(actual);
    case Operator::kBool:
      return text->equals(actual, true);
    case Operator::kArnEquals:
      return arn_matches(*text, actual);
    case Operator::kNumericEquals:
    case Operator::kNumericLessThan:
    case Operator::kNumericLessThanEquals:
    case Operator::kNumericGreaterThan:
    case Operator::kNumericGreaterThanEquals: {
      const auto number = parse_number(actual);
      if (!number) return false;
      const double want = expected.number;
      switch (condition.op) {
        case Operator::kNumericEquals:
          return *number == want;
        case Operator::kNumericLessThan:
          return *number < want;
        case Operator::kNumericLessThanEquals:
          return *number <= want;
        case Operator::kNumericGreaterThan:
          return *number > want;
        default:
          return *number >= want;
      }
    }
    case Operator::kDateEquals:
    case Operator::kDateLessThan:
    case Operator::kDateLessThanEquals:
    case Operator::kDateGreaterThan:
    case Operator::kDateGreaterThanEquals: {
      const auto when = parse_date(actual);
      if (!when) return false;
      const int64_t want = expected.millis;
      switch (condition.op) {
        case Operator::kDateEquals:
          return *when == want;
        case Operator::kDateLessThan:
          return *when < want;
        case Operator::kDateLessThanEquals:
          return *when <= want;
        case Operator::kDateGreaterThan:
          return *when > want;
        default:
          return *when >= want;
      }
    }
    case Operator::kIpAddress: {
      const auto address = parse_network(actual);
      return address && address->prefix == 128 && in_network(*address, expected.network);
    }
    case Operator::kNull:
      return false;
  }
  return false;
}

}  // namespace

Status parse_operator(std::string_view name, Condition& condition) {
  condition.operator_name = std::string(name);
  std::string_view rest = name;
  if (rest.starts_with("ForAllValues:")) {
    condition.qualifier = SetQualifier::kForAllValues;
    rest.remove_prefix(13);
  } else if (rest.starts_with("ForAnyValue:")) {
    condition.qualifier = SetQualifier::kForAnyValue;
    rest.remove_prefix(12);
  }
  if (rest.ends_with("IfExists")) {
    condition.if_exists = true;
    rest.remove_suffix(8);
  }
  for (const auto& entry : kOperators) {
    if (entry.name != rest) continue;
    if (entry.op == Operator::kNull && condition.if_exists) break;  // no NullIfExists
    condition.op = entry.op;
    condition.negated = entry.negated;
    return {};
  }
  return fail(ErrorCode::kMalformedPolicy, "Invalid Condition operator: " + std::string(name));
}

Result<ConditionValue> parse_condition_value(const Condition& condition, std::string_view text,
                                             bool variables) {
  ConditionValue value;
  auto invalid = [&](std::string_view what) {
    return fail(ErrorCode::kMalformedPolicy, std::string(what) + " for " + condition.operator_name +
                                                 " on " + condition.key_as_written + ": " +
                                                 std::string(text));
  };
  if (uses_text(condition.op)) {
    std::string problem;
    auto parsed = Template::parse(text, variables, &problem);
    if (!parsed) return fail(ErrorCode::kMalformedPolicy, problem);
    value.text = std::move(*parsed);
    if (condition.op == Operator::kBool && !value.text.has_variables()) {
      const std::string flag = lower(text);
      if (flag != "true" && flag != "false") return invalid("Invalid Bool value");
      value.text = *Template::parse(flag, false, nullptr);
    }
    return value;
  }
  switch (condition.op) {
    case Operator::kNull: {
      const std::string flag = lower(text);
      if (flag != "true" && flag != "false") return invalid("Invalid Null value");
      value.flag = flag == "true";
      return value;
    }
    case Operator::kIpAddress: {
      const auto network = parse_network(text);
      if (!network) return invalid("Invalid IP address or CIDR");
      value.network = *network;
      return value;
    }
    case Operator::kDateEquals:
    case Operator::kDateLessThan:
    case Operator::kDateLessThanEquals:
    case Operator::kDateGreaterThan:
    case Operator::kDateGreaterThanEquals: {
      const auto when = parse_date(text);
      if (!when) return invalid("Invalid date");
      value.millis = *when;
      return value;
    }
    default: {
      const auto number = parse_number(text);
      if (!number) return invalid("Invalid number");
      value.number = *number;
      return value;
    }
  }
}

bool condition_holds(const Condition& condition, const RequestContext& context) {
  std::vector<std::string> scratch;
  const std::vector<std::string>* actual = find_key(context, condition.key, scratch);
  const bool present = actual != nullptr && !actual->empty();
  if (condition.op == Operator::kNull) {
    for (const auto& value : condition.values) {
      if (value.flag != present) return true;
    }
    return false;
  }
  if (!present) {
    if (condition.if_exists) return true;
    if (condition.qualifier == SetQualifier::kForAllValues) return true;
    if (condition.qualifier == SetQualifier::kForAnyValue) return false;
    return condition.negated;
  }
  // Resolve the policy's values once (only values with variables need work).
  const bool text = uses_text(condition.op);
  std::vector<std::optional<Pattern>> resolved;
  if (text) {
    for (const auto& value : condition.values) {
      if (value.text.has_variables()) {
        if (resolved.empty()) resolved.resize(condition.values.size());
        resolved[&value - condition.values.data()] = value.text.resolve(context);
      }
    }
  }
  auto positive = [&](std::string_view candidate) {
    for (size_t i = 0; i < condition.values.size(); ++i) {
      const ConditionValue& value = condition.values[i];
      const Pattern* pattern = nullptr;
      if (text) {
        if (value.text.has_variables()) {
          if (!resolved[i]) continue;  // a variable without a value matches nothing
          pattern = &*resolved[i];
        } else {
          pattern = &value.text.fixed();
        }
      }
      if (value_matches(condition, value, pattern, candidate)) return true;
    }
    return false;
  };
  auto one = [&](std::string_view candidate) {
    return condition.negated ? !positive(candidate) : positive(candidate);
  };
  switch (condition.qualifier) {
    case SetQualifier::kForAllValues:
      for (const auto& candidate : *actual) {
        if (!one(candidate)) return false;
      }
      return true;
    case SetQualifier::kForAnyValue:
      for (const auto& candidate : *actual) {
        if (one(candidate)) return true;
      }
      return false;
    case SetQualifier::kNone:
      break;
  }
  bool any = false;
  for (const auto& candidate : *actual) {
    if (positive(candidate)) {
      any = true;
      break;
    }
  }
  return condition.negated ? !any : any;
}

std::optional<int64_t> parse_date(std::string_view text) {
  if (text.empty()) return std::nullopt;
  if (text.find_first_not_of("0123456789") == std::string_view::npos ||
      (text.front() == '-' && text.size() > 1 &&
       text.find_first_not_of("0123456789", 1) == std::string_view::npos)) {
    if (text.size() > 15) return std::nullopt;
    int64_t seconds = 0;
    std::from_chars(text.data(), text.data() + text.size(), seconds);
    return seconds * 1000;
  }
  int year = 0, month = 0, day = 0;
  if (!digits(text, 0, 4, year) || text.size() < 10 || text[4] != '-' ||
      !digits(text, 5, 2, month) || text[7] != '-' || !digits(text, 8, 2, day)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
  int64_t millis = days_from_civil(year, month, day) * 86400000;
  size_t at = 10;
  if (at < text.size() && (text[at] == 'T' || text[at] == 't')) {
    int hour = 0, minute = 0, second = 0;
    if (!digits(text, at + 1, 2, hour) || at + 3 >= text.size() || text[at + 3] != ':' ||
        !digits(text, at + 4, 2, minute)) {
      return std::nullopt;
    }
    at += 6;
    if (at < text.size() && text[at] == ':') {
      if (!digits(text, at + 1, 2, second)) return std::nullopt;
      at += 3;
      if (at < text.size() && text[at] == '.') {
        ++at;
        int64_t scale = 100;
        const size_t start = at;
        while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
          millis += (text[at] - '0') * scale;
          scale /= 10;
          ++at;
        }
        if (at == start) return std::nullopt;
      }
    }
    if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
    millis += ((hour * 60 + minute) * 60 + second) * int64_t{1000};
    if (at < text.size() && (text[at] == 'Z' || text[at] == 'z')) {
      ++at;
    } else if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
      const int sign = text[at] == '+' ? 1 : -1;
      int oh = 0, om = 0;
      if (!digits(text, at + 1, 2, oh)) return std::nullopt;
      at += 3;
      if (at < text.size() && text[at] == ':') ++at;
      if (!digits(text, at, 2, om)) return std::nullopt;
      at += 2;
      millis -= sign * (oh * 60 + om) * int64_t{60000};
    }
  }
  if (at != text.size()) return std::nullopt;
  return millis;
}

std::optional<Network> parse_network(std::string_view text) {
  if (text.empty() || text.size() > 64) return std::nullopt;
  Network network;
  std::string address(text);
  int prefix = -1;
  if (const size_t slash = text.find('/'); slash != std::string_view::npos) {
    address = std::string(text.substr(0, slash));
    const std::string_view bits = text.substr(slash + 1);
    prefix = 0;
    const auto [end, error] = std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
    if (bits.empty() || error != std::errc() || end != bits.data() + bits.size()) {
      return std::nullopt;
    }
  }
  in_addr v4{};
  in6_addr v6{};
  if (inet_pton(AF_INET, address.c_str(), &v4) == 1) {
    if (prefix > 32) return std::nullopt;
    network.ipv4 = true;
    network.address[10] = 0xff;
    network.address[11] = 0xff;
    std::memcpy(network.address.data() + 12, &v4, 4);
    network.prefix = prefix < 0 ? 128 : prefix + 96;
  } else if (inet_pton(AF_INET6, address.c_str(), &v6) == 1) {
    if (prefix > 128) return std::nullopt;
    std::memcpy(network.address.data(), &v6, 16);
    network.prefix = prefix < 0 ? 128 : prefix;
  } else {
    return std::nullopt;
  }
  return network;
}

}  // namespace cv::policy
