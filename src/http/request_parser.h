// A Beast HTTP/1.1 request parser that writes straight into a cv::Request (method, target,
// lowercase header fields) instead of a Beast message, and delivers body bytes (already
// de-chunked) into a buffer the caller supplies, so the body can be streamed chunk by chunk.
// Internal to the http layer; only connection.cc and the tests include it.
//
// Use a new parser for each request. Body reads through Beast (http::async_read) stop with
// http::error::need_buffer when the current buffer is full; set another and read again.
//
// Framing (RFC 9112 §6.1, §6.3, §5.2, §3.2): the length of the body must be unambiguous, or
// a server and an intermediary could disagree on where the next request starts (request
// smuggling). Beast already refuses a Content-Length that is not a number or lists different
// numbers, Content-Length together with `chunked`, `chunked` twice, and a header line that
// starts with whitespace right after the request line. On top of that this parser refuses,
// with a FramingError, every other ambiguity, so that the only framings it accepts are:
// no body, exactly one `Content-Length: <digits>`, or exactly one `Transfer-Encoding:
// chunked` on HTTP/1.1. Refused:
//  - kTransferCoding: a Transfer-Encoding other than exactly `chunked` (case-insensitive):
//    `gzip`, `chunked, identity`, `gzip, chunked`, `identity`, an empty value. We know only
//    chunked; RFC 9112 §6.3 makes a final coding other than chunked a 400-and-close, and we
//    answer every other coding list the same (400, not 501), one rule for all;
//  - kTransferEncodingInHttp10: any Transfer-Encoding on an HTTP/1.0 request (§6.1);
//  - kContentLengthWithTransferEncoding: both fields, in either order, whatever the coding;
//  - kRepeatedContentLength: a second Content-Length field or a list (`5, 5`), even when
//    the values agree (Beast would merge them);
//  - kBadContentLength: a Content-Length value that is not 1*DIGIT;
//  - kObsFold: a header (or trailer) line continued by obs-fold (a line starting with SP or
//    HTAB), which Beast would otherwise join into the previous value;
//  - kMissingHost / kRepeatedHost: an HTTP/1.1 request without Host, or any request with
//    more than one Host field or a Host value that is a list (§3.2).
// The connection answers each with 400 (S3 code BadRequest) and closes: after a refused
// header nothing on the connection can be trusted to be the start of a request.
// Fields of a chunked body's trailer section are checked for obs-fold and then dropped: they
// never reach Request::headers (which the handler may be reading by then).
#pragma once

#include <boost/beast/http/basic_parser.hpp>
#include <boost/system/error_code.hpp>
#include <cstdint>
#include <span>

#include "core/http_message.h"

namespace cv::http {

// Why RequestParser refused a request header (see the list above). Error codes of
// framing_category(); message() is a sentence fit for an S3 error's Message.
enum class FramingError {
  kTransferCoding = 1,
  kTransferEncodingInHttp10,
  kContentLengthWithTransferEncoding,
  kRepeatedContentLength,
  kBadContentLength,
  kObsFold,
  kMissingHost,
  kRepeatedHost,
};
const boost::system::error_category& framing_category();
boost::system::error_code make_error_code(FramingError error);

class RequestParser final : public boost::beast::http::basic_parser<true> {
 public:
  // Fills `request` (method, target, headers); it must outlive the parser.
  explicit RequestParser(Request& request);

  // Caps the body at `limit` bytes (its Content-Length, or the sum of its chunk sizes); a
  // longer one fails with http::error::body_limit, a Content-Length as soon as the header is
  // parsed. Hides Beast's body_limit(), which charges a chunk against the limit again each
  // time the chunk's header line is parsed anew after need_more, so that a chunked body fed
  // in small pieces could be refused as too large where the same bytes fed whole are not
  // (found by http_framing_fuzz). Unlimited until called.
  void body_limit(std::uint64_t limit) { body_limit_ = limit; }

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
  void on_header_impl(error_code& ec) override;
  void on_body_init_impl(boost::optional<std::uint64_t> const& content_length,
                         error_code& ec) override {}
  std::size_t on_body_impl(string_view body, error_code& ec) override;
  void on_chunk_header_impl(std::uint64_t size, string_view extensions, error_code& ec) override;
  std::size_t on_chunk_body_impl(std::uint64_t remain, string_view body, error_code& ec) override;
  void on_finish_impl(error_code& ec) override {}

  size_t store_body(string_view body, error_code& ec);
  void check_field(field name, string_view name_string, string_view value, error_code& ec);

  Request& request_;
  int version_ = 11;
  bool expects_continue_ = false;
  int content_length_fields_ = 0;
  int transfer_encoding_fields_ = 0;
  int host_fields_ = 0;
  char* buffer_ = nullptr;
  size_t capacity_ = 0;
  size_t used_ = 0;
  bool discard_ = false;
  uint64_t body_bytes_ = 0;
  uint64_t body_limit_ = UINT64_MAX;
  uint64_t chunk_bytes_declared_ = 0;
};

}  // namespace cv::http
