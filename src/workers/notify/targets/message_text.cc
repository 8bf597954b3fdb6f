#include "workers/notify/targets/message_text.h"

#include <cstdio>
#include <ctime>

#include "core/encoding.h"

namespace cv::workers::notify {
namespace {

std::string_view short_name(std::string_view event_name) {
  if (event_name.starts_with("s3:")) event_name.remove_prefix(3);
  if (event_name.starts_with("cloudvault:")) event_name.remove_prefix(11);
  return event_name;
}

struct Phrase {
  std::string_view verb;
  std::string_view preposition;  // to / from / in
  bool with_size;
};

Phrase phrase_for(std::string_view name) {
  if (name == "ObjectCreated:Copy") return {"Copied", "to", true};
  if (name.starts_with("ObjectCreated:")) return {"Uploaded", "to", true};
  if (name == "ObjectRemoved:DeleteMarkerCreated") return {"Deleted", "from", false};
  if (name.starts_with("ObjectRemoved:")) return {"Deleted", "from", false};
  if (name == "ObjectRestore:Post") return {"Restore requested for", "in", false};
  if (name == "ObjectRestore:Completed") return {"Restored", "in", true};
  if (name == "ObjectRestore:Delete") return {"Restored copy expired for", "in", false};
  if (name.starts_with("LifecycleTransition")) return {"Moved to a colder tier:", "in", true};
  if (name.starts_with("LifecycleExpiration:")) return {"Expired", "in", false};
  if (name.starts_with("ObjectTagging:Put")) return {"Tagged", "in", false};
  if (name.starts_with("ObjectTagging:")) return {"Removed the tags of", "in", false};
  if (name.starts_with("Replication:OperationFailed")) return {"Backup failed for", "in", true};
  if (name.starts_with("Replication:")) return {"Backed up", "from", true};
  return {"Changed", "in", false};
}

std::string with_thousands(uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace

std::string human_size(uint64_t bytes) {
  if (bytes == 1) return "1 byte";
  if (bytes < 1000) return std::to_string(bytes) + " bytes";
  static constexpr const char* kUnits[] = {"kB", "MB", "GB", "TB", "PB", "EB"};
  double value = static_cast<double>(bytes) / 1000;
  size_t unit = 0;
  while (value >= 999.95 && unit + 1 < std::size(kUnits)) {
    value /= 1000;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, value < 9.95 ? "%.1f %s" : "%.0f %s", value, kUnits[unit]);
  return text;
}

bool is_test_event(const NotificationMessage& message) {
  return short_name(message.event_name) == "TestEvent";
}

std::string headline(const NotificationMessage& message) {
  if (message.alarm) {
    const AlarmNotice& alarm = *message.alarm;
    if (alarm.new_state == "ALARM") {
      return "ALARM: " + alarm.name + (alarm.description.empty() ? "" : " - " + alarm.description);
    }
    return alarm.new_state + ": " + alarm.name + " is back to normal";
  }
  if (message.digest) {
    const size_t count = message.digest->entries.size();
    std::string line = "Backed up ";
    line += with_thousands(count);
    line += count == 1 ? " object (" : " objects (";
    line += human_size(message.digest->bytes) + ") from " + message.bucket;
    if (!message.destination.empty()) line += " to " + message.destination;
    return line;
  }
  if (is_test_event(message)) {
    return message.bucket.empty() ? "CloudVault test notification"
                                  : "CloudVault test notification for " + message.bucket;
  }
  const Phrase phrase = phrase_for(short_name(message.event_name));
  std::string line = std::string(phrase.verb) + " " + message.key + " " +
                     std::string(phrase.preposition) + " " + message.bucket;
  if (phrase.with_size) line += " (" + human_size(message.size) + ")";
  if (!message.destination.empty()) line += " to " + message.destination;
  return line;
}

std::string format_when(TimePoint time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char text[40];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &parts);
  return text;
}

std::vector<std::pair<std::string, std::string>> summary_fields(
    const NotificationMessage& message) {
  std::vector<std::pair<std::string, std::string>> fields;
  auto add = [&](std::string label, std::string value) {
    if (!value.empty()) fields.emplace_back(std::move(label), std::move(value));
  };
  if (message.alarm) {
    const AlarmNotice& alarm = *message.alarm;
    add("What", "Alarm " + alarm.new_state);
    add("Alarm", alarm.name);
    add("Watches", alarm.description);
    add("State", alarm.old_state + " -> " + alarm.new_state);
    if (alarm.since.time_since_epoch().count() != 0) {
      add(alarm.new_state == "ALARM" ? "Since" : "In alarm since", format_when(alarm.since));
    }
    add("Value", alarm.value + " (alarms when " + alarm.comparison + " " + alarm.threshold + ")");
    add("Metric", alarm.metric);
    add("Reason", alarm.reason);
    if (message.time.time_since_epoch().count() != 0) add("When", format_when(message.time));
    add("Dashboard", alarm.dashboard_url);
    return fields;
  }
  add("What", std::string(short_name(message.event_name)));
  add("Bucket", message.bucket);
  add("Backed up to", message.destination);
  if (message.digest) {
    add("Objects", with_thousands(message.digest->entries.size()));
    add("Size", human_size(message.digest->bytes) +
                    (message.digest->bytes >= 1000
                         ? " (" + with_thousands(message.digest->bytes) + " bytes)"
                         : ""));
    add("Period", format_when(message.digest->window_start) + " to " +
                      format_when(message.digest->window_end));
    add("Link", message.console_url);
    return fields;
  }
  add("Key", message.key);
  if (!is_test_event(message)) {
    add("Size", human_size(message.size) +
                    (message.size >= 1000 ? " (" + with_thousands(message.size) + " bytes)" : ""));
  }
  if (message.version_id != "null") add("Version", message.version_id);
  add("ETag", message.etag);
  add("By", message.principal);
  if (message.time.time_since_epoch().count() != 0) add("When", format_when(message.time));
  add("Link", message.console_url);
  return fields;
}

std::vector<std::string> digest_lines(const NotificationMessage& message) {
  std::vector<std::string> lines;
  if (!message.digest) return lines;
  const std::vector<DigestEntry>& entries = message.digest->entries;
  for (size_t i = 0; i < entries.size() && i < kDigestListed; ++i) {
    lines.push_back(entries[i].key + " (" + human_size(entries[i].size) + ")");
  }
  if (entries.size() > kDigestListed) {
    std::string more = "and ";
    more += with_thousands(entries.size() - kDigestListed);
    lines.push_back(more + " more");
  }
  return lines;
}

std::string console_object_url(std::string_view public_url, std::string_view bucket,
                               std::string_view key) {
  if (public_url.empty()) return {};
  while (public_url.ends_with('/')) public_url.remove_suffix(1);
  std::string url = std::string(public_url) + "/_console/#/b/" + uri_encode(bucket) + "/";
  const size_t slash = key.rfind('/');
  if (slash == std::string_view::npos) return url;
  std::string_view folder = key.substr(0, slash + 1);
  size_t start = 0;
  while (start < folder.size()) {
    const size_t end = folder.find('/', start);
    url += uri_encode(folder.substr(start, end - start)) + "/";
    start = end + 1;
  }
  return url;
}

}  // namespace cv::workers::notify
