#include "app/sealed_values.h"

#include "core/encoding.h"
#include "core/seal.h"

namespace cv::app {
namespace {

constexpr std::string_view kContext = "cloudvault:config-secret";

Status open_in_place(std::string& value, std::string_view master_key, const std::string& where) {
  if (!is_sealed_value(value)) return {};
  value = CV_TRY(open_value(master_key, value, where));
  return {};
}

}  // namespace

bool is_sealed_value(std::string_view value) { return value.starts_with(kSealedPrefix); }

bool has_sealed_value(const workers::notify::TargetSettings& settings) {
  return is_sealed_value(settings.url) || is_sealed_value(settings.secret) ||
         is_sealed_value(settings.password);
}

std::string seal_value(std::string_view master_key, std::string_view secret) {
  return std::string(kSealedPrefix) + base64_encode(seal(master_key, secret, kContext));
}

Result<std::string> open_value(std::string_view master_key, std::string_view value,
                               std::string_view where) {
  if (!is_sealed_value(value)) return std::string(value);
  const auto bytes = base64_decode(value.substr(kSealedPrefix.size()));
  auto opened = bytes ? unseal(master_key, *bytes, kContext) : Result<std::string>();
  if (!bytes || !opened) {
    return fail(ErrorCode::kInvalidArgument,
                std::string(where) +
                    " is sealed under another master key or damaged (seal it again with "
                    "`cloudvault admin notify seal`)");
  }
  return opened;
}

Status open_sealed_values(std::vector<workers::notify::TargetSettings>& targets,
                          std::string_view master_key) {
  for (workers::notify::TargetSettings& target : targets) {
    if (!has_sealed_value(target)) continue;
    const std::string section = "notify.targets." + target.name;
    CV_TRY(open_in_place(target.url, master_key, section + ": url"));
    CV_TRY(open_in_place(target.secret, master_key, section + ": secret"));
    CV_TRY(open_in_place(target.password, master_key, section + ": password"));
    CV_TRY(workers::notify::validate(target));
  }
  return {};
}

Status open_sealed_values(Config& config, std::string_view master_key) {
  CV_TRY(open_sealed_values(config.notify_targets, master_key));
  for (ReplicationRemote& remote : config.replication_remotes) {
    const std::string section = "replication.remotes." + remote.name;
    CV_TRY(open_in_place(remote.access_key, master_key, section + ": access_key"));
    CV_TRY(open_in_place(remote.secret_key, master_key, section + ": secret_key"));
  }
  return {};
}

}  // namespace cv::app
