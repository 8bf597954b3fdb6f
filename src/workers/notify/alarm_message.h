// Alarm state changes as the notify consumer delivers them: the tasks an alarm event plans
// (one per target its detail names) and the NotificationMessage built from its detail (the
// alarm message workers/alarms writes).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "meta/types.h"
#include "workers/notify/targets/notification_target.h"

namespace cv::workers::notify {

// True for workers/alarms' kAlarmEventName.
bool is_alarm_event(const meta::Event& event);
// The targets the alarm's detail names (none when it cannot be read).
std::vector<std::string> alarm_targets(const meta::Event& event);
// The message for targets: event_document = the detail as written; nullopt when the detail
// is not an alarm message.
std::optional<NotificationMessage> alarm_message(const meta::Event& event);

}  // namespace cv::workers::notify
