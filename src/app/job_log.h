// Background jobs' records in the server's log (issue 15, "Logs"): one pass of a job (a
// lifecycle pass, garbage collection, a batch of notification deliveries or replications, an
// activity ingest, a trail file rolled) logs its start, its end with counts and duration, and
// its failures, in the log's format:
//
//   {"time":"...","level":"debug","type":"job","job":"lifecycle","event":"start"}
//   {"time":"...","level":"info","type":"job","job":"lifecycle","event":"end",
//    "duration_ms":12.503,"keys_examined":40,"transitioned":3,...}
//   {"time":"...","level":"error","type":"job","job":"gc","event":"failure",
//    "duration_ms":0.210,"error":"..."}
//
// So that the log stays readable, "start" is written at debug, and "end" at info only when a
// count is above zero (a pass that did nothing: debug). Thread-safe as ServerLog is.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/server_log.h"

namespace cv::app {

// Counts of one pass, in the order they are written ("transitioned": 3, ...).
using JobCounts = std::vector<std::pair<std::string_view, uint64_t>>;
// Text fields naming what the pass worked on ("target": "webhook-1", "source": "..."): written
// in every record of the pass, right after the job's name.
using JobLabels = std::vector<std::pair<std::string_view, std::string>>;

// The records of one pass. Writes "start" when constructed; end() or failed() once after.
class JobPass {
 public:
  JobPass(ServerLog& log, std::string_view job, JobLabels labels = {});
  // "end" with the duration and `counts`.
  void end(const JobCounts& counts);
  // "failure" with the duration, `error` and the counts so far.
  void failed(std::string_view error, const JobCounts& counts = {});

 private:
  LogFields fields(std::string_view event) const;
  double elapsed_ms() const;

  ServerLog& log_;
  std::string_view job_;
  JobLabels labels_;
  std::chrono::steady_clock::time_point started_;
};

// A pass whose start and end are already known (an outbox batch, timed by its worker):
// "end" (or "failure" when `error` is not empty) without a start record.
void log_job_outcome(ServerLog& log, std::string_view job, const JobLabels& labels,
                     std::chrono::steady_clock::duration took, const JobCounts& counts,
                     std::string_view error = {});

}  // namespace cv::app
