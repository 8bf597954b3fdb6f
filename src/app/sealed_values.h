// Secrets of the configuration file sealed under the master key, so that no plain secret need
// sit in the file: `secret = "sealed:<base64>"` where <base64> is cv::seal(master key, secret,
// "cloudvault:config-secret"). `cloudvault admin notify seal` makes one from standard input.
// Accepted for [notify.targets.NAME] url, secret and password, and for
// [replication.remotes.NAME] access_key and secret_key.
//
// A sealed value opens only with the master key it was sealed under: after `cloudvault admin
// key rotate-master` it must be sealed again (the file is not rewritten); until then the
// server refuses to start, naming the value.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "app/config.h"
#include "core/error.h"

namespace cv::app {

inline constexpr std::string_view kSealedPrefix = "sealed:";

bool is_sealed_value(std::string_view value);
// Whether any of the target's url, secret and password is sealed.
bool has_sealed_value(const workers::notify::TargetSettings& settings);

// "sealed:..." for `secret`. `master_key` must be 32 bytes.
std::string seal_value(std::string_view master_key, std::string_view secret);
// The secret of a sealed value; any other value as it is. InvalidArgument naming `where` when
// it does not open with `master_key` (sealed under another key, or damaged).
Result<std::string> open_value(std::string_view master_key, std::string_view value,
                               std::string_view where);

// Opens the sealed values of every target in place and validates the targets that had one
// (workers::notify::validate); InvalidArgument naming the target and key.
Status open_sealed_values(std::vector<workers::notify::TargetSettings>& targets,
                          std::string_view master_key);
// The same for the targets and the replication remotes of a configuration.
Status open_sealed_values(Config& config, std::string_view master_key);

}  // namespace cv::app
