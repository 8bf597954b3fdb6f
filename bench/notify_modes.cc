// The notification benchmarks (bench_modes.h: run_notify_burst, run_notify_latency). The server
// must already deliver the bucket's s3:ObjectCreated:* events to a webhook target at
// http://127.0.0.1:<sink_port>/... (bench/run.sh sets that up); these modes run the sink.
#include <algorithm>
#include <stdexcept>
#include <thread>

#include "bench_modes.h"
#include "core/ids.h"
#include "s3_requests.h"
#include "webhook_sink.h"

namespace cv::bench {
namespace {

using Clock = std::chrono::steady_clock;

std::string numbered_key(const std::string& prefix, uint64_t index) {
  char digits[24];
  std::snprintf(digits, sizeof digits, "%08llu", static_cast<unsigned long long>(index));
  return prefix + digits;
}

std::chrono::steady_clock::duration seconds(double value) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(value));
}

}  // namespace

BenchResult run_notify_burst(const BenchOptions& options) {
  WebhookSink sink(options.sink_port);
  const std::string prefix = "notify-burst-" + random_hex(4) + "/";
  const uint64_t count = options.count > 0 ? options.count : 20000;
  S3RequestBuilder builder(options.endpoint, options.credentials);
  const std::string pattern(std::max<uint64_t>(options.size, 1), 'n');
  LoadPlan plan;
  plan.endpoint = options.endpoint;
  plan.connections = std::max(1, options.connections);
  plan.duration = std::chrono::hours(1);
  plan.next = [&](uint64_t sequence, OutgoingRequest& out) {
    if (sequence >= count) return false;
    builder.build_head("PUT", object_path(options.bucket, numbered_key(prefix, sequence)), {},
                       options.size, out.head);
    out.body_pattern = pattern;
    out.body_length = options.size;
    return true;
  };
  LoadOutcome outcome = run_load(plan);
  const int64_t acknowledged_ns = wall_clock_ns();
  if (outcome.errors > 0) throw std::runtime_error("PUTs failed: " + outcome.first_error);
  sink.wait_for(count, seconds(options.duration_seconds));
  const auto arrivals = sink.arrivals();

  BenchResult result;
  result.mode = "notify-burst";
  result.unit = "events/s";
  result.requests = 0;
  int64_t first = INT64_MAX;
  int64_t last = 0;
  for (const auto& [key, at] : arrivals) {
    if (!key.starts_with(prefix)) continue;
    ++result.requests;
    first = std::min(first, at);
    last = std::max(last, at);
  }
  result.errors = count - std::min<uint64_t>(count, result.requests);
  if (result.errors > 0) result.first_error = "events not delivered within the wait";
  result.seconds = last > first ? static_cast<double>(last - first) / 1e9 : 0;
  result.rate = result.seconds > 0 ? static_cast<double>(result.requests) / result.seconds : 0;
  // max_us: how long after the last PUT was acknowledged the last event arrived (the backlog);
  // p50/p99 are unused here.
  result.max_us = last > acknowledged_ns ? static_cast<double>(last - acknowledged_ns) / 1e3 : 0;
  result.connections = plan.connections;
  result.size = options.size;
  return result;
}

BenchResult run_notify_latency(const BenchOptions& options) {
  WebhookSink sink(options.sink_port);
  const std::string prefix = "notify-latency-" + random_hex(4) + "/";
  S3RequestBuilder builder(options.endpoint, options.credentials);
  BlockingConnection connection(options.endpoint);
  const std::string pattern(std::max<uint64_t>(options.size, 1), 'l');
  const double rate = options.put_rate > 0 ? options.put_rate : 500;
  const auto interval = seconds(1.0 / rate);
  const uint64_t total = static_cast<uint64_t>(rate * options.duration_seconds);
  std::vector<int64_t> acknowledged(total, 0);
  uint64_t errors = 0;
  // Warm-up: one event through before the clock starts, so a hold left by an earlier phase
  // (the target was down between sinks) is over and the connection is open.
  {
    OutgoingRequest request;
    request.head = builder.head("PUT", object_path(options.bucket, prefix + "warm-up"), {},
                                options.size);
    request.body_pattern = pattern;
    request.body_length = options.size;
    if (connection.round_trip(request, /*keep_body=*/false).status != 200 ||
        !sink.wait_for(1, std::chrono::seconds(120))) {
      throw std::runtime_error("the warm-up event never reached the sink");
    }
  }
  const Clock::time_point start = Clock::now();
  for (uint64_t i = 0; i < total; ++i) {
    std::this_thread::sleep_until(start + interval * static_cast<int64_t>(i));
    OutgoingRequest request;
    request.head = builder.head("PUT", object_path(options.bucket, numbered_key(prefix, i)), {},
                                options.size);
    request.body_pattern = pattern;
    request.body_length = options.size;
    const Response response = connection.round_trip(request, /*keep_body=*/false);
    acknowledged[i] = wall_clock_ns();
    if (response.status != 200) ++errors;
  }
  const double put_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  sink.wait_for(total + 1, std::chrono::seconds(60));
  const auto arrivals = sink.arrivals();

  BenchResult result;
  result.mode = "notify-latency";
  result.unit = "PUT/s";
  result.rate = put_seconds > 0 ? static_cast<double>(total) / put_seconds : 0;
  result.seconds = put_seconds;
  result.connections = 1;
  result.size = options.size;
  std::vector<uint32_t> latencies_us;
  for (uint64_t i = 0; i < total; ++i) {
    const auto found = arrivals.find(numbered_key(prefix, i));
    if (found == arrivals.end() || acknowledged[i] == 0) continue;
    // A message can arrive before the client has read the acknowledgement: count that as 0.
    const int64_t delay_ns = std::max<int64_t>(found->second - acknowledged[i], 0);
    latencies_us.push_back(static_cast<uint32_t>(std::min<int64_t>(delay_ns / 1000, UINT32_MAX)));
  }
  result.requests = latencies_us.size();
  result.errors = errors + (total - latencies_us.size());
  if (result.errors > 0) result.first_error = "PUT refused or event not delivered";
  set_latencies(result, latencies_us);
  return result;
}

}  // namespace cv::bench
