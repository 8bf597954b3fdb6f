// Every notification target: the configuration file's [notify.targets.NAME] and the ones
// added with `cloudvault admin notify add` (kept in the metadata store, stored_targets.h).
// `admin notify add` refuses a name the file defines; should the file gain a stored target's
// name later, the file's target is the one in effect and the stored one is listed as
// shadowed.
//
// Processes that add or remove stored targets announce it on <data>/notify.changed
// (ChangeFile); the server's workers::notify::LiveTargetCatalog follows that file.
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "meta/meta_store.h"
#include "workers/notify/targets/target_settings.h"

namespace cv::app {

inline constexpr std::string_view kNotifyChangesFile = "notify.changed";

enum class TargetOrigin { kConfigFile, kStore };

struct KnownTarget {
  workers::notify::TargetSettings settings;
  TargetOrigin origin = TargetOrigin::kConfigFile;
  bool shadowed = false;  // a stored target whose name the configuration file also defines
};

// `configured` (with sealed values opened) and the stored targets, in name order (the file's
// first where both have a name).
Result<std::vector<KnownTarget>> known_notify_targets(
    const std::vector<workers::notify::TargetSettings>& configured, meta::MetaStore& meta,
    std::string_view master_key);
// The targets in effect (none shadowed), in name order.
Result<std::vector<workers::notify::TargetSettings>> effective_notify_targets(
    const std::vector<workers::notify::TargetSettings>& configured, meta::MetaStore& meta,
    std::string_view master_key);

// What the server's LiveTargetCatalog loads: the configuration file's targets, replaced when
// the server re-reads the file, with the stored ones. Thread-safe; `meta` must outlive it.
class NotifyTargetSource {
 public:
  NotifyTargetSource(std::vector<workers::notify::TargetSettings> configured, meta::MetaStore& meta,
                     std::string master_key)
      : configured_(std::move(configured)), meta_(meta), master_key_(std::move(master_key)) {}

  Result<std::vector<workers::notify::TargetSettings>> load();
  // `configured` with sealed values opened.
  void set_configured(std::vector<workers::notify::TargetSettings> configured);

 private:
  std::mutex mutex_;
  std::vector<workers::notify::TargetSettings> configured_;
  meta::MetaStore& meta_;
  const std::string master_key_;
};

}  // namespace cv::app
