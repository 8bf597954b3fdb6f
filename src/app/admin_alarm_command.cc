// `cloudvault admin alarm put | list | delete | history` (issue 15): the alarm rules kept in
// the metadata store beside the shipped and configured ones (app/alarm_rule_book.h). put
// builds a rule from flags (or takes its JSON document with --json FILE, "-" for standard
// input), checks it and its targets, and stores it; a running server uses it from its next
// sample on. list prints every rule in force with its state as JSON lines (the console's
// Alarm shape); history prints state changes, newest first, as JSON lines.
#include <boost/json.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <set>

#include "app/admin_support.h"
#include "app/alarm_rule_book.h"
#include "app/commands.h"
#include "app/operations_view.h"
#include "app/wiring.h"
#include "core/clock.h"

namespace cv::app {
namespace {

namespace json = boost::json;

int report(const Error& error, int code = 1) {
  std::fprintf(stderr, "cloudvault: %s\n", error.message.c_str());
  return code;
}

Result<json::object> labels_of(const std::vector<std::string>& pairs, std::string_view flag) {
  json::object labels;
  for (const std::string& pair : pairs) {
    const size_t equals = pair.find('=');
    if (equals == std::string::npos || equals == 0) {
      return fail(ErrorCode::kInvalidArgument,
                  std::string(flag) + " takes NAME=VALUE (got \"" + pair + "\")");
    }
    labels[pair.substr(0, equals)] = pair.substr(equals + 1);
  }
  return labels;
}

Result<json::object> document_of(const AlarmAdminArgs& args) {
  if (args.json_file) {
    std::string text;
    if (*args.json_file == "-") {
      text.assign(std::istreambuf_iterator<char>(std::cin), {});
    } else {
      std::ifstream file(*args.json_file);
      if (!file) return fail(ErrorCode::kInvalidArgument, "cannot read " + *args.json_file);
      text.assign(std::istreambuf_iterator<char>(file), {});
    }
    json::error_code error;
    json::value parsed = json::parse(text, error);
    if (error || !parsed.is_object()) {
      return fail(ErrorCode::kInvalidArgument, "the alarm rule must be a JSON object");
    }
    json::object document = std::move(parsed.as_object());
    if (!document.contains("name")) document["name"] = args.name;
    if (document["name"] != json::value(args.name)) {
      return fail(ErrorCode::kInvalidArgument, "the document's name differs from " + args.name);
    }
    return document;
  }
  json::object document;
  document["name"] = args.name;
  if (args.metric) document["metric"] = *args.metric;
  if (!args.labels.empty()) document["labels"] = CV_TRY(labels_of(args.labels, "--label"));
  if (args.statistic) document["statistic"] = *args.statistic;
  if (args.over) document["over"] = *args.over;
  if (!args.over_labels.empty()) {
    document["over_labels"] = CV_TRY(labels_of(args.over_labels, "--over-label"));
  }
  if (args.period_seconds) document["period_seconds"] = *args.period_seconds;
  if (args.evaluation_periods) document["evaluation_periods"] = *args.evaluation_periods;
  if (args.datapoints_to_alarm) document["datapoints_to_alarm"] = *args.datapoints_to_alarm;
  if (args.comparison) document["comparison"] = *args.comparison;
  if (args.threshold) document["threshold"] = *args.threshold;
  if (args.treat_missing_data) document["treat_missing_data"] = *args.treat_missing_data;
  if (args.description) document["description"] = *args.description;
  if (args.unit) document["unit"] = *args.unit;
  json::array targets;
  for (const std::string& target : args.targets) targets.emplace_back(target);
  document["targets"] = std::move(targets);
  document["enabled"] = !args.disabled;
  return document;
}

// Every target must exist: in the configuration file or added with `admin notify add`.
Status check_targets(const Config& config, meta::MetaStore& store,
                     const workers::alarms::AlarmRule& rule) {
  std::set<std::string> known;
  for (const auto& target : config.notify_targets) known.insert(target.name);
  for (const meta::NotifyTarget& target : CV_TRY(store.list_notify_targets())) {
    known.insert(target.name);
  }
  for (const std::string& target : rule.targets) {
    if (!known.contains(target)) {
      return fail(ErrorCode::kInvalidArgument,
                  "no notification target named \"" + target +
                      "\" (see `cloudvault admin notify list`)");
    }
  }
  return {};
}

}  // namespace

int admin_alarm(const Config& config, const AlarmAdminArgs& args) {
  return with_locked_stores(config, [&](Stores& stores) {
    meta::MetaStore& store = *stores.meta;
    AlarmRuleBook rules(config.alarms, store);
    SystemClock clock;
    if (args.verb == "put") {
      auto document = document_of(args);
      if (!document) return report(document.error(), 2);
      auto rule = workers::alarms::parse_alarm_rule(*document);
      if (!rule) return report(rule.error(), 2);
      if (auto known = check_targets(config, store, *rule); !known) return report(known.error(), 2);
      const std::string text = json::serialize(workers::alarms::alarm_rule_json(*rule));
      if (auto stored = store.put_alarm_rule({rule->name, text, to_unix_nanos(clock.now())});
          !stored) {
        return report(stored.error());
      }
      print_json(json::parse(text));
      return 0;
    }
    if (args.verb == "delete") {
      auto removed = store.delete_alarm_rule(args.name);
      if (!removed) return report(removed.error());
      if (!*removed) {
        for (const auto& rule : rules.fixed()) {
          if (rule.name == args.name) {
            return report(Error{ErrorCode::kInvalidArgument,
                                "\"" + args.name + "\" is a " +
                                    (rule.source == "default" ? "shipped" : "configured") +
                                    " alarm: turn it off with [alarms." +
                                    (rule.source == "default" ? "defaults." : "rules.") +
                                    args.name + "] enabled = false, or with `admin alarm put " +
                                    args.name + " ... --disabled`"},
                          2);
          }
        }
        return report(Error{ErrorCode::kInvalidArgument, "no stored alarm named \"" + args.name + "\""}, 2);
      }
      return 0;
    }
    OperationsView view(store, rules, clock, config.alarms.sample_seconds,
                        config.alarms.history_hours);
    if (args.verb == "list") {
      auto listed = view.alarms();
      if (!listed) return report(listed.error());
      for (const json::value& alarm : listed->as_object()["alarms"].as_array()) print_json(alarm);
      return 0;
    }
    if (args.verb == "history") {
      auto history = view.alarm_history(args.name, args.limit);
      if (!history) return report(history.error());
      for (const json::value& entry : history->as_object()["history"].as_array()) {
        print_json(entry);
      }
      return 0;
    }
    return report(Error{ErrorCode::kInvalidArgument, "unknown alarm verb " + args.verb}, 2);
  });
}

}  // namespace cv::app
