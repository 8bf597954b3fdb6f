// Tells of a schema upgrade of the metadata store while a command opens it (issue 15,
// "Progress and health": migrations are a long admin job). The admin CLI draws a progress bar
// on stderr when it is a terminal and writes a summary line either way; the server logs the
// summary. Nothing is said when the store was up to date or new.
//
//   metadata migration [#######-------------]  5/15 steps  33%  2.1/s  ETA 4.8s
//   migrated the metadata store from schema 1 to 16 in 7.1s
//
// Thread-compatible: one MigrationReport per opening, used on the opening thread.
#pragma once

#include <memory>
#include <string>

#include "app/config.h"
#include "app/data_dir.h"
#include "app/progress_bar.h"
#include "core/error.h"
#include "meta/sqlite/sqlite_meta_store.h"

namespace cv::app {

// "migrated the metadata store from schema <from> to <to> in <duration>".
std::string migration_summary(int from_version, int to_version, double elapsed_seconds);

class MigrationReport {
 public:
  // For a CLI command: a bar on stderr when it is a terminal, then the summary on stderr.
  static MigrationReport on_stderr();
  // For the server: the summary through spdlog (info), no bar.
  static MigrationReport to_log();
  // Not copied nor moved: callback() holds on to this object.
  MigrationReport(const MigrationReport&) = delete;
  MigrationReport& operator=(const MigrationReport&) = delete;

  // What open_stores reports into; valid while this MigrationReport lives.
  meta::MigrationCallback callback();
  // After the store opened: the summary, when an upgrade ran; nothing otherwise.
  void finish();
  // After the store failed to open: ends a bar drawn on the terminal (the error follows).
  void abandon();

 private:
  MigrationReport(std::unique_ptr<ProgressBar> bar, bool to_log, bool terminal);

  std::unique_ptr<ProgressBar> bar_;  // its clock times the upgrade
  bool to_log_;
  bool terminal_;
  bool migrated_ = false;
  meta::MigrationProgress last_;
};

// Opens the data folder's stores (as open_stores with the configuration's tier folders and
// master key file) for a CLI command, reporting a schema upgrade on stderr.
Result<Stores> open_stores_for_cli(const Config& config);

}  // namespace cv::app
