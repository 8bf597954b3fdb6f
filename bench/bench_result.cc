#include "bench_result.h"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cmath>

namespace cv::bench {
namespace {

// Nearest-rank percentile of sorted values.
double percentile(const std::vector<uint32_t>& sorted, double q) {
  if (sorted.empty()) return 0;
  size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

double round2(double value) { return std::round(value * 100) / 100; }

}  // namespace

void set_latencies(BenchResult& result, std::vector<uint32_t>& latencies_us) {
  std::sort(latencies_us.begin(), latencies_us.end());
  result.p50_us = percentile(latencies_us, 0.50);
  result.p99_us = percentile(latencies_us, 0.99);
  result.max_us = latencies_us.empty() ? 0 : latencies_us.back();
}

BenchResult result_from_load(std::string mode, LoadOutcome& outcome) {
  BenchResult result;
  result.mode = std::move(mode);
  result.unit = "req/s";
  result.requests = outcome.requests;
  result.errors = outcome.errors;
  result.bytes = outcome.bytes_sent + outcome.bytes_received;
  result.seconds = outcome.seconds;
  result.rate = outcome.seconds > 0 ? static_cast<double>(outcome.requests) / outcome.seconds : 0;
  result.first_error = outcome.first_error;
  set_latencies(result, outcome.latencies_us);
  return result;
}

std::string to_json_line(const BenchResult& result) {
  boost::json::object json;
  json["mode"] = result.mode;
  json["rate"] = round2(result.rate);
  json["unit"] = result.unit;
  json["p50_us"] = result.p50_us;
  json["p99_us"] = result.p99_us;
  json["max_us"] = result.max_us;
  json["requests"] = result.requests;
  json["errors"] = result.errors;
  json["bytes"] = result.bytes;
  json["seconds"] = std::round(result.seconds * 1000) / 1000;
  json["connections"] = result.connections;
  json["size"] = result.size;
  if (!result.first_error.empty()) json["first_error"] = result.first_error;
  return boost::json::serialize(json);
}

}  // namespace cv::bench
