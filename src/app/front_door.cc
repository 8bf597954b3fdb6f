#include "app/front_door.h"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include "console/asset_server.h"
#include "console/console_api.h"
#include "iam_api/iam_api.h"

namespace cv::app {
namespace {

// Signed for S3 (header or presigned, SigV4 or SigV2): a request for the S3 API.
bool signed_for_s3(const Request& request) {
  if (const std::string* authorization = request.headers.find("authorization")) {
    if (authorization->starts_with("AWS")) return true;
  }
  return find_param(request.params, "X-Amz-Signature") != nullptr ||
         find_param(request.params, "Signature") != nullptr;
}

Response json_status(int status, std::string body) {
  Response response;
  response.status = status;
  response.headers.add("content-type", "application/json");
  response.body = std::move(body);
  return response;
}

// Ends one in-flight request when the exchange's completion hook runs or is dropped.
struct InFlight {
  Metrics* metrics;
  explicit InFlight(Metrics* m) : metrics(m) { metrics->request_started(); }
  ~InFlight() { metrics->request_finished(); }
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;
};

// The access record of a response about to be sent; byte counts and duration come later.
AccessRecord access_record(const Request& request, Response& response, std::string_view api) {
  AccessRecord record;
  record.request_id = request.request_id;
  record.remote_address = request.remote_address;
  record.user = std::move(response.user);
  record.api = api;
  record.operation = response.operation;
  record.bucket = std::move(response.bucket);
  record.key = std::move(response.key);
  record.status = response.status;
  record.error_code = std::move(response.error_code);
  record.user_agent = request.headers.get("user-agent");
  return record;
}

}  // namespace

void FrontDoor::serve_metrics(Metrics& metrics, std::string bearer_token) {
  metrics_ = &metrics;
  metrics_token_ = std::move(bearer_token);
}

Response FrontDoor::metrics_response(const Request& request) const {
  if (!metrics_token_.empty()) {
    const std::string* authorization = request.headers.find("authorization");
    if (authorization == nullptr || *authorization != "Bearer " + metrics_token_) {
      Response refused = json_status(401, R"({"error":"a bearer token is required"})");
      refused.headers.add("www-authenticate", "Bearer");
      return refused;
    }
  } else if (!from_loopback(request)) {
    return json_status(403, R"({"error":"metrics are served to loopback peers only"})");
  }
  Response response;
  response.headers.add("content-type", "text/plain; version=0.0.4; charset=utf-8");
  response.body = metrics_->exposition();
  return response;
}

Response FrontDoor::MetricsListener::handle(Request& request) {
  const bool metrics = request.path == "/metrics" && request.method == "GET";
  const bool health = request.path == "/_cloudvault/health" &&
                      (request.method == "GET" || request.method == "HEAD");
  if (door_.metrics_ == nullptr || (!metrics && !health)) {
    return json_status(404, R"({"error":"this listener serves /metrics only"})");
  }
  if (health) return door_.handle(request);
  // Signed or not, never S3 here.
  return door_.recorded(request, [&](std::string_view&) {
    Response response = door_.metrics_response(request);
    response.operation = "GetMetrics";
    return response;
  });
}

Response FrontDoor::handle(Request& request) {
  if (metrics_ == nullptr && access_log_ == nullptr) {
    std::string_view api;
    return dispatch(request, api);
  }
  return recorded(request, [&](std::string_view& api) { return dispatch(request, api); });
}

Response FrontDoor::recorded(Request& request,
                             const std::function<Response(std::string_view& api)>& serve) {
  std::unique_ptr<InFlight> in_flight;
  if (metrics_ != nullptr) in_flight = std::make_unique<InFlight>(metrics_);
  const auto started = std::chrono::steady_clock::now();
  std::string_view api = "other";
  Response response = serve(api);
  if (metrics_ != nullptr && response.authentication_failed) metrics_->authentication_failed(api);
  std::optional<AccessRecord> record;
  if (access_log_ != nullptr) record = access_record(request, response, api);
  response.on_complete =
      [metrics = metrics_, access_log = access_log_, in_flight = std::move(in_flight), started, api,
       operation = response.operation, status = response.status, record = std::move(record),
       previous = std::move(response.on_complete)](const ExchangeTotals& totals) mutable {
        if (previous) previous(totals);
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        if (metrics != nullptr) {
          metrics->observe_request(RequestSample{api, operation, status, seconds,
                                                 totals.body_bytes_in, totals.body_bytes_out});
        }
        if (record) {
          record->bytes_in = totals.body_bytes_in;
          record->bytes_out = totals.body_bytes_out;
          record->duration_ms = seconds * 1000;
          access_log->write(*record);
        }
      };
  return response;
}

void FrontDoor::log_refusal(const Request& request, Response& response) {
  if (access_log_ == nullptr) return;
  const auto started = std::chrono::steady_clock::now();
  response.on_complete =
      [access_log = access_log_, started, record = access_record(request, response, "other"),
       previous = std::move(response.on_complete)](const ExchangeTotals& totals) mutable {
        if (previous) previous(totals);
        record.bytes_in = totals.body_bytes_in;
        record.bytes_out = totals.body_bytes_out;
        record.duration_ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
                .count();
        access_log->write(record);
      };
}

Response FrontDoor::dispatch(Request& request, std::string_view& api) {
  if (metrics_ != nullptr && request.path == "/metrics" && request.method == "GET" &&
      !signed_for_s3(request)) {
    Response response = metrics_response(request);
    response.operation = "GetMetrics";
    return response;
  }
  if (request.path == "/_cloudvault/health" &&
      (request.method == "GET" || request.method == "HEAD")) {
    Response response;
    response.headers.add("content-type", "application/json");
    response.body = R"({"status":"ok"})";
    return response;
  }
  if (readiness_ != nullptr && request.path == "/_cloudvault/ready" &&
      (request.method == "GET" || request.method == "HEAD")) {
    const ReadinessReport report = readiness_->report();
    Response response =
        json_status(report.ready() ? 200 : 503, readiness_json(report, from_loopback(request)));
    response.headers.add("cache-control", "no-store");
    response.operation = "GetReadiness";
    return response;
  }
  if (request.path == kTrailPublicKeyPath &&
      (request.method == "GET" || request.method == "HEAD")) {
    Response response;
    if (trail_public_key_.empty()) {
      response.status = 404;
      response.headers.add("content-type", "application/json");
      response.body = R"({"error":"the audit trail is off"})";
      return response;
    }
    response.headers.add("content-type", "application/x-pem-file");
    response.body = trail_public_key_;
    return response;
  }
  if (console::ConsoleApi::owns(request)) {
    api = "console";
    return console_.handle(request);
  }
  if (console::AssetServer::owns(request)) {
    api = "console";
    Response response = assets_.handle(request);
    response.operation = "ConsoleAsset";
    return response;
  }
  if (query_api_ != nullptr && iam_api::IamApi::owns(request)) {
    api = iam_api::query_service_of(request) == "sts" ? "sts" : "iam";
    return query_api_->handle(request);
  }
  api = "s3";
  return s3_.handle(request);
}

}  // namespace cv::app
