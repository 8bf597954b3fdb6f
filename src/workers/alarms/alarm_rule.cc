#include "workers/alarms/alarm_rule.h"

#include <boost/json.hpp>
#include <cmath>
#include <cstdio>

namespace cv::workers::alarms {
namespace {

namespace json = boost::json;

Error bad(std::string_view key, std::string_view why) {
  return Error{ErrorCode::kInvalidArgument,
               "alarm rule: " + std::string(key) + " " + std::string(why), std::string(key)};
}

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-')) {
      return false;
    }
  }
  return true;
}

Result<std::string> text_of(const json::value& value, std::string_view key) {
  if (!value.is_string()) return std::unexpected(bad(key, "must be a string"));
  return std::string(value.get_string());
}

Result<double> number_of(const json::value& value, std::string_view key) {
  if (value.is_int64()) return static_cast<double>(value.get_int64());
  if (value.is_uint64()) return static_cast<double>(value.get_uint64());
  if (value.is_double() && std::isfinite(value.get_double())) return value.get_double();
  return std::unexpected(bad(key, "must be a number"));
}

Result<int64_t> integer_of(const json::value& value, std::string_view key, int64_t low,
                           int64_t high) {
  const double number = CV_TRY(number_of(value, key));
  if (number != std::floor(number) || number < static_cast<double>(low) ||
      number > static_cast<double>(high)) {
    return std::unexpected(
        bad(key, "must be a whole number from " + std::to_string(low) + " to " +
                     std::to_string(high)));
  }
  return static_cast<int64_t>(number);
}

Result<std::map<std::string, std::string>> labels_of(const json::value& value,
                                                     std::string_view key) {
  if (!value.is_object()) return std::unexpected(bad(key, "must be a table of label = value"));
  std::map<std::string, std::string> labels;
  for (const auto& [name, label_value] : value.get_object()) {
    labels[std::string(name)] = CV_TRY(text_of(label_value, std::string(key) + "." + std::string(name)));
  }
  return labels;
}

Result<Comparison> comparison_of(std::string_view text) {
  if (text == "GreaterThanThreshold") return Comparison::kGreaterThan;
  if (text == "GreaterThanOrEqualToThreshold") return Comparison::kGreaterOrEqual;
  if (text == "LessThanThreshold") return Comparison::kLessThan;
  if (text == "LessThanOrEqualToThreshold") return Comparison::kLessOrEqual;
  return std::unexpected(bad("comparison",
                             "must be GreaterThanThreshold, GreaterThanOrEqualToThreshold, "
                             "LessThanThreshold or LessThanOrEqualToThreshold"));
}

Result<MissingData> missing_of(std::string_view text) {
  if (text == "missing") return MissingData::kMissing;
  if (text == "notBreaching") return MissingData::kNotBreaching;
  if (text == "breaching") return MissingData::kBreaching;
  if (text == "ignore") return MissingData::kIgnore;
  return std::unexpected(
      bad("treat_missing_data", "must be missing, notBreaching, breaching or ignore"));
}

bool valid_metric_name(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':';
    if (!letter && !(i > 0 && std::isdigit(static_cast<unsigned char>(c)))) return false;
  }
  return true;
}

// Applies the keys of `document` over `rule`.
Status apply(AlarmRule& rule, const json::object& document) {
  for (const auto& [key_view, value] : document) {
    const std::string key(key_view);
    if (key == "name") {
      rule.name = CV_TRY(text_of(value, key));
    } else if (key == "description") {
      rule.description = CV_TRY(text_of(value, key));
    } else if (key == "metric") {
      rule.query.selector.metric = CV_TRY(text_of(value, key));
    } else if (key == "labels") {
      rule.query.selector.labels = CV_TRY(labels_of(value, key));
    } else if (key == "statistic") {
      rule.query.statistic =
          CV_TRY(parse_statistic(CV_TRY(text_of(value, key)), rule.query.percentile));
    } else if (key == "over") {
      if (!rule.query.denominator) rule.query.denominator.emplace();
      rule.query.denominator->metric = CV_TRY(text_of(value, key));
    } else if (key == "over_labels") {
      if (!rule.query.denominator) rule.query.denominator.emplace();
      rule.query.denominator->labels = CV_TRY(labels_of(value, key));
    } else if (key == "period_seconds") {
      rule.period_seconds = CV_TRY(integer_of(value, key, 1, 86400));
    } else if (key == "evaluation_periods") {
      rule.evaluation_periods = static_cast<int>(CV_TRY(integer_of(value, key, 1, 1440)));
    } else if (key == "datapoints_to_alarm") {
      rule.datapoints_to_alarm = static_cast<int>(CV_TRY(integer_of(value, key, 1, 1440)));
    } else if (key == "comparison") {
      rule.comparison = CV_TRY(comparison_of(CV_TRY(text_of(value, key))));
    } else if (key == "threshold") {
      rule.threshold = CV_TRY(number_of(value, key));
    } else if (key == "treat_missing_data") {
      rule.treat_missing = CV_TRY(missing_of(CV_TRY(text_of(value, key))));
    } else if (key == "targets") {
      if (!value.is_array()) return std::unexpected(bad(key, "must be a list of target names"));
      rule.targets.clear();
      for (const json::value& target : value.get_array()) {
        rule.targets.push_back(CV_TRY(text_of(target, key)));
      }
    } else if (key == "unit") {
      rule.unit = CV_TRY(text_of(value, key));
    } else if (key == "enabled") {
      if (!value.is_bool()) return std::unexpected(bad(key, "must be true or false"));
      rule.enabled = value.get_bool();
    } else {
      return std::unexpected(bad(key, "is not a key of an alarm rule"));
    }
  }
  return {};
}

Status validate(const AlarmRule& rule) {
  if (!valid_name(rule.name)) {
    return std::unexpected(bad("name", "must be 1-64 letters, digits, '.', '_' or '-'"));
  }
  if (!valid_metric_name(rule.query.selector.metric)) {
    return std::unexpected(bad("metric", "must name a metric (e.g. cloudvault_requests_total)"));
  }
  if (rule.query.statistic == Statistic::kRatio) {
    if (!rule.query.denominator || !valid_metric_name(rule.query.denominator->metric)) {
      return std::unexpected(bad("over", "must name the denominator's metric for Ratio"));
    }
  } else if (rule.query.denominator) {
    return std::unexpected(bad("over", "is only for the Ratio statistic"));
  }
  if (rule.datapoints_to_alarm > rule.evaluation_periods) {
    return std::unexpected(bad("datapoints_to_alarm", "must not exceed evaluation_periods"));
  }
  if (rule.period_seconds * rule.evaluation_periods > 86400) {
    return std::unexpected(
        bad("evaluation_periods", "times period_seconds must not exceed one day (86400 s)"));
  }
  for (const std::string& target : rule.targets) {
    if (target.empty()) return std::unexpected(bad("targets", "must not hold an empty name"));
  }
  return {};
}

json::object labels_json(const std::map<std::string, std::string>& labels) {
  json::object object;
  for (const auto& [name, value] : labels) object[name] = value;
  return object;
}

}  // namespace

bool AlarmRule::breaches(double value) const {
  switch (comparison) {
    case Comparison::kGreaterThan: return value > threshold;
    case Comparison::kGreaterOrEqual: return value >= threshold;
    case Comparison::kLessThan: return value < threshold;
    case Comparison::kLessOrEqual: return value <= threshold;
  }
  return false;
}

Result<AlarmRule> parse_alarm_rule(const json::value& document) {
  if (!document.is_object()) {
    return std::unexpected(bad("document", "must be a JSON object"));
  }
  AlarmRule rule;
  const json::object& object = document.get_object();
  if (!object.contains("name")) return std::unexpected(bad("name", "is required"));
  if (!object.contains("metric")) return std::unexpected(bad("metric", "is required"));
  if (!object.contains("threshold")) return std::unexpected(bad("threshold", "is required"));
  if (!object.contains("comparison")) return std::unexpected(bad("comparison", "is required"));
  CV_TRY(apply(rule, object));
  CV_TRY(validate(rule));
  return rule;
}

Result<AlarmRule> amend_alarm_rule(const AlarmRule& rule, const json::object& changes) {
  AlarmRule amended = rule;
  if (changes.contains("name")) return std::unexpected(bad("name", "cannot be changed"));
  CV_TRY(apply(amended, changes));
  CV_TRY(validate(amended));
  return amended;
}

json::object alarm_rule_json(const AlarmRule& rule) {
  json::object object;
  object["name"] = rule.name;
  if (!rule.description.empty()) object["description"] = rule.description;
  object["metric"] = rule.query.selector.metric;
  if (!rule.query.selector.labels.empty()) object["labels"] = labels_json(rule.query.selector.labels);
  object["statistic"] = statistic_name(rule.query.statistic, rule.query.percentile);
  if (rule.query.denominator) {
    object["over"] = rule.query.denominator->metric;
    if (!rule.query.denominator->labels.empty()) {
      object["over_labels"] = labels_json(rule.query.denominator->labels);
    }
  }
  object["period_seconds"] = rule.period_seconds;
  object["evaluation_periods"] = rule.evaluation_periods;
  object["datapoints_to_alarm"] = rule.datapoints_to_alarm;
  object["comparison"] = comparison_name(rule.comparison);
  object["threshold"] = rule.threshold;
  object["treat_missing_data"] = missing_data_name(rule.treat_missing);
  json::array targets;
  for (const std::string& target : rule.targets) targets.emplace_back(target);
  object["targets"] = std::move(targets);
  if (!rule.unit.empty()) object["unit"] = rule.unit;
  object["enabled"] = rule.enabled;
  return object;
}

std::string comparison_name(Comparison comparison) {
  switch (comparison) {
    case Comparison::kGreaterThan: return "GreaterThanThreshold";
    case Comparison::kGreaterOrEqual: return "GreaterThanOrEqualToThreshold";
    case Comparison::kLessThan: return "LessThanThreshold";
    case Comparison::kLessOrEqual: return "LessThanOrEqualToThreshold";
  }
  return "GreaterThanThreshold";
}

std::string comparison_words(Comparison comparison) {
  switch (comparison) {
    case Comparison::kGreaterThan: return "greater than";
    case Comparison::kGreaterOrEqual: return "greater than or equal to";
    case Comparison::kLessThan: return "less than";
    case Comparison::kLessOrEqual: return "less than or equal to";
  }
  return "greater than";
}

std::string missing_data_name(MissingData missing) {
  switch (missing) {
    case MissingData::kMissing: return "missing";
    case MissingData::kNotBreaching: return "notBreaching";
    case MissingData::kBreaching: return "breaching";
    case MissingData::kIgnore: return "ignore";
  }
  return "missing";
}

std::string format_value(const AlarmRule& rule, double value) {
  char text[64];
  if (rule.unit == "ratio") {
    std::snprintf(text, sizeof text, "%.3g%%", value * 100);
  } else if (rule.unit == "seconds") {
    if (value >= 3600) {
      std::snprintf(text, sizeof text, "%.3g h", value / 3600);
    } else if (value >= 60) {
      std::snprintf(text, sizeof text, "%.3g min", value / 60);
    } else {
      std::snprintf(text, sizeof text, "%.3g s", value);
    }
  } else if (rule.unit == "bytes") {
    static constexpr const char* kUnits[] = {"bytes", "kB", "MB", "GB", "TB", "PB"};
    size_t unit = 0;
    while (std::fabs(value) >= 1000 && unit + 1 < std::size(kUnits)) {
      value /= 1000;
      ++unit;
    }
    std::snprintf(text, sizeof text, "%.3g %s", value, kUnits[unit]);
  } else if (rule.unit.empty()) {
    std::snprintf(text, sizeof text, "%.6g", value);
  } else {
    std::snprintf(text, sizeof text, "%.6g %s", value, rule.unit.c_str());
  }
  return text;
}

}  // namespace cv::workers::alarms
