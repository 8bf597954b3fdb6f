#include "app/config_reload.h"

#include "app/config.h"
#include "app/sealed_values.h"

namespace cv::app {

Status ConfigReloader::reload() {
  if (config_file_.empty()) return {};
  Config config = CV_TRY(load_config(config_file_));
  CV_TRY(open_sealed_values(config, master_key_));
  // Checked before anything changes: the targets as they would be, then the remotes' clients.
  CV_TRY(workers::notify::TargetCatalog::create(config.notify_targets, clock_));
  CV_TRY(parts_.remote_clients.replace(config.replication_remotes, clock_));
  parts_.remote_names.replace(config.replication_remotes);
  parts_.target_source.set_configured(config.notify_targets);
  return parts_.targets.reload();
}

}  // namespace cv::app
