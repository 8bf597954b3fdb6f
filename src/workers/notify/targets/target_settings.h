// What the configuration says about one notification target ([notify.targets.NAME]), checked
// by validate(). Plain data: the app layer fills it from TOML, the factory builds the target.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace cv::workers::notify {

enum class TargetType { kWebhook, kSmtp, kSlack, kDiscord };

// "webhook", "smtp", "slack", "discord".
std::string_view target_type_name(TargetType type);
// Null when `name` is none of them.
const TargetType* parse_target_type(std::string_view name);

struct TargetSettings {
  std::string name;
  TargetType type = TargetType::kWebhook;
  std::string url;     // http(s):// for webhook/slack/discord; smtp:// or smtps:// for smtp
  std::string secret;  // webhook: the HMAC-SHA256 key of the signature header
  std::string from;    // smtp: the envelope and header sender
  std::vector<std::string> to;  // smtp: the recipients (at least one)
  std::string username;         // smtp: AUTH when not empty
  std::string password;
  std::chrono::seconds timeout{10};
  bool verify_tls = true;
};

// InvalidArgument naming the target and the key when a setting cannot work: no url, a scheme
// the type does not speak, a webhook without a secret, smtp without from or to (or with an
// address that is not a bare local@domain), a username without a password, a timeout outside
// 1-600 seconds.
Status validate(const TargetSettings& settings);

// `url` without any user:password part, for listings and messages.
std::string redact_url(std::string_view url);

}  // namespace cv::workers::notify
