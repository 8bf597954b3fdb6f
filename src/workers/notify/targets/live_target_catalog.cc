#include "workers/notify/targets/live_target_catalog.h"

#include <spdlog/spdlog.h>

namespace cv::workers::notify {

Result<std::unique_ptr<LiveTargetCatalog>> LiveTargetCatalog::create(Loader load,
                                                                     Generation generation,
                                                                     const Clock& clock,
                                                                     Options options) {
  std::unique_ptr<LiveTargetCatalog> live(
      new LiveTargetCatalog(std::move(load), std::move(generation), &clock, options));
  std::lock_guard reloading(live->reload_mutex_);
  live->loaded_generation_ = live->generation_ ? live->generation_() : 0;
  CV_TRY(live->load_now());
  live->next_check_ = std::chrono::steady_clock::now() + options.check_interval;
  return live;
}

std::unique_ptr<LiveTargetCatalog> LiveTargetCatalog::fixed(
    std::shared_ptr<const TargetCatalog> catalog) {
  std::unique_ptr<LiveTargetCatalog> live(new LiveTargetCatalog({}, {}, nullptr, {}));
  live->snapshot_ = std::move(catalog);
  live->next_check_ = std::chrono::steady_clock::time_point::max();
  return live;
}

std::shared_ptr<const TargetCatalog> LiveTargetCatalog::current() {
  {
    std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    if (now < next_check_) return snapshot_;
    next_check_ = now + options_.check_interval;
  }
  return fresh();
}

std::shared_ptr<const TargetCatalog> LiveTargetCatalog::fresh() {
  if (generation_) {
    // Read before loading: a change made during the load shows as a new generation next time.
    const uint64_t seen = generation_();
    std::lock_guard reloading(reload_mutex_);
    if (seen != loaded_generation_) {
      if (auto loaded = load_now(); loaded) {
        loaded_generation_ = seen;
      } else {
        spdlog::error("notification targets: reloading failed (keeping the previous ones): {}",
                      loaded.error().message);
      }
    }
  }
  std::lock_guard lock(mutex_);
  return snapshot_;
}

Status LiveTargetCatalog::reload() {
  if (!load_) return {};
  std::lock_guard reloading(reload_mutex_);
  return load_now();
}

Status LiveTargetCatalog::load_now() {
  std::vector<TargetSettings> settings = CV_TRY(load_());
  std::shared_ptr<const TargetCatalog> catalog =
      CV_TRY(TargetCatalog::create(std::move(settings), *clock_));
  std::lock_guard lock(mutex_);
  snapshot_ = std::move(catalog);
  return {};
}

}  // namespace cv::workers::notify
