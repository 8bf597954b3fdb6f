#include "bench_result.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <boost/json/string_view.hpp>
#include <cmath>

namespace cv::bench {
namespace {

// Nearest-rank percentile of sorted values.
double percentile(const std::vector<uint32_t>& sorted, double q) {
  if (sorted.empty()) return 0;
  size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

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
  // Written by hand rather than with Boost.JSON so that numbers stay in plain decimal form.
  auto quoted = [](const std::string& text) {
    return boost::json::serialize(boost::json::string_view(text));
  };
  std::string line = fmt::format(
      R"({{"mode":{},"rate":{:.2f},"unit":{},"p50_us":{:.0f},"p99_us":{:.0f},"max_us":{:.0f},)"
      R"("requests":{},"errors":{},"bytes":{},"seconds":{:.3f},"connections":{},"size":{})",
      quoted(result.mode), result.rate, quoted(result.unit), result.p50_us, result.p99_us,
      result.max_us, result.requests, result.errors, result.bytes, result.seconds,
      result.connections, result.size);
  if (!result.first_error.empty()) line += R"(,"first_error":)" + quoted(result.first_error);
  line += '}';
  return line;
}

}  // namespace cv::bench
