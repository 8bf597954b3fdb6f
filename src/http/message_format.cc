#include "http/message_format.h"

#include <chrono>

#include "core/clock.h"
#include "core/error_document.h"

namespace cv::http {
namespace {

// RFC 9110 token characters.
bool is_token_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
      return true;
    default:
      return false;
  }
}

bool is_token(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!is_token_char(c)) return false;
  }
  return true;
}

// Fields whose value the http layer decides.
bool is_owned_field(std::string_view name) {
  return name == "content-length" || name == "connection" || name == "transfer-encoding" ||
         name == "date" || name == "server" || name == "x-amz-request-id" || name == "keep-alive";
}

void append_value(std::string& out, std::string_view value) {
  for (char c : value) out.push_back(c == '\r' || c == '\n' || c == '\0' ? ' ' : c);
}

void append_field(std::string& out, std::string_view name, std::string_view value) {
  out.append(name);
  out.append(": ");
  append_value(out, value);
  out.append("\r\n");
}

}  // namespace

TargetParts split_target(std::string_view target) {
  const size_t question = target.find('?');
  if (question == std::string_view::npos) return {target, {}};
  return {target.substr(0, question), target.substr(question + 1)};
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 101:
      return "Switching Protocols";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 206:
      return "Partial Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 411:
      return "Length Required";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 416:
      return "Range Not Satisfiable";
    case 417:
      return "Expectation Failed";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Unknown";
  }
}

bool status_forbids_body(int status) {
  return (status >= 100 && status < 200) || status == 204 || status == 304;
}

void append_canonical_name(std::string& out, std::string_view name) {
  if (name.starts_with("x-amz-")) {
    out.append(name);
    return;
  }
  if (name == "etag") {
    out.append("ETag");
    return;
  }
  if (name == "content-md5") {
    out.append("Content-MD5");
    return;
  }
  if (name == "www-authenticate") {
    out.append("WWW-Authenticate");
    return;
  }
  bool word_start = true;
  for (char c : name) {
    out.push_back(word_start && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
    word_start = c == '-';
  }
}

std::string_view DateCache::now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t second = std::chrono::system_clock::to_time_t(now);
  if (second != second_) {
    second_ = second;
    text_ = format_http_date(std::chrono::system_clock::from_time_t(second));
  }
  return text_;
}

void append_response_head(std::string& out, int status, const Headers& headers,
                          const ResponseHeadOptions& options) {
  if (status < 100 || status > 999) status = 500;
  out.append("HTTP/1.1 ");
  out.append(std::to_string(status));
  out.push_back(' ');
  out.append(reason_phrase(status));
  out.append("\r\n");
  append_field(out, "Server", "CloudVault");
  append_field(out, "Date", options.date);
  append_field(out, "x-amz-request-id", options.request_id);
  for (const auto& [name, value] : headers.fields()) {
    if (is_owned_field(name) || !is_token(name)) continue;
    append_canonical_name(out, name);
    out.append(": ");
    append_value(out, value);
    out.append("\r\n");
  }
  if (options.content_length) {
    append_field(out, "Content-Length", std::to_string(*options.content_length));
  }
  switch (options.connection) {
    case ConnectionField::kNone:
      break;
    case ConnectionField::kKeepAlive:
      append_field(out, "Connection", "keep-alive");
      break;
    case ConnectionField::kClose:
      append_field(out, "Connection", "close");
      break;
  }
  out.append("\r\n");
}

Response make_error_response(ErrorCode code, std::string_view message, std::string_view resource,
                             std::string_view request_id) {
  Response response;
  response.status = error_http_status(code);
  response.headers.add("content-type", "application/xml");
  response.body =
      error_document(Error{code, std::string(message), std::string(resource)}, request_id);
  response.error_code = error_code_name(code);
  return response;
}

Response make_error_response(int status, std::string_view code, std::string_view message,
                             std::string_view resource, std::string_view request_id) {
  Response response;
  response.status = status;
  response.headers.add("content-type", "application/xml");
  response.body = error_document(code, message, resource, request_id);
  response.error_code = code;
  return response;
}

}  // namespace cv::http
