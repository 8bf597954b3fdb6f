// One JSON POST over libcurl, as the webhook, Slack and Discord targets send them.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "workers/notify/targets/curl_support.h"
#include "workers/notify/targets/notification_target.h"

namespace cv::workers::notify {

struct JsonPost {
  std::string_view target;  // the target's name, for failure messages
  std::string_view url;
  std::string_view body;
  std::vector<std::string> headers;  // extra "Name: value" lines
  std::chrono::seconds timeout{10};
  bool verify_tls = true;
  CurlHandlePool* pool = nullptr;  // where to take and return the handle; null: a fresh one
};

// POSTs `body` with Content-Type application/json. 2xx: delivered. Otherwise a failure whose
// message names the target, the status and the start of the receiver's answer; permanent for
// 3xx (redirects are not followed) and 4xx other than 408 and 429, retryable for 408, 429,
// 5xx, timeouts and network errors. Blocks at most `timeout`. Thread-safe.
DeliveryResult post_json(const JsonPost& post);

// The kind of failure an HTTP status other than 2xx is.
DeliveryFailure::Kind classify_http_status(long status);

}  // namespace cv::workers::notify
