// What `cloudvault server` and the `cloudvault trail` verbs need to write or read the audit
// trail: the account id, the folder and the signing key (app/trail_identity.h), and the
// writer's options from [trail].
#pragma once

#include <filesystem>
#include <string>

#include "app/config.h"
#include "audit/trail_writer.h"
#include "core/ed25519.h"
#include "core/error.h"

namespace cv::app {

struct TrailSetup {
  std::string account_id;
  std::filesystem::path folder;  // [trail] folder, else <data>/trail
  SigningKey key;
};

Result<TrailSetup> trail_setup(const Config& config);
audit::TrailWriterOptions trail_writer_options(const Config& config, const TrailSetup& setup);

}  // namespace cv::app
