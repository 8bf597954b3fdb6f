#include "app/alarm_rule_book.h"

#include <boost/json.hpp>
#include <map>

#include "workers/alarms/default_alarms.h"

namespace cv::app {

using workers::alarms::AlarmRule;

AlarmRuleBook::AlarmRuleBook(AlarmSettings settings, meta::MetaStore& store)
    : settings_(std::move(settings)), store_(store) {}

std::vector<AlarmRule> AlarmRuleBook::fixed() const {
  std::vector<AlarmRule> rules;
  for (AlarmRule rule : workers::alarms::default_alarms()) {
    rule.targets = settings_.notify;
    if (auto changes = settings_.default_changes.find(rule.name);
        changes != settings_.default_changes.end()) {
      // Validated when the configuration was read.
      if (auto amended = workers::alarms::amend_alarm_rule(rule, changes->second)) {
        rule = std::move(*amended);
      }
    }
    rules.push_back(std::move(rule));
  }
  for (const AlarmRule& rule : settings_.rules) rules.push_back(rule);
  return rules;
}

Result<std::vector<AlarmRule>> AlarmRuleBook::stored_rules() const {
  std::vector<AlarmRule> rules;
  for (const meta::AlarmRuleDocument& document : CV_TRY(store_.list_alarm_rules())) {
    boost::json::error_code error;
    const boost::json::value parsed = boost::json::parse(document.document, error);
    if (error) {
      return fail(ErrorCode::kInternalError,
                  "stored alarm rule \"" + document.name + "\" is not JSON: " + error.message());
    }
    auto rule = workers::alarms::parse_alarm_rule(parsed);
    if (!rule) {
      return fail(ErrorCode::kInternalError,
                  "stored alarm rule \"" + document.name + "\": " + rule.error().message);
    }
    rule->source = "stored";
    rules.push_back(std::move(*rule));
  }
  return rules;
}

Result<std::vector<AlarmRule>> AlarmRuleBook::current() const {
  std::map<std::string, AlarmRule> by_name;
  for (AlarmRule& rule : fixed()) by_name[rule.name] = std::move(rule);
  for (const meta::AlarmRuleDocument& document : CV_TRY(store_.list_alarm_rules())) {
    boost::json::error_code error;
    const boost::json::value parsed = boost::json::parse(document.document, error);
    if (error) continue;
    auto rule = workers::alarms::parse_alarm_rule(parsed);
    if (!rule) continue;
    rule->source = "stored";
    by_name[rule->name] = std::move(*rule);
  }
  std::vector<AlarmRule> rules;
  for (auto& [name, rule] : by_name) rules.push_back(std::move(rule));
  return rules;
}

}  // namespace cv::app
