// The notification targets as they are now: an immutable TargetCatalog snapshot, replaced when
// its source changes (`cloudvault admin notify add|remove` from another process, the server
// re-reading its configuration file), so a running server follows without a restart.
//
// Thread-safe. A snapshot stays valid for as long as its holder keeps it, so a delivery in
// flight finishes with the target it started with while a newer snapshot is put in place.
// current() asks `generation` (cheap: e.g. 8 bytes of a file) at most once per
// check_interval and reloads through `load` when the answer differs from the one of the last
// load; everything else is a mutex and a shared_ptr copy. A load that fails (an unreadable
// store) keeps the previous snapshot, is logged, and is tried again at the next check.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "workers/notify/targets/target_catalog.h"
#include "workers/notify/targets/target_settings.h"

namespace cv::workers::notify {

class LiveTargetCatalog {
 public:
  // Every target's settings, as the source has them now.
  using Loader = std::function<Result<std::vector<TargetSettings>>()>;
  // Changes whenever what `load` returns may have changed; any value, compared for equality.
  using Generation = std::function<uint64_t()>;
  struct Options {
    std::chrono::milliseconds check_interval{150};
  };

  // Loads once (failing as `load` or TargetCatalog::create fails). `clock` must outlive it.
  static Result<std::unique_ptr<LiveTargetCatalog>> create(Loader load, Generation generation,
                                                           const Clock& clock, Options options);
  // A catalog that never changes (one-shot commands, tests).
  static std::unique_ptr<LiveTargetCatalog> fixed(std::shared_ptr<const TargetCatalog> catalog);

  // The current snapshot; checks the generation when check_interval has passed since the
  // last check. Never null.
  std::shared_ptr<const TargetCatalog> current();
  // The same, checking the generation now (for rare callers that must not see a change late,
  // e.g. the check of a bucket's notification configuration right after `admin notify add`).
  std::shared_ptr<const TargetCatalog> fresh();
  // Loads now whatever the generation says (the configuration file was re-read). On failure
  // the previous snapshot stays and the error is returned.
  Status reload();

 private:
  LiveTargetCatalog(Loader load, Generation generation, const Clock* clock, Options options)
      : load_(std::move(load)),
        generation_(std::move(generation)),
        clock_(clock),
        options_(options) {}
  Status load_now();  // under reload_mutex_

  const Loader load_;
  const Generation generation_;
  const Clock* clock_;
  const Options options_;

  std::mutex reload_mutex_;  // one load at a time; guards loaded_generation_
  uint64_t loaded_generation_ = 0;
  std::mutex mutex_;  // guards snapshot_ and next_check_
  std::shared_ptr<const TargetCatalog> snapshot_;
  std::chrono::steady_clock::time_point next_check_;
};

}  // namespace cv::workers::notify
