// Notification targets added with `cloudvault admin notify add`, as the metadata store keeps
// them (meta::NotifyTarget): the settings that are not secret as JSON, and the url, the
// webhook secret and the SMTP password sealed together under the master key (the url too,
// since Slack's and Discord's carry their token and any URL may carry user:password), with
// the target's name bound in, so sealed secrets never open as another target's.
// `cloudvault admin key rotate-master` reseals them (MetaStore::reseal_master_secrets).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "meta/meta_store.h"
#include "workers/notify/targets/target_settings.h"

namespace cv::app {

// The associated data the secrets of the target `name` are sealed with.
std::string notify_target_seal_context(std::string_view name);

// The record of validated `settings`; `master_key` must be 32 bytes.
meta::NotifyTarget seal_notify_target(const workers::notify::TargetSettings& settings,
                                      std::string_view master_key, int64_t created_ns);
// The settings of a record. kInternalError when its secrets do not open with `master_key` or
// its documents are not what seal_notify_target writes.
Result<workers::notify::TargetSettings> open_notify_target(const meta::NotifyTarget& record,
                                                           std::string_view master_key);
// Every stored target's settings, in name order.
Result<std::vector<workers::notify::TargetSettings>> load_stored_targets(
    meta::MetaStore& meta, std::string_view master_key);

}  // namespace cv::app
