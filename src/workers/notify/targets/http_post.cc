#include "workers/notify/targets/http_post.h"

#include <algorithm>

#include "workers/notify/targets/curl_support.h"
#include "workers/notify/targets/target_settings.h"

namespace cv::workers::notify {
namespace {

constexpr size_t kKeptAnswer = 200;  // bytes of a refusal's body quoted in the message

size_t keep_answer(char* data, size_t size, size_t count, void* user) {
  auto* answer = static_cast<std::string*>(user);
  const size_t n = size * count;
  if (answer->size() < kKeptAnswer) answer->append(data, std::min(n, kKeptAnswer - answer->size()));
  return n;
}

}  // namespace

DeliveryFailure::Kind classify_http_status(long status) {
  if (status == 408 || status == 429 || status >= 500 || status < 100) {
    return DeliveryFailure::Kind::kRetryable;
  }
  return DeliveryFailure::Kind::kPermanent;
}

DeliveryResult post_json(const JsonPost& post) {
  const std::string context =
      "target " + std::string(post.target) + " (" + redact_url(post.url) + ")";
  char error_text[CURL_ERROR_SIZE];
  CurlEasy handle = make_curl(post.timeout, post.verify_tls, "http,https", error_text,
                              post.pool ? post.pool->acquire() : CurlEasy());
  CurlSlist headers;
  bool ok = static_cast<bool>(handle) && append_header(headers, "Content-Type: application/json") &&
            append_header(headers, "Expect:");
  for (const std::string& line : post.headers) ok = ok && append_header(headers, line);
  if (!ok) return std::unexpected(curl_failure(context, CURLE_OUT_OF_MEMORY, nullptr));
  const std::string url(post.url);
  std::string answer;
  CURL* h = handle.get();
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, post.body.data());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(post.body.size()));
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_USERAGENT, "CloudVault-Notifications/1");
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, keep_answer);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &answer);
  const CURLcode code = curl_easy_perform(h);
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  DeliveryFailure transfer_failure;
  if (code != CURLE_OK) transfer_failure = curl_failure(context, code, error_text);
  if (post.pool) post.pool->release(std::move(handle));
  if (code != CURLE_OK) return std::unexpected(std::move(transfer_failure));
  if (status >= 200 && status < 300) return {};
  DeliveryFailure failure{classify_http_status(status),
                          context + ": HTTP " + std::to_string(status)};
  for (char& c : answer) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  if (!answer.empty()) failure.message += ": " + answer;
  return std::unexpected(std::move(failure));
}

}  // namespace cv::workers::notify
