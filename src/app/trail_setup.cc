#include "app/trail_setup.h"

#include "app/trail_identity.h"

namespace cv::app {

Result<TrailSetup> trail_setup(const Config& config) {
  std::string account_id = CV_TRY(trail_account_id(config));
  SigningKey key = CV_TRY(server_signing_key(config.data_dir));
  std::filesystem::path folder =
      config.trail.folder.empty() ? config.data_dir / "trail" : config.trail.folder;
  return TrailSetup{std::move(account_id), std::move(folder), std::move(key)};
}

audit::TrailWriterOptions trail_writer_options(const Config& config, const TrailSetup& setup) {
  audit::TrailWriterOptions options;
  options.folder = setup.folder;
  options.account_id = setup.account_id;
  options.region = config.region;
  options.roll_seconds = config.trail.roll_seconds;
  options.roll_records = static_cast<size_t>(config.trail.roll_records);
  return options;
}

}  // namespace cv::app
