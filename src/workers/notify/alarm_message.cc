#include "workers/notify/alarm_message.h"

#include <boost/json.hpp>

#include "core/clock.h"
#include "workers/alarms/alarm_engine.h"

namespace cv::workers::notify {
namespace {

namespace json = boost::json;

std::optional<json::object> detail_of(const meta::Event& event) {
  json::error_code error;
  json::value document = json::parse(event.detail, error);
  if (error || !document.is_object()) return std::nullopt;
  return std::move(document.get_object());
}

std::string text(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->get_string()) : "";
}

std::string period_words(int64_t seconds) {
  if (seconds % 3600 == 0) return std::to_string(seconds / 3600) + " h";
  if (seconds % 60 == 0) return std::to_string(seconds / 60) + " min";
  return std::to_string(seconds) + " s";
}

}  // namespace

bool is_alarm_event(const meta::Event& event) { return event.name == alarms::kAlarmEventName; }

std::vector<std::string> alarm_targets(const meta::Event& event) {
  std::vector<std::string> targets;
  const auto detail = detail_of(event);
  if (!detail) return targets;
  if (const json::value* list = detail->if_contains("Targets"); list && list->is_array()) {
    for (const json::value& target : list->get_array()) {
      if (target.is_string() && !target.get_string().empty()) {
        targets.emplace_back(target.get_string());
      }
    }
  }
  return targets;
}

std::optional<NotificationMessage> alarm_message(const meta::Event& event) {
  const auto detail = detail_of(event);
  if (!detail || text(*detail, "AlarmName").empty()) return std::nullopt;
  AlarmNotice alarm;
  alarm.name = text(*detail, "AlarmName");
  alarm.description = text(*detail, "AlarmDescription");
  alarm.old_state = text(*detail, "OldStateValue");
  alarm.new_state = text(*detail, "NewStateValue");
  alarm.reason = text(*detail, "NewStateReason");
  alarm.value = text(*detail, "ValueText");
  alarm.threshold = text(*detail, "ThresholdText");
  alarm.comparison = text(*detail, "Comparison");
  alarm.dashboard_url = text(*detail, "DashboardUrl");
  if (auto since = parse_iso8601(text(*detail, "Since"))) alarm.since = *since;
  if (const json::value* trigger = detail->if_contains("Trigger"); trigger && trigger->is_object()) {
    const json::object& fields = trigger->get_object();
    alarm.metric = text(fields, "Statistic") + " of " + text(fields, "Metric");
    if (const std::string over = text(fields, "Over"); !over.empty()) alarm.metric += " / " + over;
    if (const json::value* period = fields.if_contains("Period"); period && period->is_int64()) {
      alarm.metric += " over " + period_words(period->get_int64());
    }
  }
  NotificationMessage message;
  message.event_document = event.detail;
  message.event_name = event.name;
  message.time = from_unix_nanos(event.time_ns);
  message.console_url = alarm.dashboard_url;
  message.alarm = std::move(alarm);
  return message;
}

}  // namespace cv::workers::notify
