// libcurl plumbing shared by the targets: owned handles, the options every transfer sets, and
// turning a curl result into a DeliveryFailure.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "workers/notify/targets/notification_target.h"

namespace cv::workers::notify {

struct CurlEasyDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct CurlSlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;
using CurlSlist = std::unique_ptr<curl_slist, CurlSlistDeleter>;

// A new easy handle (libcurl's global state initialised once, thread-safely), with: the
// timeout for the whole transfer and for connecting, no signals (threads), no redirects,
// only `protocols` ("http,https" or "smtp,smtps"), TLS peer and host checks unless
// verify_tls is false, and `error_text` (CURL_ERROR_SIZE bytes, outliving the handle's use)
// as the error buffer. Null when libcurl cannot allocate.
CurlEasy make_curl(std::chrono::seconds timeout, bool verify_tls, const char* protocols,
                   char* error_text);

// Appends a header line to a list; a null result means allocation failed.
bool append_header(CurlSlist& list, const std::string& line);

// The failure of a transfer that ended with `code` (not CURLE_OK): retryable unless retrying
// cannot help (bad URL, unsupported protocol, login denied). `context` names the target.
DeliveryFailure curl_failure(std::string_view context, CURLcode code, const char* error_text);

}  // namespace cv::workers::notify
