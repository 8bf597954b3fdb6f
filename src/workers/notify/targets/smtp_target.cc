#include "workers/notify/targets/smtp_target.h"

#include <algorithm>
#include <array>

#include "core/encoding.h"
#include "core/hash.h"
#include "workers/notify/targets/curl_support.h"
#include "workers/notify/targets/email_message.h"

namespace cv::workers::notify {
namespace {

struct Upload {
  std::string_view data;
  size_t offset = 0;
};

size_t read_upload(char* buffer, size_t size, size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const size_t n = std::min(size * count, upload->data.size() - upload->offset);
  std::copy_n(upload->data.data() + upload->offset, n, buffer);
  upload->offset += n;
  return n;
}

std::string new_message_id(std::string_view from) {
  std::array<unsigned char, 16> random{};
  random_bytes(random);
  const size_t at = from.rfind('@');
  const std::string_view domain = at == std::string_view::npos ? "cloudvault" : from.substr(at + 1);
  return hex_encode(std::string_view(reinterpret_cast<const char*>(random.data()), random.size())) +
         "@" + std::string(domain);
}

}  // namespace

SmtpTarget::SmtpTarget(TargetSettings settings, const Clock& clock)
    : settings_(std::move(settings)), clock_(clock) {}

DeliveryResult SmtpTarget::deliver(const NotificationMessage& message) {
  const std::string context = "target " + settings_.name + " (" + redact_url(settings_.url) + ")";
  const std::string mail = compose_email(message, {settings_.from, settings_.to, settings_.name},
                                         clock_.now(), new_message_id(settings_.from));
  char error_text[CURL_ERROR_SIZE];
  CurlEasy handle = make_curl(settings_.timeout, settings_.verify_tls, "smtp,smtps", error_text);
  CurlSlist recipients;
  bool ok = static_cast<bool>(handle);
  for (const std::string& address : settings_.to) {
    ok = ok && append_header(recipients, "<" + address + ">");
  }
  if (!ok) return std::unexpected(curl_failure(context, CURLE_OUT_OF_MEMORY, nullptr));
  CURL* h = handle.get();
  const std::string from = "<" + settings_.from + ">";
  Upload upload{mail};
  curl_easy_setopt(h, CURLOPT_URL, settings_.url.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h, CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt(h, CURLOPT_READDATA, &upload);
  curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(mail.size()));
  if (!settings_.url.starts_with("smtps://")) {
    curl_easy_setopt(h, CURLOPT_USE_SSL,
                     settings_.username.empty() ? static_cast<long>(CURLUSESSL_TRY)
                                                : static_cast<long>(CURLUSESSL_ALL));
  }
  if (!settings_.username.empty()) {
    curl_easy_setopt(h, CURLOPT_USERNAME, settings_.username.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, settings_.password.c_str());
  }
  const CURLcode code = curl_easy_perform(h);
  if (code == CURLE_OK) return {};
  DeliveryFailure failure = curl_failure(context, code, error_text);
  long reply = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply);
  if (reply >= 400 && reply < 600) {
    failure.kind =
        reply >= 500 ? DeliveryFailure::Kind::kPermanent : DeliveryFailure::Kind::kRetryable;
    failure.message += " (SMTP reply " + std::to_string(reply) + ")";
  }
  return std::unexpected(std::move(failure));
}

}  // namespace cv::workers::notify
