// The server's metrics registry (issue 15): one prometheus-cpp Registry per server, the
// families every front-end records requests into, and the text exposition GET /metrics
// answers. Labels are bounded by construction: an API ("s3", "console", "iam", "sts",
// "other"), an operation name from a fixed set (the router's, the console's route names, the
// query APIs' known actions; anything else "UnknownOperation"), and a status class ("2xx"..
// "5xx"). No key, bucket or request id is ever a label. The standard process metrics and the
// host's CPU time (core/process_collector.h) are always included.
//
// Thread-safe: record from any thread; exposition() may run concurrently.
#pragma once

#include <prometheus/collectable.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "core/process_collector.h"

namespace cv {

// What one served request contributes.
struct RequestSample {
  std::string_view api;        // "s3", "console", "iam", "sts", "other"
  std::string_view operation;  // "GetObject"; empty: "UnknownOperation"
  int status = 200;
  double seconds = 0;  // from arrival to the end of the exchange
  uint64_t bytes_in = 0;
  uint64_t bytes_out = 0;
};

class Metrics {
 public:
  Metrics();

  void observe_request(const RequestSample& sample);
  // In-flight requests (started, not yet finished).
  void request_started();
  void request_finished();
  // A request refused for its credentials (bad signature, unknown key, expired token), by API.
  void authentication_failed(std::string_view api);

  // The registry, for layers that add families of their own.
  prometheus::Registry& registry() { return *registry_; }
  // Adds families computed when collected (figures read at scrape time: disk space,
  // readiness, gauges read from the metadata store). Its Collect() runs on the collecting
  // thread and must be thread-safe; it is kept alive as long as this. Thread-safe.
  void add_collectable(std::shared_ptr<const prometheus::Collectable> collectable);
  // Every family: the registry's, the process collector's and the added collectables'.
  // Read this (not registry().Collect()) for the live values.
  std::vector<prometheus::MetricFamily> collect() const;
  // collect() in Prometheus' text exposition format (version 0.0.4).
  std::string exposition() const;

  // "2xx" .. "5xx" ("1xx" and anything odd as "other").
  static std::string_view status_class(int status);

 private:
  struct RequestSeries {
    prometheus::Counter* requests;
    prometheus::Histogram* duration;
    prometheus::Counter* bytes_in;
    prometheus::Counter* bytes_out;
  };
  RequestSeries& series(std::string_view api, std::string_view operation,
                        std::string_view status_class);

  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& duration_;
  prometheus::Family<prometheus::Counter>& bytes_in_;
  prometheus::Family<prometheus::Counter>& bytes_out_;
  prometheus::Family<prometheus::Counter>& auth_failures_;
  prometheus::Gauge& in_flight_;
  ProcessCollector process_;
  mutable std::shared_mutex mutex_;  // guards series_ and collectables_
  std::vector<std::shared_ptr<const prometheus::Collectable>> collectables_;
  std::map<std::tuple<std::string, std::string, std::string>, RequestSeries, std::less<>> series_;
};

}  // namespace cv
