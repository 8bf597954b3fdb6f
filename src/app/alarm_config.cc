#include "app/alarm_config.h"

#include <algorithm>
#include <sstream>
#include <toml++/toml.h>

#include "workers/alarms/default_alarms.h"

namespace cv::app {
namespace {

Error bad(const std::string& key, const std::string& why) {
  return Error{ErrorCode::kInvalidArgument, key + " " + why, key};
}

}  // namespace

boost::json::value toml_to_json(const toml::node& node) {
  if (const auto* table = node.as_table()) {
    boost::json::object object;
    for (const auto& [key, value] : *table) object[std::string(key.str())] = toml_to_json(value);
    return object;
  }
  if (const auto* array = node.as_array()) {
    boost::json::array list;
    for (const toml::node& value : *array) list.push_back(toml_to_json(value));
    return list;
  }
  if (auto text = node.value<std::string>(); text && node.is_string()) return boost::json::string(*text);
  if (node.is_integer()) return node.value<int64_t>().value_or(0);
  if (node.is_floating_point()) return node.value<double>().value_or(0);
  if (node.is_boolean()) return node.value<bool>().value_or(false);
  // Dates and times: their TOML text.
  if (auto date = node.value<toml::date>()) {
    std::ostringstream text;
    text << *date;
    return boost::json::string(text.str());
  }
  return nullptr;
}

Status load_alarm_settings(const toml::table& root, AlarmSettings& settings) {
  settings.sample_seconds = root["metrics"]["sample_seconds"].value_or(settings.sample_seconds);
  if (settings.sample_seconds < 1 || settings.sample_seconds > 3600) {
    return std::unexpected(bad("metrics.sample_seconds", "must be 1-3600"));
  }
  settings.history_hours = root["metrics"]["history_hours"].value_or(settings.history_hours);
  if (settings.history_hours < 1 || settings.history_hours > 720) {
    return std::unexpected(bad("metrics.history_hours", "must be 1-720"));
  }
  const toml::table* alarms = root["alarms"].as_table();
  if (alarms == nullptr) return {};
  for (const auto& [key_view, value] : *alarms) {
    const std::string key(key_view.str());
    if (key == "enabled") {
      if (!value.is_boolean()) return std::unexpected(bad("alarms.enabled", "must be true or false"));
      settings.enabled = *value.value<bool>();
    } else if (key == "notify") {
      const toml::array* list = value.as_array();
      if (list == nullptr) return std::unexpected(bad("alarms.notify", "must be a list of target names"));
      for (const toml::node& target : *list) {
        auto name = target.value<std::string>();
        if (!name || name->empty()) {
          return std::unexpected(bad("alarms.notify", "must be a list of target names"));
        }
        settings.notify.push_back(*name);
      }
    } else if (key == "defaults") {
      const toml::table* defaults = value.as_table();
      if (defaults == nullptr) return std::unexpected(bad("alarms.defaults", "must be a table"));
      const std::vector<workers::alarms::AlarmRule> shipped = workers::alarms::default_alarms();
      for (const auto& [name_view, changes] : *defaults) {
        const std::string name(name_view.str());
        const std::string where = "alarms.defaults." + name;
        auto rule = std::find_if(shipped.begin(), shipped.end(),
                                 [&](const auto& candidate) { return candidate.name == name; });
        if (rule == shipped.end()) {
          return std::unexpected(bad(where, "is not a shipped alarm (see `cloudvault admin alarm list`)"));
        }
        if (!changes.is_table()) return std::unexpected(bad(where, "must be a table"));
        boost::json::object object = toml_to_json(changes).as_object();
        if (auto amended = workers::alarms::amend_alarm_rule(*rule, object); !amended) {
          return std::unexpected(bad(where + ":", amended.error().message));
        }
        settings.default_changes[name] = std::move(object);
      }
    } else if (key == "rules") {
      const toml::table* rules = value.as_table();
      if (rules == nullptr) return std::unexpected(bad("alarms.rules", "must be a table"));
      for (const auto& [name_view, body] : *rules) {
        const std::string name(name_view.str());
        const std::string where = "alarms.rules." + name;
        if (!body.is_table()) return std::unexpected(bad(where, "must be a table"));
        boost::json::object object = toml_to_json(body).as_object();
        object["name"] = name;
        auto rule = workers::alarms::parse_alarm_rule(object);
        if (!rule) return std::unexpected(bad(where + ":", rule.error().message));
        rule->source = "config";
        settings.rules.push_back(std::move(*rule));
      }
    } else {
      return std::unexpected(bad("alarms." + key, "is not an [alarms] setting"));
    }
  }
  return {};
}

}  // namespace cv::app
