// The notification targets and replication remotes this server is configured with, as the
// console's Events and Backup panels offer them (names to choose from) and as the vault
// checks them when a rule is saved (has_target, has_remote). Implemented in app/ over the
// configuration ([notify.targets.NAME], [replication.remotes.NAME]); tests give their own.
// Immutable: every method may be called from many threads at once.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "vault/notification_config.h"
#include "vault/replication_config.h"

namespace cv::console {

class DestinationCatalog : public vault::NotificationTargetCatalog,
                           public vault::ReplicationRemoteCatalog {
 public:
  // The names, in name order.
  virtual std::vector<std::string> notification_target_names() const = 0;
  virtual std::vector<std::string> replication_remote_names() const = 0;
};

// A server configured with neither targets nor remotes: every rule naming one is refused.
class NoDestinations final : public DestinationCatalog {
 public:
  bool has_target(std::string_view) const override { return false; }
  bool has_remote(std::string_view) const override { return false; }
  std::vector<std::string> notification_target_names() const override { return {}; }
  std::vector<std::string> replication_remote_names() const override { return {}; }
};

}  // namespace cv::console
