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

}  // namespace

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
                                  error_code&) {
  const std::string_view value_view(value.data(), value.size());
  request_.headers.add(std::string_view(name_string.data(), name_string.size()), value_view);
  if (name == field::expect && version_ >= 11 &&
      ascii_iequals(trim_spaces(value_view), "100-continue")) {
    expects_continue_ = true;
  }
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
