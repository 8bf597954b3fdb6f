#include "workers/notify/targets/chat_targets.h"

#include <boost/json.hpp>

#include "workers/notify/targets/http_post.h"
#include "workers/notify/targets/message_text.h"

namespace cv::workers::notify {
namespace {

// At most `limit` bytes of `text`, cut on a UTF-8 character boundary, with "…" when cut.
std::string clip(std::string_view text, size_t limit) {
  if (text.size() <= limit) return std::string(text);
  size_t end = limit - 3;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end)) + "\xE2\x80\xA6";
}

// Slack reads &, < and > as markup (<!channel> notifies everyone), so they are escaped.
std::string slack_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

bool is_detail(const std::string& label) {
  return label != "What" && label != "When" && label != "Link";
}

// A digest's versions, one line each after `bullet` (empty for other messages).
std::string listed(const NotificationMessage& message, std::string_view bullet) {
  std::string text;
  for (const std::string& line : digest_lines(message)) {
    if (!text.empty()) text += '\n';
    text += std::string(bullet) + line;
  }
  return text;
}

}  // namespace

std::string slack_payload(const NotificationMessage& message) {
  const std::string title = headline(message);
  const std::string shown = message.console_url.empty() ? "*" + slack_escape(title) + "*"
                                                        : "*<" + slack_escape(message.console_url) +
                                                              "|" + slack_escape(title) + ">*";
  boost::json::array fields;
  std::string when;
  for (const auto& [label, value] : summary_fields(message)) {
    if (label == "When") when = value;
    if (!is_detail(label) || fields.size() == 10) continue;
    fields.push_back(
        {{"type", "mrkdwn"}, {"text", clip("*" + label + "*\n" + slack_escape(value), 2000)}});
  }
  boost::json::array blocks;
  blocks.push_back(
      {{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", clip(shown, 3000)}}}});
  if (!fields.empty()) blocks.push_back({{"type", "section"}, {"fields", std::move(fields)}});
  if (const std::string list = listed(message, "\xE2\x80\xA2 "); !list.empty()) {
    blocks.push_back({{"type", "section"},
                      {"text", {{"type", "mrkdwn"}, {"text", clip(slack_escape(list), 3000)}}}});
  }
  std::string context = "CloudVault · " + slack_escape(message.event_name);
  if (!when.empty()) context += " · " + when;
  blocks.push_back({{"type", "context"},
                    {"elements", boost::json::array{{{"type", "mrkdwn"}, {"text", context}}}}});
  return boost::json::serialize(
      boost::json::object{{"text", clip(title, 3000)}, {"blocks", std::move(blocks)}});
}

std::string discord_payload(const NotificationMessage& message) {
  boost::json::array fields;
  for (const auto& [label, value] : summary_fields(message)) {
    if (!is_detail(label) || label == "Key") continue;
    fields.push_back({{"name", clip(label, 256)},
                      {"value", clip(value, 1024)},
                      {"inline", label != "ETag" && label != "Version"}});
  }
  boost::json::object embed{
      {"title", clip(message.key.empty() ? message.bucket : message.key, 256)},
      {"color", 0x2F80ED},
      {"fields", std::move(fields)},
      {"footer", {{"text", clip("CloudVault · " + message.event_name, 2048)}}}};
  if (const std::string list = listed(message, ""); !list.empty()) {
    embed["description"] = clip(list, 4096);
  }
  if (!message.console_url.empty()) embed["url"] = message.console_url;
  if (message.time.time_since_epoch().count() != 0) {
    embed["timestamp"] = format_iso8601(message.time);
  }
  return boost::json::serialize(
      boost::json::object{{"content", clip(headline(message), 2000)},
                          {"embeds", boost::json::array{std::move(embed)}},
                          {"allowed_mentions", {{"parse", boost::json::array{}}}}});
}

ChatWebhookTarget::ChatWebhookTarget(TargetSettings settings) : settings_(std::move(settings)) {}

DeliveryResult ChatWebhookTarget::deliver(const NotificationMessage& message) {
  const std::string body =
      settings_.type == TargetType::kDiscord ? discord_payload(message) : slack_payload(message);
  return post_json({.target = settings_.name,
                    .url = settings_.url,
                    .body = body,
                    .timeout = settings_.timeout,
                    .verify_tls = settings_.verify_tls,
                    .pool = &handles_});
}

}  // namespace cv::workers::notify
