// The first handler a request meets: CloudVault's own endpoints (health, readiness, metrics),
// the console API
// (/_console/api/) and the console's web assets (/_console/, and a browser's visit to /) by
// path, requests signed for IAM or STS (credential scope service "iam"/"sts") to the query
// API, and everything else to the S3 API.
#pragma once

#include <functional>
#include <string>

#include "app/readiness.h"
#include "app/access_log.h"
#include "core/http_message.h"
#include "core/metrics.h"

namespace cv::app {

inline constexpr std::string_view kTrailPublicKeyPath = "/_cloudvault/trail/public-key";

class FrontDoor final : public RequestHandler {
 public:
  // `trail_public_key`: the PEM published at kTrailPublicKeyPath; empty: the trail is off (404).
  // `query_api`: the IAM/STS query API (iam_api::IamApi); null: such requests go to S3,
  // which refuses their service.
  FrontDoor(RequestHandler& s3, RequestHandler& console, RequestHandler& assets,
            std::string trail_public_key = {}, RequestHandler* query_api = nullptr)
      : s3_(s3),
        console_(console),
        assets_(assets),
        trail_public_key_(std::move(trail_public_key)),
        query_api_(query_api) {}
  // Records every request into `metrics` (count, latency, bytes by API and operation; in
  // flight) and serves GET /metrics: with `bearer_token` set, to a request carrying
  // "Authorization: Bearer <token>" only (401 otherwise); without, to loopback peers only
  // (403 otherwise). A GET /metrics signed for S3 (an anonymous or signed ListObjects of a
  // bucket named "metrics") still goes to S3. Call before serving; `metrics` must outlive it.
  // Requests refused for their credentials (Response::authentication_failed) are counted in
  // cloudvault_authentication_failures_total by API.
  void serve_metrics(Metrics& metrics, std::string bearer_token);
  // Writes one access record per request into `log` when its exchange has ended (when
  // log.enabled()). Call before serving; `log` must outlive it.
  void log_access(AccessLog& log) { access_log_ = log.enabled() ? &log : nullptr; }
  // The access record of a request the http layer refused before any handler saw it (not
  // valid HTTP/1.1: http::ServerOptions::on_refusal), under api "other", written when the
  // refusal has been sent. Not counted in the metrics.
  void log_refusal(const Request& request, Response& response);

  // Serves GET/HEAD /_cloudvault/ready from `readiness` (app/readiness.h): 200 when ready,
  // 503 when not, the JSON of readiness_json; in full (paths, free space, what failed) to
  // loopback peers, only each check's name and outcome to others. Unserved (404 from S3)
  // until called. Call before serving; `readiness` must outlive it.
  void serve_readiness(const Readiness& readiness) { readiness_ = &readiness; }

  // The handler of the separate metrics listener ([metrics] listen): GET /metrics under the
  // same access rule (signed or not: nothing else is served there) and the health endpoint;
  // anything else 404. Requests are recorded as on the main port. Call serve_metrics first.
  RequestHandler& metrics_listener() { return metrics_listener_; }

  // GET /_cloudvault/health answers {"status":"ok"} and GET /_cloudvault/trail/public-key the
  // trail's digest signing key (PEM), both without authentication.
  Response handle(Request& request) override;

 private:
  RequestHandler& s3_;
  RequestHandler& console_;
  RequestHandler& assets_;
  std::string trail_public_key_;
  RequestHandler* query_api_;
  Metrics* metrics_ = nullptr;
  std::string metrics_token_;
  const Readiness* readiness_ = nullptr;
  AccessLog* access_log_ = nullptr;

  class MetricsListener final : public RequestHandler {
   public:
    explicit MetricsListener(FrontDoor& door) : door_(door) {}
    Response handle(Request& request) override;

   private:
    FrontDoor& door_;
  };
  MetricsListener metrics_listener_{*this};

  Response dispatch(Request& request, std::string_view& api);
  // Runs `serve` (which names the API) and records the exchange into metrics_ when it ends.
  Response recorded(Request& request, const std::function<Response(std::string_view& api)>& serve);
  Response metrics_response(const Request& request) const;
};

}  // namespace cv::app
