// Ingest: every new or changed file of a trail source, read as a stream, each record
// normalised and scored, stored in batches (thousands of events per transaction) with
// upsert by event id. A file read to its end is checkpointed (size, etag) and skipped while
// unchanged. Malformed files and records are counted and reported, never fatal; a file that
// breaks off (bad JSON, truncated gzip) keeps the records before the break and is not
// checkpointed, so it is read again next time. Problems are reported by file. Not
// thread-safe; one ingest at a time per source is the caller's business (upserts make
// overlapping runs harmless anyway).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "activity/scoring_rules.h"
#include "activity/trail_source.h"
#include "core/clock.h"
#include "core/progress.h"
#include "meta/meta_store.h"

namespace cv::activity {

struct IngestProblem {
  std::string file;    // the file's path in its source
  std::string reason;  // "record 3: record without eventTime", "truncated gzip data", ...
};

struct IngestReport {
  uint64_t files_read = 0;
  uint64_t files_skipped = 0;  // unchanged since their checkpoint
  uint64_t records_new = 0;
  uint64_t records_duplicate = 0;
  uint64_t malformed_files = 0;         // files that broke off
  uint64_t malformed_records = 0;       // records skipped
  std::vector<IngestProblem> problems;  // at most 20 records' reasons per file
};

class Ingester {
 public:
  // `store`, `rules` and `clock` outlive the ingester. Up to `reader_threads` files are read
  // at once (each by one thread); one thread writes the batches.
  Ingester(meta::MetaStore& store, const ScoringRules& rules, Clock& clock,
           size_t batch_size = 8192, size_t reader_threads = 2);

  // Reads the source. Fails only when the source cannot be listed or the store fails.
  // `progress` hears of the files done (read or skipped) out of the source's files, from
  // the reading threads one at a time.
  Result<IngestReport> ingest(TrailSource& source, const ProgressCallback& progress = {});

 private:
  meta::MetaStore& store_;
  const ScoringRules& rules_;
  Clock& clock_;
  size_t batch_size_;
  size_t reader_threads_;
};

}  // namespace cv::activity
