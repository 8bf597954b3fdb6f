// A Beast HTTP/1.1 request parser that writes straight into a cv::Request (method, target,
// lowercase header fields) instead of a Beast message, and delivers body bytes (already
// de-chunked) into a buffer the caller supplies, so the body can be streamed chunk by chunk.
// Internal to the http layer; only connection.cc and the tests include it.
//
// Use a new parser for each request. Body reads through Beast (http::async_read) stop with
// http::error::need_buffer when the current buffer is full; set another and read again.
#pragma once

#include <boost/beast/http/basic_parser.hpp>
#include <cstdint>
#include <span>

#include "core/http_message.h"

namespace cv::http {

class RequestParser final : public boost::beast::http::basic_parser<true> {
 public:
  // Fills `request` (method, target, headers); it must outlive the parser.
  explicit RequestParser(Request& request) : request_(request) {}

  // The next body bytes go into `buffer`.
  void set_body_buffer(std::span<char> buffer);
  // Bytes stored into the current buffer since set_body_buffer().
  size_t body_buffer_used() const { return used_; }
  // From now on, body bytes are counted and thrown away (draining an unread body).
  void discard_body() { discard_ = true; }
  // Body bytes parsed so far (after de-chunking).
  uint64_t body_bytes_parsed() const { return body_bytes_; }
  // The request asked for `Expect: 100-continue` (HTTP/1.1 only).
  bool expects_continue() const { return expects_continue_; }
  // 10 for HTTP/1.0, 11 for HTTP/1.1; valid once the request line is parsed.
  int version() const { return version_; }

 private:
  using error_code = boost::beast::error_code;
  using string_view = boost::beast::string_view;
  using verb = boost::beast::http::verb;
  using field = boost::beast::http::field;

  void on_request_impl(verb method, string_view method_str, string_view target, int version,
                       error_code& ec) override;
  void on_response_impl(int, string_view, int, error_code&) override {}
  void on_field_impl(field name, string_view name_string, string_view value,
                     error_code& ec) override;
  void on_header_impl(error_code& ec) override {}
  void on_body_init_impl(boost::optional<std::uint64_t> const& content_length,
                         error_code& ec) override {}
  std::size_t on_body_impl(string_view body, error_code& ec) override;
  void on_chunk_header_impl(std::uint64_t size, string_view extensions, error_code& ec) override {}
  std::size_t on_chunk_body_impl(std::uint64_t remain, string_view body, error_code& ec) override;
  void on_finish_impl(error_code& ec) override {}

  size_t store_body(string_view body, error_code& ec);

  Request& request_;
  int version_ = 11;
  bool expects_continue_ = false;
  char* buffer_ = nullptr;
  size_t capacity_ = 0;
  size_t used_ = 0;
  bool discard_ = false;
  uint64_t body_bytes_ = 0;
};

}  // namespace cv::http
