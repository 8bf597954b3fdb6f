// Outbound HTTP/1.1 over libcurl, as the remote S3 client needs it: small request bodies from
// memory or large ones streamed from a ByteSource, bounded response bodies, stall detection
// instead of a total timeout (a 5 GiB body takes as long as it takes). Internal to the
// remote layer.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/byte_source.h"
#include "core/http_message.h"
#include "remote/remote_error.h"

namespace cv::remote {

struct TransportOptions {
  std::chrono::milliseconds connect_timeout{10'000};
  // A transfer fails (retryable) when fewer than `stall_bytes_per_second` flow, in either
  // direction, for `stall_time`.
  std::chrono::seconds stall_time{60};
  uint32_t stall_bytes_per_second = 1;
  bool verify_tls = true;
  std::string ca_file;  // PEM bundle; empty: the system's
  size_t max_response_body = 1 << 20;
};

struct HttpCall {
  std::string method;  // GET, HEAD, PUT, POST, DELETE
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // sent as given
  // At most one body: `body_text`, or `body_source` giving exactly `body_size` bytes
  // (read once, in order; never rewound).
  std::string body_text;
  ByteSource* body_source = nullptr;
  uint64_t body_size = 0;
  std::chrono::seconds stall_time{0};  // overrides the options' when non-zero
};

struct HttpReply {
  int status = 0;
  Headers headers;               // of the final response (not of a 100 Continue)
  std::string body;              // at most max_response_body bytes
  uint64_t body_bytes_sent = 0;  // read from body_source
  std::string body_md5;          // raw MD5 of those bytes (body_source only)
};

// Performs calls with a small pool of curl easy handles (connections are reused between
// calls). Thread-safe: each call takes a handle of its own. Answers any HTTP status as a
// reply (an error status whose transfer then broke, e.g. a 4xx sent before the whole body
// went out, is still a reply); fails only when no answer arrived: kNetwork (retryable unless
// it is a TLS verification or configuration problem), kSource (body_source failed or ended early;
// the transfer is aborted so the server never sees a complete body), kProtocol (response body over
// the cap).
class HttpTransport {
 public:
  explicit HttpTransport(TransportOptions options);
  ~HttpTransport();
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;

  RemoteResult<HttpReply> perform(const HttpCall& call);

 private:
  struct Handle;
  std::unique_ptr<Handle> acquire();
  void release(std::unique_ptr<Handle> handle);

  TransportOptions options_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Handle>> idle_;
};

}  // namespace cv::remote
