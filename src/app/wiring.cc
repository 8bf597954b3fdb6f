#include "app/wiring.h"

#include <cmath>

namespace cv::app {

vault::VaultOptions vault_options_from(const Config& config) {
  vault::VaultOptions options;
  options.inline_threshold = config.inline_threshold;
  options.region = config.region;
  options.lifecycle_day_ns = std::llround(config.lifecycle_day_seconds * 1e9);
  options.block_public_access_default = config.access.block_public_access_default;
  return options;
}

TierFolders tier_folders_from(const Config& config) {
  return TierFolders{config.standard_ia_dir, config.glacier_dir};
}

StoreOptions store_options_from(const Config& config) {
  StoreOptions options;
  options.tiers = tier_folders_from(config);
  options.master_key_file = config.master_key_file;
  options.blob = config.blob;
  options.meta_url = config.meta_url;
  return options;
}

console::ConsoleOptions console_options_from(const Config& config) {
  console::ConsoleOptions options;
  options.sign_in_throttle = config.sign_in_throttle;
  return options;
}

}  // namespace cv::app
