#include "http/request_parser.h"

#include <boost/beast/http/error.hpp>
#include <cstring>

#include "core/encoding.h"

namespace cv::http {
namespace {

std::string_view trim_spaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// True if the field line starting with `name` is continued by obs-fold. Beast hands
// on_field_impl the name as a view into the bytes being parsed (the start of the field's
// line) and, for a folded field, the joined value from a buffer of its own; it calls
// on_field_impl only after it has seen the line's CRLF and the byte after it (to tell a fold
// from the next line). The field's first line ends at the first CR after the name (Beast
// refuses a CR not followed by LF, and a value holds no other CR), so the byte two after that
// CR is in the input, and is SP or HTAB exactly when the line is folded.
// request_parser_test pins this against the Boost in use.
bool line_is_folded(std::string_view name) {
  const char* p = name.data() + name.size();
  while (*p != '\r') ++p;
  return p[2] == ' ' || p[2] == '\t';
}

class FramingCategory final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "cloudvault.http.framing"; }
  std::string message(int value) const override {
    switch (static_cast<FramingError>(value)) {
      case FramingError::kTransferCoding:
        return "Transfer-Encoding must be exactly \"chunked\"; no other transfer coding is "
               "supported.";
      case FramingError::kTransferEncodingInHttp10:
        return "Transfer-Encoding is not allowed in an HTTP/1.0 request.";
      case FramingError::kContentLengthWithTransferEncoding:
        return "A request must not carry both Content-Length and Transfer-Encoding.";
      case FramingError::kRepeatedContentLength:
        return "A request must carry at most one Content-Length value.";
      case FramingError::kBadContentLength:
        return "Content-Length must be a decimal number.";
      case FramingError::kObsFold:
        return "Header lines must not be folded (a line starting with a space or tab).";
      case FramingError::kMissingHost:
        return "An HTTP/1.1 request must carry a Host header.";
      case FramingError::kRepeatedHost:
        return "A request must carry exactly one Host value.";
    }
    return "The request framing is ambiguous.";
  }
};

}  // namespace

const boost::system::error_category& framing_category() {
  static const FramingCategory category;
  return category;
}

boost::system::error_code make_error_code(FramingError error) {
  return {static_cast<int>(error), framing_category()};
}

RequestParser::RequestParser(Request& request) : request_(request) {
  basic_parser::body_limit(boost::none);  // body_limit() below does the counting
}

void RequestParser::set_body_buffer(std::span<char> buffer) {
  buffer_ = buffer.data();
  capacity_ = buffer.size();
  used_ = 0;
}

void RequestParser::on_request_impl(verb, string_view method_str, string_view target, int version,
                                    error_code&) {
  request_.method.assign(method_str.data(), method_str.size());
  request_.target.assign(target.data(), target.size());
  version_ = version;
}

void RequestParser::on_field_impl(field name, string_view name_string, string_view value,
                                  error_code& ec) {
  if (line_is_folded(std::string_view(name_string.data(), name_string.size()))) {
    ec = make_error_code(FramingError::kObsFold);
    return;
  }
  if (is_header_done()) return;  // a trailer field of a chunked body: checked, not kept
  check_field(name, name_string, value, ec);
  if (ec) return;
  const std::string_view value_view(value.data(), value.size());
  request_.headers.add(std::string_view(name_string.data(), name_string.size()), value_view);
  if (name == field::expect && version_ >= 11 &&
      ascii_iequals(trim_spaces(value_view), "100-continue")) {
    expects_continue_ = true;
  }
}

void RequestParser::check_field(field name, string_view, string_view value, error_code& ec) {
  const std::string_view text = trim_spaces(std::string_view(value.data(), value.size()));
  switch (name) {
    case field::content_length:
      if (++content_length_fields_ > 1 || text.find(',') != std::string_view::npos) {
        ec = make_error_code(FramingError::kRepeatedContentLength);
      } else if (!all_digits(text)) {
        ec = make_error_code(FramingError::kBadContentLength);
      } else if (transfer_encoding_fields_ > 0) {
        ec = make_error_code(FramingError::kContentLengthWithTransferEncoding);
      }
      break;
    case field::transfer_encoding:
      ++transfer_encoding_fields_;
      if (version_ < 11) {
        ec = make_error_code(FramingError::kTransferEncodingInHttp10);
      } else if (content_length_fields_ > 0) {
        ec = make_error_code(FramingError::kContentLengthWithTransferEncoding);
      } else if (transfer_encoding_fields_ > 1 || !ascii_iequals(text, "chunked")) {
        ec = make_error_code(FramingError::kTransferCoding);
      }
      break;
    case field::host:
      if (++host_fields_ > 1 || text.find(',') != std::string_view::npos) {
        ec = make_error_code(FramingError::kRepeatedHost);
      }
      break;
    default:
      break;
  }
}

void RequestParser::on_header_impl(error_code& ec) {
  if (version_ >= 11 && host_fields_ == 0) {
    ec = make_error_code(FramingError::kMissingHost);
    return;
  }
  // What the checks above leave is what Beast frames by: `chunked` exactly when one
  // Transfer-Encoding field was accepted, a length exactly when one Content-Length was.
  if (chunked() != (transfer_encoding_fields_ == 1) ||
      content_length().has_value() != (content_length_fields_ == 1)) {
    ec = make_error_code(FramingError::kTransferCoding);
    return;
  }
  if (const auto length = content_length(); length && *length > body_limit_) {
    ec = boost::beast::http::error::body_limit;
  }
}

void RequestParser::on_chunk_header_impl(std::uint64_t size, string_view, error_code& ec) {
  // Called once per chunk, after its whole header line (extensions included) was accepted.
  if (size > body_limit_ - chunk_bytes_declared_) {
    ec = boost::beast::http::error::body_limit;
    return;
  }
  chunk_bytes_declared_ += size;
}

std::size_t RequestParser::on_body_impl(string_view body, error_code& ec) {
  return store_body(body, ec);
}

std::size_t RequestParser::on_chunk_body_impl(std::uint64_t, string_view body, error_code& ec) {
  return store_body(body, ec);
}

size_t RequestParser::store_body(string_view body, error_code& ec) {
  if (discard_) {
    body_bytes_ += body.size();
    return body.size();
  }
  const size_t n = std::min(body.size(), capacity_ - used_);
  if (n > 0) std::memcpy(buffer_ + used_, body.data(), n);
  used_ += n;
  body_bytes_ += n;
  if (n < body.size()) ec = boost::beast::http::error::need_buffer;
  return n;
}

}  // namespace cv::http
