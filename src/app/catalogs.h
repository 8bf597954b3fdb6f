// The configuration's notification targets and replication remotes, as the S3 layer asks
// about them when a configuration is put (vault::NotificationTargetCatalog,
// vault::ReplicationRemoteCatalog). Immutable; thread-safe.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "app/config.h"
#include "vault/notification_config.h"
#include "vault/replication_config.h"
#include "workers/notify/targets/target_catalog.h"

namespace cv::app {

class NotificationTargetNames final : public vault::NotificationTargetCatalog {
 public:
  // `targets` must outlive this.
  explicit NotificationTargetNames(const workers::notify::TargetCatalog& targets)
      : targets_(targets) {}
  bool has_target(std::string_view name) const override { return targets_.has_target(name); }

 private:
  const workers::notify::TargetCatalog& targets_;
};

class ReplicationRemoteNames final : public vault::ReplicationRemoteCatalog {
 public:
  explicit ReplicationRemoteNames(const std::vector<ReplicationRemote>& remotes) {
    for (const ReplicationRemote& remote : remotes) names_.insert(remote.name);
  }
  bool has_remote(std::string_view name) const override { return names_.contains(name); }

 private:
  std::set<std::string, std::less<>> names_;
};

}  // namespace cv::app
