// The audit trail of a running server: the TrailWriter (the AuditSink every request's record
// goes to) over the metadata store, the trail folder and, with [trail] bucket, the trail
// bucket; and a task that answers `cloudvault trail flush` requests (app/trail_flush_signal.h)
// within ~100 ms. Destruction stops the task, then the writer (appending what is queued).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "app/config.h"
#include "app/periodic_task.h"
#include "app/trail_bucket.h"
#include "app/trail_flush_signal.h"
#include "app/trail_setup.h"
#include "audit/trail_writer.h"
#include "core/clock.h"
#include "meta/meta_store.h"
#include "vault/vault.h"

namespace cv::app {

class TrailService {
 public:
  // Writes files a crash left claimed but unwritten, then starts the writer. `root_user_id`
  // owns the trail bucket when it has to be made. `on_roll`: told of the writer's periodic
  // rolls (audit::TrailWriterOptions::on_roll).
  static Result<std::unique_ptr<TrailService>> start(
      const Config& config, vault::Vault& vault, meta::MetaStore& meta,
      const std::string& root_user_id, const Clock& clock,
      decltype(audit::TrailWriterOptions::on_roll) on_roll = {});
  ~TrailService();

  audit::AuditSink& sink() { return *writer_; }
  audit::TrailWriter& writer() { return *writer_; }
  std::string public_key_pem() const { return setup_.key.public_pem(); }

 private:
  TrailService(TrailSetup setup, const Config& config);

  TrailSetup setup_;
  std::unique_ptr<VaultTrailBucket> bucket_;
  std::unique_ptr<audit::TrailWriter> writer_;
  TrailFlushRequests flush_requests_;
  std::optional<PeriodicTask> answering_;  // last: stopped first
};

}  // namespace cv::app
