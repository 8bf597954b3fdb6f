#include "app/front_door.h"

#include "console/asset_server.h"
#include "console/console_api.h"
#include "iam_api/iam_api.h"

namespace cv::app {

Response FrontDoor::handle(Request& request) {
  if (request.path == "/_cloudvault/health" &&
      (request.method == "GET" || request.method == "HEAD")) {
    Response response;
    response.headers.add("content-type", "application/json");
    response.body = R"({"status":"ok"})";
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
  if (console::ConsoleApi::owns(request)) return console_.handle(request);
  if (console::AssetServer::owns(request)) return assets_.handle(request);
  if (query_api_ != nullptr && iam_api::IamApi::owns(request)) return query_api_->handle(request);
  return s3_.handle(request);
}

}  // namespace cv::app
