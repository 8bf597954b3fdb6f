// What one cv_bench run reports: one JSON object per line on stdout, for bench/run.sh.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "http_client.h"

namespace cv::bench {

struct BenchResult {
  std::string mode;
  double rate = 0;   // in `unit`
  std::string unit;  // "req/s", "MiB/s", "keys/s"
  double p50_us = 0;
  double p99_us = 0;
  double max_us = 0;
  uint64_t requests = 0;
  uint64_t errors = 0;
  uint64_t bytes = 0;  // body bytes sent plus received
  double seconds = 0;
  int connections = 0;
  uint64_t size = 0;  // object size the run used
  std::string first_error;
};

// Fills rate (requests per second), latencies, counts and time from a load run.
BenchResult result_from_load(std::string mode, LoadOutcome& outcome);
// Sets p50/p99/max from latencies (sorts them).
void set_latencies(BenchResult& result, std::vector<uint32_t>& latencies_us);
// One line of compact JSON, without the trailing newline.
std::string to_json_line(const BenchResult& result);

}  // namespace cv::bench
