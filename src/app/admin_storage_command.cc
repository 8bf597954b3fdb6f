// `cloudvault admin lifecycle run | usage | events`: storage administration against the data
// folder. Safe to run while the server runs: lifecycle actions are guarded transactions, so a
// pass here and one in the server never apply an action twice.
#include <boost/json.hpp>
#include <cmath>
#include <cstdio>

#include "app/admin_support.h"
#include "app/commands.h"
#include "app/data_dir.h"
#include "app/progress_bar.h"
#include "app/wiring.h"
#include "vault/vault.h"
#include "workers/lifecycle_worker.h"

namespace cv::app {
namespace {

}  // namespace

int admin_lifecycle_run(const Config& config, double days_ahead) {
  return with_vault(config, [&](vault::Vault& vault) {
    const int64_t now =
        to_unix_nanos(vault.clock().now()) +
        std::llround(days_ahead * static_cast<double>(vault.options().lifecycle_day_ns));
    workers::LifecycleWorker worker(vault);
    ProgressBar progress = ProgressBar::on_stderr("lifecycle run", "keys");
    auto report = worker.run_once(now, progress.callback());
    if (!report) return report_error(report.error());
    progress.finish();
    print_json({{"keys_examined", report->keys_examined},
                {"transitioned", report->transitioned},
                {"expired", report->expired},
                {"noncurrent_deleted", report->noncurrent_deleted},
                {"delete_markers_removed", report->delete_markers_removed},
                {"restores_finished", report->restores_finished},
                {"restores_expired", report->restores_expired},
                {"uploads_aborted", report->uploads_aborted},
                {"conflicts", report->conflicts},
                {"locked_deferred", report->locked_deferred},
                {"failures", report->failures}});
    return report->failures == 0 ? 0 : 1;
  });
}

int admin_usage(const Config& config, const std::optional<std::string>& bucket) {
  return with_vault(config, [&](vault::Vault& vault) {
    auto found = bucket_names(vault, bucket);
    if (!found) return report_error(found.error());
    const std::vector<std::string>& names = *found;
    boost::json::array out;
    for (const std::string& name : names) {
      auto usage = vault.usage_by_class(name);
      if (!usage) return report_error(usage.error());
      boost::json::array classes;
      uint64_t logical = 0;
      uint64_t stored = 0;
      for (const meta::ClassUsage& entry : *usage) {
        classes.push_back({{"storage_class", entry.storage_class},
                           {"objects", entry.objects},
                           {"versions", entry.versions},
                           {"logical_bytes", entry.logical_bytes},
                           {"stored_bytes", entry.stored_bytes},
                           {"restored_bytes", entry.restored_bytes}});
        logical += entry.logical_bytes;
        stored += entry.stored_bytes + entry.restored_bytes;
      }
      out.push_back({{"bucket", name},
                     {"classes", std::move(classes)},
                     {"logical_bytes", logical},
                     {"stored_bytes", stored}});
    }
    print_json(out);
    return 0;
  });
}

boost::json::object event_json(const meta::Event& event) {
  boost::json::object line{{"seq", event.seq},
                           {"sequencer", meta::event_sequencer(event)},
                           {"time_ns", event.time_ns},
                           {"name", event.name},
                           {"bucket", event.bucket},
                           {"key", event.key},
                           {"version_id", event.version_id},
                           {"size", event.size},
                           {"etag", event.etag},
                           {"storage_class", event.storage_class},
                           {"principal_id", event.principal_id},
                           {"source_ip", event.source_ip},
                           {"request_id", event.request_id}};
  if (!event.detail.empty()) {
    boost::system::error_code ec;
    auto detail = boost::json::parse(event.detail, ec);
    if (!ec) line["detail"] = std::move(detail);
  }
  return line;
}

int admin_events(const Config& config, int64_t after_seq, size_t limit) {
  return with_vault(config, [&](vault::Vault& vault) {
    auto events = vault.events(after_seq, limit);
    if (!events) return report_error(events.error());
    for (const meta::Event& event : *events) print_json(event_json(event));
    return 0;
  });
}

int admin_event_tasks(const Config& config, bool failed_only, size_t limit) {
  return with_vault(config, [&](vault::Vault& vault) {
    auto tasks = vault.outbox_tasks("", failed_only, 0, limit);
    if (!tasks) return report_error(tasks.error());
    for (const meta::OutboxTask& task : *tasks) {
      print_json(boost::json::object{{"id", task.id},
                                     {"consumer", task.consumer},
                                     {"target", task.target},
                                     {"state", task.failed ? "failed" : "pending"},
                                     {"attempts", task.attempts},
                                     {"next_try_ns", task.next_try_ns},
                                     {"last_error", task.last_error},
                                     {"event", event_json(task.event)}});
    }
    return 0;
  });
}

int admin_event_retry(const Config& config, int64_t task_id) {
  return with_vault(config, [&](vault::Vault& vault) {
    auto retried = vault.retry_outbox_tasks("", task_id);
    if (!retried) return report_error(retried.error());
    if (task_id != 0 && *retried == 0) {
      std::fprintf(stderr, "cloudvault: no failed task with id %lld\n",
                   static_cast<long long>(task_id));
      return 1;
    }
    print_json(boost::json::object{{"retried", *retried}});
    return 0;
  });
}

}  // namespace cv::app
