// The server's periodic ingest ([activity] sources, every ingest_interval_seconds): one
// run_once() ingests each configured source in turn with the rules file as it is then (so
// an edited file applies to the next run; `cloudvault activity rescore` applies it to what
// is stored). The server calls run_once from a PeriodicTask; tests call it directly.
// run_once is not reentrant (one caller at a time).
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "activity/ingester.h"
#include "activity/trail_source.h"

namespace cv::activity {

// Opens the source a configured string names (a folder, s3://BUCKET/PREFIX, ...).
using SourceOpener = std::function<Result<std::unique_ptr<TrailSource>>(const std::string&)>;

struct SourceRun {
  std::string source;
  Result<IngestReport> report;  // an error: the source or the rules could not be read
};

class ScheduledIngest {
 public:
  // `store` and `clock` outlive this object.
  ScheduledIngest(meta::MetaStore& store, Clock& clock, std::filesystem::path rules_file,
                  std::vector<std::string> sources, SourceOpener open_source);

  std::vector<SourceRun> run_once();

 private:
  meta::MetaStore& store_;
  Clock& clock_;
  std::filesystem::path rules_file_;
  std::vector<std::string> sources_;
  SourceOpener open_source_;
};

}  // namespace cv::activity
