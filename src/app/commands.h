// The CLI verbs. Each returns the process exit code.
#pragma once

#include <optional>
#include <string>

#include "app/config.h"

namespace cv::app {

int run_server(const Config& config);

int admin_user_add(const Config& config, const std::string& name, const std::string& display_name,
                   const std::string& email);
int admin_key_create(const Config& config, const std::string& user_name,
                     const std::optional<std::string>& access_key,
                     const std::optional<std::string>& secret_key);
int admin_key_list(const Config& config);
int admin_key_delete(const Config& config, const std::string& access_key);

}  // namespace cv::app
