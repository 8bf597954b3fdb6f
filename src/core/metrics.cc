#include "core/metrics.h"

#include <prometheus/text_serializer.h>

#include <mutex>

namespace cv {
namespace {

// Latency buckets (seconds): 1 ms to 30 s, enough resolution where S3 requests live.
const prometheus::Histogram::BucketBoundaries& duration_buckets() {
  static const prometheus::Histogram::BucketBoundaries buckets = {
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
  return buckets;
}

}  // namespace

Metrics::Metrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      requests_(prometheus::BuildCounter()
                    .Name("cloudvault_requests_total")
                    .Help("Requests answered, by API, operation and status class")
                    .Register(*registry_)),
      duration_(prometheus::BuildHistogram()
                    .Name("cloudvault_request_duration_seconds")
                    .Help("Time from a request's arrival to the end of its exchange")
                    .Register(*registry_)),
      bytes_in_(prometheus::BuildCounter()
                    .Name("cloudvault_request_body_bytes_received_total")
                    .Help("Request body bytes received, by API and operation")
                    .Register(*registry_)),
      bytes_out_(prometheus::BuildCounter()
                     .Name("cloudvault_response_body_bytes_sent_total")
                     .Help("Response body bytes sent, by API and operation")
                     .Register(*registry_)),
      auth_failures_(prometheus::BuildCounter()
                         .Name("cloudvault_authentication_failures_total")
                         .Help("Requests refused for their credentials, by API")
                         .Register(*registry_)),
      in_flight_(prometheus::BuildGauge()
                     .Name("cloudvault_requests_in_flight")
                     .Help("Requests being served")
                     .Register(*registry_)
                     .Add({})) {}

std::string_view Metrics::status_class(int status) {
  if (status >= 200 && status < 300) return "2xx";
  if (status >= 300 && status < 400) return "3xx";
  if (status >= 400 && status < 500) return "4xx";
  if (status >= 500 && status < 600) return "5xx";
  return "other";
}

Metrics::RequestSeries& Metrics::series(std::string_view api, std::string_view operation,
                                        std::string_view status_class) {
  const auto key = std::make_tuple(std::string(api), std::string(operation),
                                   std::string(status_class));
  {
    std::shared_lock lock(mutex_);
    if (auto it = series_.find(key); it != series_.end()) return it->second;
  }
  std::unique_lock lock(mutex_);
  if (auto it = series_.find(key); it != series_.end()) return it->second;
  const std::map<std::string, std::string> by_operation{{"api", std::string(api)},
                                                        {"operation", std::string(operation)}};
  auto with_status = by_operation;
  with_status.emplace("status_class", std::string(status_class));
  RequestSeries created{&requests_.Add(with_status),
                        &duration_.Add(by_operation, duration_buckets()),
                        &bytes_in_.Add(by_operation), &bytes_out_.Add(by_operation)};
  return series_.emplace(key, created).first->second;
}

void Metrics::observe_request(const RequestSample& sample) {
  RequestSeries& found =
      series(sample.api.empty() ? "other" : sample.api,
             sample.operation.empty() ? "UnknownOperation" : sample.operation,
             status_class(sample.status));
  found.requests->Increment();
  found.duration->Observe(sample.seconds);
  found.bytes_in->Increment(static_cast<double>(sample.bytes_in));
  found.bytes_out->Increment(static_cast<double>(sample.bytes_out));
}

void Metrics::request_started() { in_flight_.Increment(); }
void Metrics::request_finished() { in_flight_.Decrement(); }

void Metrics::authentication_failed(std::string_view api) {
  auth_failures_.Add({{"api", std::string(api)}}).Increment();
}

void Metrics::add_collectable(std::shared_ptr<const prometheus::Collectable> collectable) {
  std::unique_lock lock(mutex_);
  collectables_.push_back(std::move(collectable));
}

std::vector<prometheus::MetricFamily> Metrics::collect() const {
  std::vector<prometheus::MetricFamily> families = registry_->Collect();
  auto append = [&families](std::vector<prometheus::MetricFamily> more) {
    families.insert(families.end(), std::make_move_iterator(more.begin()),
                    std::make_move_iterator(more.end()));
  };
  append(process_.Collect());
  std::vector<std::shared_ptr<const prometheus::Collectable>> added;
  {
    std::shared_lock lock(mutex_);
    added = collectables_;
  }
  for (const auto& collectable : added) append(collectable->Collect());
  return families;
}

std::string Metrics::exposition() const {
  return prometheus::TextSerializer().Serialize(collect());
}

}  // namespace cv
