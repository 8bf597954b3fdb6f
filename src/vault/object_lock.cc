#include "vault/object_lock.h"

#include <boost/json.hpp>
#include <chrono>

namespace cv::vault {
namespace {

namespace json = boost::json;

constexpr int32_t kMaxDays = 36500;
constexpr int32_t kMaxYears = 100;

}  // namespace

bool is_retention_mode(std::string_view mode) {
  return mode == meta::kGovernanceMode || mode == meta::kComplianceMode;
}

Status validate(const ObjectLockConfiguration& config) {
  if (!config.default_retention) return {};
  const DefaultRetention& rule = *config.default_retention;
  if (!is_retention_mode(rule.mode)) {
    return fail(ErrorCode::kMalformedXML,
                "The XML you provided was not well-formed or did not validate against our "
                "published schema");
  }
  if ((rule.days != 0) == (rule.years != 0)) {
    return fail(ErrorCode::kMalformedXML,
                "The XML you provided was not well-formed or did not validate against our "
                "published schema");
  }
  if (rule.days < 0 || rule.years < 0) {
    return fail(ErrorCode::kInvalidArgument,
                "Default retention period must be a positive integer value.");
  }
  if (rule.days > kMaxDays || rule.years > kMaxYears) {
    return fail(ErrorCode::kInvalidArgument, "Default retention period is too large.");
  }
  return {};
}

std::string object_lock_json(const ObjectLockConfiguration& config) {
  json::object doc;
  doc["enabled"] = true;
  if (config.default_retention) {
    doc["mode"] = config.default_retention->mode;
    doc["days"] = config.default_retention->days;
    doc["years"] = config.default_retention->years;
  }
  return json::serialize(doc);
}

Result<ObjectLockConfiguration> parse_object_lock_json(std::string_view document) {
  boost::system::error_code ec;
  const json::value value = json::parse(document, ec);
  if (ec || !value.is_object()) {
    return fail(ErrorCode::kInternalError, "stored object lock configuration is damaged");
  }
  const json::object& doc = value.as_object();
  ObjectLockConfiguration config;
  if (const json::value* mode = doc.if_contains("mode"); mode && mode->is_string()) {
    DefaultRetention rule;
    rule.mode = std::string(mode->as_string());
    const json::value* days = doc.if_contains("days");
    const json::value* years = doc.if_contains("years");
    if (!days || !days->is_int64() || !years || !years->is_int64()) {
      return fail(ErrorCode::kInternalError, "stored object lock configuration is damaged");
    }
    rule.days = static_cast<int32_t>(days->as_int64());
    rule.years = static_cast<int32_t>(years->as_int64());
    config.default_retention = rule;
  }
  return config;
}

int64_t default_retain_until(const DefaultRetention& rule, int64_t written_ns) {
  using namespace std::chrono;
  const sys_time<nanoseconds> written{nanoseconds(written_ns)};
  if (rule.days > 0) return (written + days(rule.days)).time_since_epoch().count();
  const sys_days day = floor<days>(written);
  const nanoseconds time_of_day = written - day;
  year_month_day date{day};
  date += years(rule.years);
  if (!date.ok()) date = date.year() / date.month() / last;  // February 29 in a common year
  return (sys_days(date) + time_of_day).time_since_epoch().count();
}

meta::ObjectLock new_version_lock(const meta::ObjectLock& requested,
                                  const std::optional<ObjectLockConfiguration>& bucket_config,
                                  int64_t written_ns) {
  meta::ObjectLock lock = requested;
  if (lock.mode.empty() && bucket_config && bucket_config->default_retention) {
    lock.mode = bucket_config->default_retention->mode;
    lock.retain_until_ns = default_retain_until(*bucket_config->default_retention, written_ns);
  }
  return lock;
}

}  // namespace cv::vault
