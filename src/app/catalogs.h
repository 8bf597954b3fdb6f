// The configuration's notification targets and replication remotes, as the S3 layer asks
// about them when a configuration is put (vault::NotificationTargetCatalog,
// vault::ReplicationRemoteCatalog) and the console lists them (console::DestinationCatalog).
// Immutable; thread-safe.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "app/config.h"
#include "console/destination_catalog.h"
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
  // In name order.
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& settings : targets_.settings()) out.push_back(settings.name);
    return out;
  }

 private:
  const workers::notify::TargetCatalog& targets_;
};

class ReplicationRemoteNames final : public vault::ReplicationRemoteCatalog {
 public:
  explicit ReplicationRemoteNames(const std::vector<ReplicationRemote>& remotes) {
    for (const ReplicationRemote& remote : remotes) names_.insert(remote.name);
  }
  bool has_remote(std::string_view name) const override { return names_.contains(name); }
  // In name order.
  std::vector<std::string> names() const { return {names_.begin(), names_.end()}; }

 private:
  std::set<std::string, std::less<>> names_;
};

// Both, for the console's Events and Backup panels.
class ConsoleDestinations final : public console::DestinationCatalog {
 public:
  // `targets` and `remotes` must outlive this.
  ConsoleDestinations(const NotificationTargetNames& targets, const ReplicationRemoteNames& remotes)
      : targets_(targets), remotes_(remotes) {}
  bool has_target(std::string_view name) const override { return targets_.has_target(name); }
  bool has_remote(std::string_view name) const override { return remotes_.has_remote(name); }
  std::vector<std::string> notification_target_names() const override { return targets_.names(); }
  std::vector<std::string> replication_remote_names() const override { return remotes_.names(); }

 private:
  const NotificationTargetNames& targets_;
  const ReplicationRemoteNames& remotes_;
};

}  // namespace cv::app
