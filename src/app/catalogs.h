// The notification targets and replication remotes, as the S3 layer asks about them when a
// configuration is put (vault::NotificationTargetCatalog, vault::ReplicationRemoteCatalog) and
// the console lists them (console::DestinationCatalog). Thread-safe.
#pragma once

#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "app/config.h"
#include "console/destination_catalog.h"
#include "vault/notification_config.h"
#include "vault/replication_config.h"
#include "workers/notify/targets/live_target_catalog.h"

namespace cv::app {

// The targets as they are now. A configuration is put rarely, and right after `cloudvault
// admin notify add|remove` it must see the change, so each check reads the change file
// (LiveTargetCatalog::fresh) rather than waiting out the catalog's check interval.
class NotificationTargetNames final : public vault::NotificationTargetCatalog {
 public:
  // `targets` must outlive this.
  explicit NotificationTargetNames(workers::notify::LiveTargetCatalog& targets)
      : targets_(targets) {}
  bool has_target(std::string_view name) const override {
    return targets_.fresh()->has_target(name);
  }
  // In name order.
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& settings : targets_.fresh()->settings()) out.push_back(settings.name);
    return out;
  }

 private:
  workers::notify::LiveTargetCatalog& targets_;
};

class ReplicationRemoteNames final : public vault::ReplicationRemoteCatalog {
 public:
  explicit ReplicationRemoteNames(const std::vector<ReplicationRemote>& remotes) {
    replace(remotes);
  }
  bool has_remote(std::string_view name) const override {
    std::lock_guard lock(mutex_);
    return names_.contains(name);
  }
  // The configuration file was re-read.
  void replace(const std::vector<ReplicationRemote>& remotes) {
    std::set<std::string, std::less<>> names;
    for (const ReplicationRemote& remote : remotes) names.insert(remote.name);
    std::lock_guard lock(mutex_);
    names_ = std::move(names);
  }
  // In name order.
  std::vector<std::string> names() const {
    std::lock_guard lock(mutex_);
    return {names_.begin(), names_.end()};
  }

 private:
  mutable std::mutex mutex_;
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
