#include "app/stored_targets.h"

#include <boost/json.hpp>

#include "core/seal.h"

namespace cv::app {
namespace {

namespace json = boost::json;
using workers::notify::TargetSettings;

std::string string_at(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->get_string()) : "";
}

Result<json::object> parse_object(std::string_view text, const std::string& what) {
  json::error_code error;
  json::value value = json::parse(text, error);
  if (error || !value.is_object()) {
    return fail(ErrorCode::kInternalError, "the stored " + what + " is not a JSON object");
  }
  return std::move(value.get_object());
}

}  // namespace

std::string notify_target_seal_context(std::string_view name) {
  return "cloudvault:notify-target:" + std::string(name);
}

meta::NotifyTarget seal_notify_target(const TargetSettings& settings, std::string_view master_key,
                                      int64_t created_ns) {
  json::array to;
  for (const std::string& address : settings.to) to.emplace_back(address);
  const json::object plain{{"from", settings.from},
                           {"to", std::move(to)},
                           {"username", settings.username},
                           {"timeout_seconds", settings.timeout.count()},
                           {"verify_tls", settings.verify_tls}};
  const json::object secrets{
      {"url", settings.url}, {"secret", settings.secret}, {"password", settings.password}};
  return meta::NotifyTarget{
      settings.name, std::string(workers::notify::target_type_name(settings.type)),
      json::serialize(plain),
      seal(master_key, json::serialize(secrets), notify_target_seal_context(settings.name)),
      created_ns};
}

Result<TargetSettings> open_notify_target(const meta::NotifyTarget& record,
                                          std::string_view master_key) {
  const std::string what = "notification target \"" + record.name + "\"";
  TargetSettings settings;
  settings.name = record.name;
  const workers::notify::TargetType* type = workers::notify::parse_target_type(record.type);
  if (type == nullptr) {
    return fail(ErrorCode::kInternalError, "the stored " + what + " has an unknown type");
  }
  settings.type = *type;
  const json::object plain = CV_TRY(parse_object(record.settings, what + "'s settings"));
  settings.from = string_at(plain, "from");
  settings.username = string_at(plain, "username");
  if (const json::value* to = plain.if_contains("to"); to != nullptr && to->is_array()) {
    for (const json::value& address : to->get_array()) {
      if (address.is_string()) settings.to.emplace_back(address.get_string());
    }
  }
  if (const json::value* timeout = plain.if_contains("timeout_seconds");
      timeout != nullptr && timeout->is_int64()) {
    settings.timeout = std::chrono::seconds(timeout->get_int64());
  }
  if (const json::value* verify = plain.if_contains("verify_tls");
      verify != nullptr && verify->is_bool()) {
    settings.verify_tls = verify->get_bool();
  }
  auto opened = unseal(master_key, record.sealed_secrets, notify_target_seal_context(record.name));
  if (!opened) {
    return fail(ErrorCode::kInternalError,
                "the secrets of the stored " + what + " do not open with the master key");
  }
  const json::object secrets = CV_TRY(parse_object(*opened, what + "'s secrets"));
  settings.url = string_at(secrets, "url");
  settings.secret = string_at(secrets, "secret");
  settings.password = string_at(secrets, "password");
  return settings;
}

Result<std::vector<TargetSettings>> load_stored_targets(meta::MetaStore& meta,
                                                        std::string_view master_key) {
  std::vector<TargetSettings> targets;
  for (const meta::NotifyTarget& record : CV_TRY(meta.list_notify_targets())) {
    targets.push_back(CV_TRY(open_notify_target(record, master_key)));
  }
  return targets;
}

}  // namespace cv::app
