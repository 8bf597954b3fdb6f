#include "app/migration_report.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>

#include "app/wiring.h"

namespace cv::app {

std::string migration_summary(int from_version, int to_version, double elapsed_seconds) {
  return fmt::format("migrated the metadata store from schema {} to {} in {}", from_version,
                     to_version, format_duration(elapsed_seconds));
}

MigrationReport::MigrationReport(std::unique_ptr<ProgressBar> bar, bool to_log, bool terminal)
    : bar_(std::move(bar)), to_log_(to_log), terminal_(terminal) {}

MigrationReport MigrationReport::on_stderr() {
  const bool terminal = ::isatty(STDERR_FILENO) == 1;
  return MigrationReport(
      std::make_unique<ProgressBar>("metadata migration", "steps", stderr, terminal),
      /*to_log=*/false, terminal);
}

MigrationReport MigrationReport::to_log() {
  // The bar only keeps the time: it is not a terminal and never finished.
  return MigrationReport(
      std::make_unique<ProgressBar>("metadata migration", "steps", stderr, /*terminal=*/false),
      /*to_log=*/true, /*terminal=*/false);
}

meta::MigrationCallback MigrationReport::callback() {
  return [this](const meta::MigrationProgress& progress) {
    migrated_ = true;
    last_ = progress;
    bar_->update(progress.applied, progress.pending);
  };
}

void MigrationReport::finish() {
  if (!migrated_) return;
  const std::string summary =
      migration_summary(last_.from_version, last_.to_version, bar_->elapsed_seconds());
  if (to_log_) {
    spdlog::info("{}", summary);
  } else {
    bar_->finish(summary);
  }
}

void MigrationReport::abandon() {
  if (migrated_ && terminal_) {
    std::fputc('\n', stderr);
    std::fflush(stderr);
  }
}

Result<Stores> open_stores_for_cli(const Config& config) {
  MigrationReport report = MigrationReport::on_stderr();
  auto settle = std::make_unique<ObjectChangeSettle>();
  StoreOptions options = store_options_from(config);
  options.on_migration = report.callback();
  options.object_changes = &settle->changes;
  auto stores = open_stores(config.data_dir, std::move(options));
  if (stores) {
    stores->settle = std::move(settle);
    report.finish();
  } else {
    report.abandon();
  }
  return stores;
}

}  // namespace cv::app
