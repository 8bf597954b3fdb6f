// `cloudvault admin notify list | test NAME`: the notification targets of the configuration
// file. list prints one JSON object per target with its secrets reduced to "set"/"unset" and
// credentials cut out of URLs; test delivers a test message through one target now.
#include <boost/json.hpp>
#include <cstdio>

#include "app/commands.h"
#include "core/clock.h"
#include "core/encoding.h"
#include "core/ids.h"
#include "workers/notify/targets/message_text.h"
#include "workers/notify/targets/target_catalog.h"

namespace cv::app {
namespace {

using workers::notify::TargetSettings;
using workers::notify::TargetType;

void print_json(const boost::json::value& value) {
  std::printf("%s\n", boost::json::serialize(value).c_str());
  std::fflush(stdout);
}

// Slack's and Discord's webhook URLs carry their token in the last path segment.
std::string shown_url(const TargetSettings& settings) {
  std::string url = workers::notify::redact_url(settings.url);
  if (settings.type == TargetType::kSlack || settings.type == TargetType::kDiscord) {
    const size_t slash = url.rfind('/');
    if (slash != std::string::npos && slash + 1 < url.size() && url.find("://") + 2 < slash) {
      url = url.substr(0, slash + 1) + "***";
    }
  }
  return url;
}

// AWS's s3:TestEvent document, as S3 sends when a notification configuration is saved.
std::string test_event_document(TimePoint now, std::string_view request_id) {
  return boost::json::serialize(boost::json::object{{"Service", "Amazon S3"},
                                                    {"Event", "s3:TestEvent"},
                                                    {"Time", format_iso8601(now)},
                                                    {"Bucket", ""},
                                                    {"RequestId", request_id},
                                                    {"HostId", "cloudvault"}});
}

}  // namespace

int admin_notify_list(const Config& config) {
  for (const TargetSettings& target : config.notify_targets) {
    boost::json::object line{{"name", target.name},
                             {"type", workers::notify::target_type_name(target.type)},
                             {"url", shown_url(target)},
                             {"timeout_seconds", target.timeout.count()},
                             {"verify_tls", target.verify_tls}};
    if (target.type == TargetType::kWebhook)
      line["secret"] = target.secret.empty() ? "unset" : "set";
    if (target.type == TargetType::kSmtp) {
      boost::json::array to;
      for (const std::string& address : target.to) to.emplace_back(address);
      line["from"] = target.from;
      line["to"] = std::move(to);
      if (!target.username.empty()) line["username"] = target.username;
      line["password"] = target.password.empty() ? "unset" : "set";
    }
    print_json(line);
  }
  return 0;
}

int admin_notify_test(const Config& config, const std::string& name) {
  SystemClock clock;
  auto catalog = workers::notify::TargetCatalog::create(config.notify_targets, clock);
  if (!catalog) {
    std::fprintf(stderr, "cloudvault: %s\n", catalog.error().message.c_str());
    return 2;
  }
  workers::notify::NotificationTarget* target = (*catalog)->find(name);
  if (!target) {
    std::string known;
    for (const TargetSettings& entry : config.notify_targets) {
      known += (known.empty() ? "" : ", ") + entry.name;
    }
    std::fprintf(stderr, "cloudvault: no notification target named \"%s\" (configured: %s)\n",
                 name.c_str(), known.empty() ? "none" : known.c_str());
    return 1;
  }
  const TimePoint now = clock.now();
  workers::notify::NotificationMessage message;
  message.event_document = test_event_document(now, new_request_id());
  message.event_name = "s3:TestEvent";
  message.principal = "cloudvault admin notify test";
  message.time = now;
  message.console_url = console_base_url(config) + "/_console/";
  auto delivered = target->deliver(message);
  if (!delivered) {
    print_json({{"target", name},
                {"delivered", false},
                {"retryable", delivered.error().retryable()},
                {"error", delivered.error().message}});
    std::fprintf(stderr, "cloudvault: test message not delivered: %s\n",
                 delivered.error().message.c_str());
    return 1;
  }
  print_json({{"target", name}, {"delivered", true}});
  return 0;
}

}  // namespace cv::app
