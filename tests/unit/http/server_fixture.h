// A Server on 127.0.0.1 with an ephemeral port, serving through a per-test function, plus
// byte sources for response bodies.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>

#include "core/encoding.h"
#include "core/hash.h"
#include "http/server.h"
#include "http/test_client.h"

namespace cv::http::testing {

class FunctionHandler final : public RequestHandler {
 public:
  std::function<Response(Request&)> function;
  Response handle(Request& request) override { return function(request); }
};

class ServerTest : public ::testing::Test {
 protected:
  void start(std::function<Response(Request&)> function, ServerOptions options = {}) {
    handler_.function = std::move(function);
    options.listen_address = "127.0.0.1";
    options.port = 0;
    options.worker_threads = 8;
    if (!options.log_error) options.log_error = [](std::string_view) {};
    server_ = std::make_unique<Server>(std::move(options), handler_);
    server_->start();
  }
  void TearDown() override {
    if (server_) server_->stop();
  }
  uint16_t port() const { return server_->port(); }

  FunctionHandler handler_;
  std::unique_ptr<Server> server_;
};

inline Response text_response(int status, std::string body) {
  Response response;
  response.status = status;
  response.headers.add("content-type", "text/plain");
  response.body = std::move(body);
  return response;
}

// The byte at offset i of every generated body.
inline char pattern_byte(uint64_t i) { return static_cast<char>((i * 131 + (i >> 13)) & 0xff); }

inline std::string pattern(size_t size) {
  std::string out(size, '\0');
  for (size_t i = 0; i < size; ++i) out[i] = pattern_byte(i);
  return out;
}

// Generates pattern bytes; fails with InternalError at `fail_at` if given.
class PatternSource final : public ByteSource {
 public:
  explicit PatternSource(uint64_t size, uint64_t fail_at = UINT64_MAX)
      : size_(size), fail_at_(fail_at) {}
  Result<size_t> read(std::span<char> out) override {
    if (position_ >= fail_at_) return fail(ErrorCode::kInternalError, "disk on fire");
    const uint64_t end = std::min(size_, fail_at_);
    const size_t n = static_cast<size_t>(std::min<uint64_t>(out.size(), end - position_));
    for (size_t i = 0; i < n; ++i) out[i] = pattern_byte(position_ + i);
    position_ += n;
    return n;
  }

 private:
  uint64_t size_;
  uint64_t fail_at_;
  uint64_t position_ = 0;
};

// Reads a request body in `piece`-byte reads; returns "<bytes>:<sha256 hex>" or the error.
inline std::string digest_body(Request& request, size_t piece) {
  Digest digest(Digest::Algorithm::kSha256);
  std::string buffer(piece, '\0');
  uint64_t total = 0;
  for (;;) {
    Result<size_t> n = request.body->read(buffer);
    if (!n) return "error:" + std::string(error_code_name(n.error().code));
    if (*n == 0) break;
    digest.update(std::string_view(buffer.data(), *n));
    total += *n;
  }
  return std::to_string(total) + ":" + hex_encode(digest.finish());
}

inline std::string expected_digest(std::string_view body) {
  return std::to_string(body.size()) + ":" + hex_encode(sha256(body));
}

}  // namespace cv::http::testing
