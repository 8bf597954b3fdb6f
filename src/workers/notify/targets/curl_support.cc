#include "workers/notify/targets/curl_support.h"

#include <mutex>

namespace cv::workers::notify {

CurlEasy make_curl(std::chrono::seconds timeout, bool verify_tls, const char* protocols,
                   char* error_text, CurlEasy reuse) {
  static std::once_flag initialised;
  std::call_once(initialised, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  CurlEasy handle = reuse ? std::move(reuse) : CurlEasy(curl_easy_init());
  if (!handle) return handle;
  CURL* h = handle.get();
  error_text[0] = '\0';
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_text);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count() * 1000));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout.count() * 1000));
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, protocols);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, verify_tls ? 1L : 0L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, verify_tls ? 2L : 0L);
  return handle;
}

CurlEasy CurlHandlePool::acquire() {
  std::lock_guard lock(mutex_);
  if (idle_.empty()) return {};
  CurlEasy handle = std::move(idle_.back());
  idle_.pop_back();
  return handle;
}

void CurlHandlePool::release(CurlEasy handle) {
  if (!handle) return;
  curl_easy_reset(handle.get());  // forgets options (and the caller's buffers), keeps connections
  std::lock_guard lock(mutex_);
  if (idle_.size() < capacity_) idle_.push_back(std::move(handle));
}

bool append_header(CurlSlist& list, const std::string& line) {
  curl_slist* grown = curl_slist_append(list.get(), line.c_str());
  if (!grown) return false;
  static_cast<void>(list.release());
  list.reset(grown);
  return true;
}

DeliveryFailure curl_failure(std::string_view context, CURLcode code, const char* error_text) {
  DeliveryFailure failure;
  switch (code) {
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_LOGIN_DENIED:
    case CURLE_OUT_OF_MEMORY:
      failure.kind = DeliveryFailure::Kind::kPermanent;
      break;
    default:
      failure.kind = DeliveryFailure::Kind::kRetryable;
  }
  failure.message = std::string(context) + ": " +
                    (error_text && error_text[0] ? std::string(error_text)
                                                 : std::string(curl_easy_strerror(code)));
  if (code == CURLE_OPERATION_TIMEDOUT) failure.message += " (timed out)";
  return failure;
}

}  // namespace cv::workers::notify
