// libcurl plumbing shared by the targets: owned handles, the options every transfer sets, and
// turning a curl result into a DeliveryFailure.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

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
// as the error buffer. Null when libcurl cannot allocate. With `reuse` (from a
// CurlHandlePool) that handle is set up instead of a new one, keeping its open connections.
CurlEasy make_curl(std::chrono::seconds timeout, bool verify_tls, const char* protocols,
                   char* error_text, CurlEasy reuse = {});

// Idle easy handles kept between deliveries so that their connections (and TLS sessions) to
// a receiver that keeps them alive are reused. Thread-safe; a handle is used by one thread at
// a time (acquire, use, release); at most `capacity` idle handles are kept.
class CurlHandlePool {
 public:
  explicit CurlHandlePool(size_t capacity = 8) : capacity_(capacity) {}
  // An idle handle, or null when there is none (make_curl then makes a new one).
  CurlEasy acquire();
  // Resets the handle's options (not its connections) and keeps it, or frees it when full.
  void release(CurlEasy handle);

 private:
  const size_t capacity_;
  std::mutex mutex_;
  std::vector<CurlEasy> idle_;
};

// Appends a header line to a list; a null result means allocation failed.
bool append_header(CurlSlist& list, const std::string& line);

// The failure of a transfer that ended with `code` (not CURLE_OK): retryable unless retrying
// cannot help (bad URL, unsupported protocol, login denied). `context` names the target.
DeliveryFailure curl_failure(std::string_view context, CURLcode code, const char* error_text);

}  // namespace cv::workers::notify
