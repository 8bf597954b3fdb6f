// The replication benchmarks (bench_modes.h: run_copy_objects, run_replicate_objects): the same
// objects copied by CopyObject (the ceiling: a plain server-side copy) and by replication (a
// rule with ExistingObjectReplication, timed until the destination holds every object).
#include <algorithm>
#include <stdexcept>
#include <thread>

#include "bench_modes.h"
#include "core/hash.h"
#include "core/encoding.h"
#include "s3_requests.h"

namespace cv::bench {
namespace {

using Clock = std::chrono::steady_clock;

std::string object_key(uint64_t index) {
  char name[32];
  std::snprintf(name, sizeof name, "obj-%08llu", static_cast<unsigned long long>(index));
  return name;
}

uint64_t count_of(const BenchOptions& options) { return options.count > 0 ? options.count : 1000; }

int connections_for(const BenchOptions& options, uint64_t count) {
  return static_cast<int>(std::min<uint64_t>(std::max(1, options.connections), count));
}

Response send(BlockingConnection& connection, const S3RequestBuilder& builder,
              std::string_view method, const std::string& path, const QueryParams& query,
              const std::string& body, bool keep_body,
              std::vector<std::pair<std::string, std::string>> headers = {}) {
  OutgoingRequest request;
  if (!body.empty()) {
    headers.emplace_back("content-md5", base64_encode(md5(body)));
  }
  builder.build_head(method, path, query, body.size(), request.head, headers);
  request.body_pattern = body;
  request.body_length = body.size();
  return connection.round_trip(request, keep_body);
}

}  // namespace

BenchResult run_copy_objects(const BenchOptions& options) {
  if (options.dest_bucket.empty()) throw std::invalid_argument("copy-objects needs --dest");
  const uint64_t count = count_of(options);
  S3RequestBuilder builder(options.endpoint, options.credentials);
  // The objects, written first (untimed), from a 1 MiB repeated pattern.
  const std::string pattern(std::min<uint64_t>(std::max<uint64_t>(options.size, 1), 1 << 20), 'r');
  LoadPlan fill;
  fill.endpoint = options.endpoint;
  fill.connections = connections_for(options, count);
  fill.duration = std::chrono::hours(1);
  fill.next = [&](uint64_t sequence, OutgoingRequest& out) {
    if (sequence >= count) return false;
    builder.build_head("PUT", object_path(options.bucket, object_key(sequence)), {},
                       options.size, out.head);
    out.body_pattern = pattern;
    out.body_length = options.size;
    return true;
  };
  const LoadOutcome filled = run_load(fill);
  if (filled.errors > 0) throw std::runtime_error("filling failed: " + filled.first_error);

  LoadPlan copy = fill;
  copy.next = [&](uint64_t sequence, OutgoingRequest& out) {
    if (sequence >= count) return false;
    const std::string key = object_key(sequence);
    builder.build_head("PUT", object_path(options.dest_bucket, key), {}, 0, out.head,
                       {{"x-amz-copy-source", "/" + options.bucket + "/" + key}});
    out.body_pattern = {};
    out.body_length = 0;
    return true;
  };
  LoadOutcome copied = run_load(copy);
  BenchResult result;
  result.mode = "copy-objects";
  result.unit = "objects/s";
  result.requests = copied.requests;
  result.errors = copied.errors;
  result.first_error = copied.first_error;
  result.seconds = copied.seconds;
  result.rate = copied.seconds > 0 ? static_cast<double>(count) / copied.seconds : 0;
  result.bytes = count * options.size;
  result.connections = copy.connections;
  result.size = options.size;
  set_latencies(result, copied.latencies_us);
  return result;
}

BenchResult run_replicate_objects(const BenchOptions& options) {
  if (options.dest_bucket.empty()) throw std::invalid_argument("replicate-objects needs --dest");
  const uint64_t count = count_of(options);
  S3RequestBuilder builder(options.endpoint, options.credentials);
  BlockingConnection connection(options.endpoint);
  const std::string rule =
      "<ReplicationConfiguration><Role>arn:aws:iam::000000000000:role/bench</Role><Rule>"
      "<ID>bench</ID><Priority>1</Priority><Status>Enabled</Status><Filter><Prefix></Prefix>"
      "</Filter><Destination><Bucket>arn:aws:s3:::" +
      options.dest_bucket +
      "</Bucket></Destination><DeleteMarkerReplication><Status>Disabled</Status>"
      "</DeleteMarkerReplication><ExistingObjectReplication><Status>Enabled</Status>"
      "</ExistingObjectReplication></Rule></ReplicationConfiguration>";
  const Clock::time_point start = Clock::now();
  const Response put = send(connection, builder, "PUT", "/" + options.bucket,
                            {{"replication", ""}}, rule, true);
  if (put.status != 200) throw std::runtime_error("PutBucketReplication failed: " + put.body);
  const Clock::time_point deadline = start + std::chrono::duration_cast<Clock::duration>(
                                                 std::chrono::duration<double>(
                                                     std::max(options.duration_seconds, 600.0)));
  // Lists the destination from the first key not yet seen: each poll reads only what lies
  // beyond the keys already there in a row, so polling costs the server little and a finished
  // copy is seen at once. Done when the last key is there.
  uint64_t there = 0;
  while (there < count && Clock::now() <= deadline) {
    QueryParams query{{"list-type", "2"}, {"max-keys", "1000"}};
    if (there > 0) query.emplace_back("start-after", object_key(there - 1));
    const Response page =
        send(connection, builder, "GET", "/" + options.dest_bucket, query, "", true);
    if (page.status != 200) throw std::runtime_error("listing the destination failed");
    const uint64_t before = there;
    for (size_t at = page.body.find("<Key>"); at != std::string::npos && there < count;
         at = page.body.find("<Key>", at + 1)) {
      const size_t end = page.body.find("</Key>", at);
      if (page.body.compare(at + 5, end - at - 5, object_key(there)) != 0) break;
      ++there;
    }
    if (there == before) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  BenchResult result;
  result.mode = "replicate-objects";
  result.unit = "objects/s";
  result.requests = there;
  result.errors = count - std::min(count, there);
  if (result.errors > 0) result.first_error = "not every object was replicated in time";
  result.seconds = seconds;
  result.rate = seconds > 0 ? static_cast<double>(there) / seconds : 0;
  result.bytes = there * options.size;
  result.connections = 1;
  result.size = options.size;
  return result;
}

}  // namespace cv::bench
