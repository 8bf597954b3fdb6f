// What a running server takes from its configuration file again when it gets SIGHUP: the
// notification targets ([notify.targets.NAME]) and the replication remotes
// ([replication.remotes.NAME]). Every other setting needs a restart.
//
// All or nothing: a file that does not load, a sealed value that does not open, or a remote
// whose client cannot be made changes nothing and is logged; the server goes on as it was.
// Called from the main thread (the signal loop); the parts it changes are thread-safe.
#pragma once

#include <filesystem>
#include <string>

#include "app/catalogs.h"
#include "app/notify_targets.h"
#include "app/remote_clients.h"
#include "workers/notify/targets/live_target_catalog.h"

namespace cv::app {

class ConfigReloader {
 public:
  struct Parts {
    NotifyTargetSource& target_source;
    workers::notify::LiveTargetCatalog& targets;
    RemoteClients& remote_clients;
    ReplicationRemoteNames& remote_names;
  };
  // Every part, and `clock`, must outlive this.
  ConfigReloader(std::filesystem::path config_file, std::string master_key, const Clock& clock,
                 Parts parts)
      : config_file_(std::move(config_file)),
        master_key_(std::move(master_key)),
        clock_(clock),
        parts_(parts) {}

  // Re-reads the file (nothing to do when the server was started without one).
  Status reload();

 private:
  const std::filesystem::path config_file_;
  const std::string master_key_;
  const Clock& clock_;
  Parts parts_;
};

}  // namespace cv::app
