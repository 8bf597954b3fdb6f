#include "remote/http_transport.h"

#include <charconv>

#include <curl/curl.h>

#include <algorithm>
#include <optional>

#include "core/encoding.h"
#include "core/hash.h"

namespace cv::remote {
namespace {

constexpr size_t kMaxIdleHandles = 8;
constexpr uint64_t kExpectContinueFrom = 1 << 20;

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using SlistPtr = std::unique_ptr<curl_slist, SlistDeleter>;

// libcurl must be initialised once per process before handles are made. It is the library's
// own global state, not ours: once per process, never undone.
void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// The state of one transfer, shared with curl's callbacks.
struct Exchange {
  HttpReply reply;
  size_t max_body = 0;
  bool body_overflow = false;
  ByteSource* source = nullptr;
  uint64_t remaining = 0;
  uint64_t size = 0;
  Digest md5{Digest::Algorithm::kMd5};
  std::optional<Error> source_error;
};

size_t on_read(char* buffer, size_t size, size_t count, void* user) {
  auto& exchange = *static_cast<Exchange*>(user);
  if (exchange.remaining == 0) return 0;
  const size_t want = static_cast<size_t>(std::min<uint64_t>(size * count, exchange.remaining));
  auto got = exchange.source->read(std::span<char>(buffer, want));
  if (!got) {
    exchange.source_error = std::move(got).error();
    return CURL_READFUNC_ABORT;
  }
  if (*got == 0) {
    exchange.source_error =
        Error{ErrorCode::kIncompleteBody, "the body source ended after " +
                                              std::to_string(exchange.size - exchange.remaining) +
                                              " of " + std::to_string(exchange.size) + " bytes"};
    return CURL_READFUNC_ABORT;
  }
  exchange.md5.update(std::string_view(buffer, *got));
  exchange.remaining -= *got;
  exchange.reply.body_bytes_sent += *got;
  return *got;
}

size_t on_write(char* data, size_t size, size_t count, void* user) {
  auto& exchange = *static_cast<Exchange*>(user);
  const size_t n = size * count;
  if (exchange.reply.body.size() + n > exchange.max_body) {
    exchange.body_overflow = true;
    return 0;  // aborts the transfer
  }
  if (exchange.reply.body.empty()) {
    // One allocation of the announced size (at most the cap), not a doubling per append.
    if (const std::string* length = exchange.reply.headers.find("content-length")) {
      uint64_t announced = 0;
      const auto [end, error] =
          std::from_chars(length->data(), length->data() + length->size(), announced);
      if (error == std::errc()) {
        exchange.reply.body.reserve(static_cast<size_t>(std::min<uint64_t>(announced, exchange.max_body)));
      }
    }
  }
  exchange.reply.body.append(data, n);
  return n;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto& exchange = *static_cast<Exchange*>(user);
  const size_t n = size * count;
  std::string_view line(data, n);
  if (line.starts_with("HTTP/")) {
    exchange.reply.headers = Headers();  // a new response (after 100 Continue)
    return n;
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) return n;  // blank line ending the header block
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.remove_suffix(1);
  exchange.reply.headers.add(to_lower(trim(line.substr(0, colon))), trim(value));
  return n;
}

bool is_permanent(CURLcode code) {
  switch (code) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_NOT_BUILT_IN:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_BAD_FUNCTION_ARGUMENT:
    case CURLE_UNKNOWN_OPTION:
      return true;
    default:
      return false;
  }
}

RemoteError transfer_error(CURLcode code, const char* detail) {
  std::string message = curl_easy_strerror(code);
  if (detail && *detail) message += std::string(": ") + detail;
  if (code == CURLE_OPERATION_TIMEDOUT) {
    return network_error(ErrorCode::kRequestTimeout, std::move(message), true);
  }
  if (is_permanent(code))
    return network_error(ErrorCode::kInvalidRequest, std::move(message), false);
  return network_error(ErrorCode::kServiceUnavailable, std::move(message), true);
}

}  // namespace

struct HttpTransport::Handle {
  std::unique_ptr<CURL, CurlDeleter> curl;
};

HttpTransport::HttpTransport(TransportOptions options) : options_(std::move(options)) {
  init_curl_once();
}

HttpTransport::~HttpTransport() = default;

std::unique_ptr<HttpTransport::Handle> HttpTransport::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto handle = std::move(idle_.back());
      idle_.pop_back();
      curl_easy_reset(handle->curl.get());  // keeps the connection cache
      return handle;
    }
  }
  auto handle = std::make_unique<Handle>();
  handle->curl.reset(curl_easy_init());
  return handle;
}

void HttpTransport::release(std::unique_ptr<Handle> handle) {
  std::lock_guard lock(mutex_);
  if (idle_.size() < kMaxIdleHandles) idle_.push_back(std::move(handle));
}

RemoteResult<HttpReply> HttpTransport::perform(const HttpCall& call) {
  auto handle = acquire();
  CURL* curl = handle->curl.get();
  if (!curl)
    return std::unexpected(network_error(ErrorCode::kInternalError, "curl_easy_init failed", true));

  Exchange exchange;
  exchange.max_body = options_.max_response_body;
  StringSource text_source(call.body_text);
  const bool upload = call.method == "PUT";
  if (upload) {
    exchange.source = call.body_source ? call.body_source : &text_source;
    exchange.size = call.body_source ? call.body_size : call.body_text.size();
    exchange.remaining = exchange.size;
  }

  SlistPtr headers;
  bool has_content_type = false;
  for (const auto& [name, value] : call.headers) {
    has_content_type = has_content_type || ascii_iequals(name, "content-type");
    // "name;" sends a header with an empty value ("name:" would remove it).
    const std::string line = value.empty() ? name + ";" : name + ": " + value;
    headers.reset(curl_slist_append(headers.release(), line.c_str()));
  }
  // Keeps curl from adding application/x-www-form-urlencoded to a POST, which S3 would take
  // as the content type of the object a CreateMultipartUpload makes.
  if (call.method == "POST" && !has_content_type) {
    headers.reset(curl_slist_append(headers.release(), "Content-Type:"));
  }
  // curl asks for 100 Continue before any PUT body; worth it (a refused request costs no
  // body) only for large ones: a server that ignores Expect makes curl wait a second.
  if (upload && exchange.size < kExpectContinueFrom) {
    headers.reset(curl_slist_append(headers.release(), "Expect:"));
  }

  char error_buffer[CURL_ERROR_SIZE] = {};
  const long stall = static_cast<long>(
      (call.stall_time.count() > 0 ? call.stall_time : options_.stall_time).count());
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(curl, CURLOPT_URL, call.url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
  curl_easy_setopt(curl, CURLOPT_PATH_AS_IS, 1L);  // keys may have "." and ".." segments
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT,
                   static_cast<long>(options_.stall_bytes_per_second));
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, stall);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, options_.verify_tls ? 1L : 0L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, options_.verify_tls ? 2L : 0L);
  if (!options_.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, options_.ca_file.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &exchange);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_write);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &exchange);

  if (upload) {
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_UPLOAD_BUFFERSIZE, 256L * 1024);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, on_read);
    curl_easy_setopt(curl, CURLOPT_READDATA, &exchange);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(exchange.size));
  } else if (call.method == "POST") {
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(call.body_text.size()));
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, call.body_text.data());
  } else if (call.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (call.method != "GET") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, call.method.c_str());
  }

  const CURLcode code = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
  // A failed transfer may leave its connection half-used; curl closes such connections itself.
  release(std::move(handle));

  if (exchange.source_error)
    return std::unexpected(source_error(std::move(*exchange.source_error)));
  if (exchange.body_overflow) {
    return std::unexpected(protocol_error(
        "the response body exceeds " + std::to_string(options_.max_response_body) + " bytes", false,
        ErrorCode::kMaxMessageLengthExceeded));
  }
  // A server may answer an error and close while the body is still going out: its answer
  // says more than the broken send.
  const bool answered = status >= 400 && !exchange.reply.headers.fields().empty();
  if (code != CURLE_OK && !answered) return std::unexpected(transfer_error(code, error_buffer));
  exchange.reply.status = static_cast<int>(status);
  if (upload) exchange.reply.body_md5 = exchange.md5.finish();
  return std::move(exchange.reply);
}

}  // namespace cv::remote
