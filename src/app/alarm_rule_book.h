// The alarm rules in force: the shipped ones (workers/alarms/default_alarms.h) with the
// configuration's [alarms.defaults.NAME] changes and [alarms] notify targets, the
// configuration's [alarms.rules.NAME], and the rules stored with `cloudvault admin alarm put`.
// A stored rule replaces a shipped or configured rule of the same name (so `admin alarm put`
// can tune or turn off a shipped alarm at run time; `admin alarm delete` brings the original
// back). Thread-safe: reads the store on every call.
#pragma once

#include <string>
#include <vector>

#include "app/alarm_config.h"
#include "meta/meta_store.h"
#include "workers/alarms/alarm_rule.h"

namespace cv::app {

class AlarmRuleBook {
 public:
  // `store` must outlive this.
  AlarmRuleBook(AlarmSettings settings, meta::MetaStore& store);

  // Every rule, ordered by name. A stored document that no longer parses is skipped (and
  // reported by stored_rules()).
  Result<std::vector<workers::alarms::AlarmRule>> current() const;
  // The shipped and configured rules, without the store.
  std::vector<workers::alarms::AlarmRule> fixed() const;
  // The stored rules, parsed; a bad document is an error naming the rule.
  Result<std::vector<workers::alarms::AlarmRule>> stored_rules() const;

 private:
  AlarmSettings settings_;
  meta::MetaStore& store_;
};

}  // namespace cv::app
