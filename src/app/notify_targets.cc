#include "app/notify_targets.h"

#include <algorithm>

#include "app/stored_targets.h"

namespace cv::app {

using workers::notify::TargetSettings;

Result<std::vector<KnownTarget>> known_notify_targets(const std::vector<TargetSettings>& configured,
                                                      meta::MetaStore& meta,
                                                      std::string_view master_key) {
  std::vector<KnownTarget> known;
  for (const TargetSettings& settings : configured) {
    known.push_back(KnownTarget{settings, TargetOrigin::kConfigFile, false});
  }
  for (TargetSettings& settings : CV_TRY(load_stored_targets(meta, master_key))) {
    const bool shadowed = std::any_of(configured.begin(), configured.end(),
                                      [&](const auto& c) { return c.name == settings.name; });
    known.push_back(KnownTarget{std::move(settings), TargetOrigin::kStore, shadowed});
  }
  std::stable_sort(known.begin(), known.end(), [](const KnownTarget& a, const KnownTarget& b) {
    return a.settings.name < b.settings.name;
  });
  return known;
}

Result<std::vector<TargetSettings>> effective_notify_targets(
    const std::vector<TargetSettings>& configured, meta::MetaStore& meta,
    std::string_view master_key) {
  std::vector<TargetSettings> effective;
  for (KnownTarget& target : CV_TRY(known_notify_targets(configured, meta, master_key))) {
    if (!target.shadowed) effective.push_back(std::move(target.settings));
  }
  return effective;
}

Result<std::vector<TargetSettings>> NotifyTargetSource::load() {
  std::vector<TargetSettings> configured;
  {
    std::lock_guard lock(mutex_);
    configured = configured_;
  }
  return effective_notify_targets(configured, meta_, master_key_);
}

void NotifyTargetSource::set_configured(std::vector<TargetSettings> configured) {
  std::lock_guard lock(mutex_);
  configured_ = std::move(configured);
}

}  // namespace cv::app
