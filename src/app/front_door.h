// The first handler a request meets: CloudVault's own endpoints (health), the console API
// (/_console/api/) and the console's web assets (/_console/, and a browser's visit to /) by
// path, and everything else to the S3 API.
#pragma once

#include "core/http_message.h"

namespace cv::app {

class FrontDoor final : public RequestHandler {
 public:
  FrontDoor(RequestHandler& s3, RequestHandler& console, RequestHandler& assets)
      : s3_(s3), console_(console), assets_(assets) {}
  // GET /_cloudvault/health answers {"status":"ok"} without authentication.
  Response handle(Request& request) override;

 private:
  RequestHandler& s3_;
  RequestHandler& console_;
  RequestHandler& assets_;
};

}  // namespace cv::app
