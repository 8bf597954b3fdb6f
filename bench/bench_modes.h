// The measurements cv_bench can make. Each returns one BenchResult; setup failures (server
// down, bucket missing, prefill errors) throw std::runtime_error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "auth/sigv4.h"
#include "bench_result.h"
#include "http_client.h"

namespace cv::bench {

struct BenchOptions {
  Endpoint endpoint;
  std::string bucket = "bench";
  std::optional<auth::SigningCredentials> credentials;  // unset: unsigned requests
  int connections = 32;
  int threads = 1;
  double duration_seconds = 10;
  uint64_t size = 4096;
  uint64_t keys = 1000;  // get: keys to prefill and cycle through; list: keys to list
  uint64_t count = 0;    // put: stop after this many requests (0: run for the duration)
  std::string prefix;    // key prefix; empty picks a fresh random one
  bool prefill = true;   // get/list: write the keys first
  std::string path;      // get --no-sign: the path to fetch
  std::string key = "bench-large-object";  // put-large / get-large
  uint16_t sink_port = 0;  // notify-*: where the webhook sink listens (127.0.0.1)
  double put_rate = 500;   // notify-latency: PUTs per second
  std::string dest_bucket;  // copy-objects / replicate-objects: where the copies go
};

// PUT of distinct keys <prefix>00000000, ...01, ..., `size` bytes each, for the duration (or
// `count` of them).
BenchResult run_put(const BenchOptions& options);
// GET cycling over `keys` keys (prefilled with `size` bytes unless !prefill), or of `path`
// when unsigned.
BenchResult run_get(const BenchOptions& options);
// One PUT of `size` bytes streamed from a small repeated buffer; rate in MiB/s.
BenchResult run_put_large(const BenchOptions& options);
// One GET of `key`, body discarded; rate in MiB/s.
BenchResult run_get_large(const BenchOptions& options);
// ListObjectsV2 (max-keys 1000) paging through `keys` keys, repeated for the duration;
// rate in keys/s, latencies per page.
BenchResult run_list(const BenchOptions& options);
// Notification delivery (notify_modes.cc), with a webhook sink on 127.0.0.1:sink_port that the
// server's target points at. notify-burst: PUTs `count` objects (default 20,000) as fast as
// `connections` allow, waits up to `duration` for their events; rate = events / (last arrival -
// first arrival), max_us = last arrival after the last acknowledgement. notify-latency: PUTs at
// `put_rate` per second on one connection for `duration`; latencies = event arrival - PUT
// acknowledgement.
BenchResult run_notify_burst(const BenchOptions& options);
BenchResult run_notify_latency(const BenchOptions& options);

// Replication against its ceiling (replication_modes.cc). copy-objects writes `count` objects
// (default 1,000) "obj-NNNNNNNN" of `size` bytes into `bucket` (untimed), then CopyObjects each
// into `dest_bucket` over `connections` connections: objects/s of the copy. replicate-objects
// then puts a replication rule on `bucket` (versioned, like `dest_bucket`) that copies the
// existing objects to `dest_bucket`, and times from the request to the moment the last of
// them is there (listings from the first key not yet there, 2 ms between polls without
// progress): objects/s of replication.
BenchResult run_copy_objects(const BenchOptions& options);
BenchResult run_replicate_objects(const BenchOptions& options);
// PUT /bucket; "already owned by you" counts as success.
BenchResult run_create_bucket(const BenchOptions& options);

}  // namespace cv::bench
