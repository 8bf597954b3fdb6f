// The first handler a request meets: CloudVault's own endpoints (health) by path, and
// everything else to the S3 API.
#pragma once

#include "core/http_message.h"

namespace cv::app {

class FrontDoor final : public RequestHandler {
 public:
  explicit FrontDoor(RequestHandler& s3) : s3_(s3) {}
  // GET /_cloudvault/health answers {"status":"ok"} without authentication.
  Response handle(Request& request) override;

 private:
  RequestHandler& s3_;
};

}  // namespace cv::app
