#include "bench_modes.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <pugixml.hpp>
#include <stdexcept>

#include "core/ids.h"
#include "s3_requests.h"

namespace cv::bench {
namespace {

using Clock = std::chrono::steady_clock;

// Bodies are cut from this buffer (repeated as needed), so no body is ever allocated whole.
// Pseudo-random bytes, so nothing on the path can compress them.
const std::string& body_pattern() {
  static const std::string pattern = [] {
    std::string bytes(1 << 20, '\0');
    uint64_t state = 0x2545F4914F6CDD1Dull;
    for (char& c : bytes) {
      state ^= state << 13;
      state ^= state >> 7;
      state ^= state << 17;
      c = static_cast<char>(state);
    }
    return bytes;
  }();
  return pattern;
}

std::string fresh_prefix(const BenchOptions& options, std::string_view mode) {
  if (!options.prefix.empty()) return options.prefix;
  return std::string(mode) + "-" + random_hex(4) + "/";
}

std::string key_name(std::string_view prefix, uint64_t index) {
  char digits[24];
  std::snprintf(digits, sizeof digits, "%08llu", static_cast<unsigned long long>(index));
  return std::string(prefix) + digits;
}

LoadPlan plan_for(const BenchOptions& options) {
  LoadPlan plan;
  plan.endpoint = options.endpoint;
  plan.connections = std::max(1, options.connections);
  plan.threads = std::max(1, options.threads);
  plan.duration = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(options.duration_seconds));
  return plan;
}

// PUTs `count` keys prefix+00000000... of `size` bytes with the configured connections.
void populate(const BenchOptions& options, const S3RequestBuilder& builder,
              const std::string& prefix, uint64_t count) {
  LoadPlan plan = plan_for(options);
  plan.connections =
      static_cast<int>(std::min<uint64_t>(plan.connections, std::max<uint64_t>(count, 1)));
  plan.duration = std::chrono::hours(1);
  const std::string_view pattern = body_pattern();
  plan.next = [&](uint64_t sequence, OutgoingRequest& out) {
    if (sequence >= count) return false;
    builder.build_head("PUT", object_path(options.bucket, key_name(prefix, sequence)), {},
                       options.size, out.head);
    out.body_pattern = pattern;
    out.body_length = options.size;
    return true;
  };
  LoadOutcome outcome = run_load(plan);
  if (outcome.errors > 0 || outcome.requests != count) {
    throw std::runtime_error("prefill of " + std::to_string(count) + " keys failed (" +
                             std::to_string(outcome.errors) + " errors): " + outcome.first_error);
  }
}

// Fills the run's shape: connections used and object size.
BenchResult finish(BenchResult result, const BenchOptions& options, int connections) {
  result.connections = connections;
  result.size = options.size;
  return result;
}

double mebibytes_per_second(uint64_t bytes, double seconds) {
  return seconds > 0 ? static_cast<double>(bytes) / (1 << 20) / seconds : 0;
}

}  // namespace

BenchResult run_put(const BenchOptions& options) {
  S3RequestBuilder builder(options.endpoint, options.credentials);
  const std::string prefix = fresh_prefix(options, "put");
  const std::string_view pattern = body_pattern();
  LoadPlan plan = plan_for(options);
  plan.next = [&](uint64_t sequence, OutgoingRequest& out) {
    if (options.count > 0 && sequence >= options.count) return false;
    builder.build_head("PUT", object_path(options.bucket, key_name(prefix, sequence)), {},
                       options.size, out.head);
    out.body_pattern = pattern;
    out.body_length = options.size;
    return true;
  };
  LoadOutcome outcome = run_load(plan);
  return finish(result_from_load("put", outcome), options, plan.connections);
}

BenchResult run_get(const BenchOptions& options) {
  S3RequestBuilder builder(options.endpoint, options.credentials);
  // Every request is built before the clock starts; the loop only copies a head.
  std::vector<std::string> heads;
  if (!options.path.empty()) {
    heads.push_back(builder.head("GET", options.path));
  } else {
    const std::string prefix = fresh_prefix(options, "get");
    const uint64_t count = std::max<uint64_t>(options.keys, 1);
    if (options.prefill) populate(options, builder, prefix, count);
    for (uint64_t i = 0; i < count; ++i) {
      heads.push_back(builder.head("GET", object_path(options.bucket, key_name(prefix, i))));
    }
  }
  LoadPlan plan = plan_for(options);
  plan.next = [&](uint64_t sequence, OutgoingRequest& out) {
    out.head = heads[sequence % heads.size()];
    out.body_length = 0;
    return true;
  };
  LoadOutcome outcome = run_load(plan);
  BenchResult result = finish(result_from_load("get", outcome), options, plan.connections);
  if (outcome.requests > 0) result.size = outcome.bytes_received / outcome.requests;
  return result;
}

BenchResult run_put_large(const BenchOptions& options) {
  S3RequestBuilder builder(options.endpoint, options.credentials);
  BlockingConnection connection(options.endpoint);
  OutgoingRequest request;
  request.head = builder.head("PUT", object_path(options.bucket, options.key), {}, options.size);
  request.body_pattern = body_pattern();
  request.body_length = options.size;
  const Clock::time_point start = Clock::now();
  Response response = connection.round_trip(request, /*keep_body=*/true);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();

  BenchResult result;
  result.mode = "put-large";
  result.unit = "MiB/s";
  result.requests = 1;
  result.seconds = seconds;
  result.bytes = options.size;
  result.rate = mebibytes_per_second(options.size, seconds);
  result.p50_us = result.p99_us = result.max_us = seconds * 1e6;
  if (response.status != 200) {
    result.errors = 1;
    result.first_error = "HTTP status " + std::to_string(response.status) + ": " + response.body;
  }
  return finish(result, options, 1);
}

BenchResult run_get_large(const BenchOptions& options) {
  S3RequestBuilder builder(options.endpoint, options.credentials);
  BlockingConnection connection(options.endpoint);
  OutgoingRequest request;
  request.head = builder.head(
      "GET", options.path.empty() ? object_path(options.bucket, options.key) : options.path);
  const Clock::time_point start = Clock::now();
  Response response = connection.round_trip_discarding_body(request);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();

  BenchResult result;
  result.mode = "get-large";
  result.unit = "MiB/s";
  result.requests = 1;
  result.seconds = seconds;
  result.bytes = response.body_bytes;
  result.rate = mebibytes_per_second(response.body_bytes, seconds);
  result.p50_us = result.p99_us = result.max_us = seconds * 1e6;
  if (response.status != 200) {
    result.errors = 1;
    result.first_error = "HTTP status " + std::to_string(response.status);
  }
  BenchResult finished = finish(result, options, 1);
  finished.size = response.body_bytes;
  return finished;
}

BenchResult run_list(const BenchOptions& options) {
  S3RequestBuilder builder(options.endpoint, options.credentials);
  const std::string prefix = fresh_prefix(options, "list");
  const uint64_t count = options.keys;
  if (options.prefill) populate(options, builder, prefix, count);

  BlockingConnection connection(options.endpoint);
  const std::string bucket_path = "/" + options.bucket;
  std::vector<uint32_t> page_latencies;
  BenchResult result;
  result.mode = "list";
  result.unit = "keys/s";
  uint64_t listed = 0;
  const Clock::time_point start = Clock::now();
  const auto duration = std::chrono::duration<double>(options.duration_seconds);
  OutgoingRequest request;
  do {
    uint64_t pass_keys = 0;
    std::string token;
    while (true) {
      QueryParams query = {{"list-type", "2"}, {"max-keys", "1000"}, {"prefix", prefix}};
      if (!token.empty()) query.emplace_back("continuation-token", token);
      builder.build_head("GET", bucket_path, query, std::nullopt, request.head);
      const Clock::time_point page_start = Clock::now();
      Response response = connection.round_trip(request, /*keep_body=*/true);
      page_latencies.push_back(static_cast<uint32_t>(
          std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - page_start)
              .count()));
      ++result.requests;
      result.bytes += response.body_bytes;
      if (response.status != 200) {
        throw std::runtime_error("ListObjectsV2 answered " + std::to_string(response.status) +
                                 ": " + response.body);
      }
      pugi::xml_document document;
      if (!document.load_buffer(response.body.data(), response.body.size())) {
        throw std::runtime_error("ListObjectsV2 returned malformed XML");
      }
      pugi::xml_node root = document.child("ListBucketResult");
      for (pugi::xml_node entry = root.child("Contents"); entry;
           entry = entry.next_sibling("Contents")) {
        ++pass_keys;
      }
      bool truncated = std::string_view(root.child_value("IsTruncated")) == "true";
      token = root.child_value("NextContinuationToken");
      if (!truncated) break;
      if (token.empty()) throw std::runtime_error("truncated listing without a continuation token");
    }
    listed += pass_keys;
    if (pass_keys != count) {
      ++result.errors;
      if (result.first_error.empty()) {
        result.first_error =
            "listed " + std::to_string(pass_keys) + " keys, expected " + std::to_string(count);
      }
    }
  } while (Clock::now() - start < duration);
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  result.rate = result.seconds > 0 ? static_cast<double>(listed) / result.seconds : 0;
  set_latencies(result, page_latencies);
  return finish(result, options, 1);
}

BenchResult run_create_bucket(const BenchOptions& options) {
  S3RequestBuilder builder(options.endpoint, options.credentials);
  BlockingConnection connection(options.endpoint);
  OutgoingRequest request;
  request.head = builder.head("PUT", "/" + options.bucket, {}, uint64_t{0});
  const Clock::time_point start = Clock::now();
  Response response = connection.round_trip(request, /*keep_body=*/true);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();

  BenchResult result;
  result.mode = "create-bucket";
  result.unit = "req/s";
  result.requests = 1;
  result.seconds = seconds;
  result.rate = seconds > 0 ? 1 / seconds : 0;
  result.p50_us = result.p99_us = result.max_us = seconds * 1e6;
  const bool owned =
      response.status == 409 && response.body.find("BucketAlreadyOwnedByYou") != std::string::npos;
  if (response.status != 200 && !owned) {
    result.errors = 1;
    result.first_error = "HTTP status " + std::to_string(response.status) + ": " + response.body;
  }
  return finish(result, options, 1);
}

}  // namespace cv::bench
