#include "app/log_line.h"

#include <spdlog/details/log_msg.h>

#include <ctime>

namespace cv::app {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void append(spdlog::memory_buf_t& out, std::string_view text) {
  out.append(text.data(), text.data() + text.size());
}

// The length of the well-formed UTF-8 sequence at the start of `text` (RFC 3629: no overlong
// forms, no surrogates, nothing above U+10FFFF), or 0 when it is not one.
size_t utf8_sequence_length(std::string_view text) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (text.size() < length) return 0;
  if (byte(1) < low || byte(1) > high) return 0;
  for (size_t i = 2; i < length; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
  }
  return length;
}

// Escapes `text` as the inside of a JSON string.
void append_escaped(spdlog::memory_buf_t& out, std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    // Runs of characters that need no escape are copied at once.
    size_t plain = i;
    while (plain < text.size()) {
      const auto c = static_cast<unsigned char>(text[plain]);
      if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) break;
      ++plain;
    }
    append(out, text.substr(i, plain - i));
    i = plain;
    if (i == text.size()) break;
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      const size_t length = utf8_sequence_length(text.substr(i));
      if (length == 0) {
        append(out, "\\ufffd");
        ++i;
      } else {
        append(out, text.substr(i, length));
        i += length;
      }
      continue;
    }
    switch (c) {
      case '"':
        append(out, "\\\"");
        break;
      case '\\':
        append(out, "\\\\");
        break;
      case '\n':
        append(out, "\\n");
        break;
      case '\r':
        append(out, "\\r");
        break;
      case '\t':
        append(out, "\\t");
        break;
      default: {
        const char escaped[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out.append(escaped, escaped + sizeof escaped);
      }
    }
    ++i;
  }
}

// Whether a text-format value can go unquoted: printable ASCII without space, '"', '=', '\'.
bool plain_text_value(std::string_view value) {
  for (const char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7F || c == '"' || c == '=' || c == '\\') return false;
  }
  return true;
}

std::string_view json_level(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
      return "trace";
    case spdlog::level::debug:
      return "debug";
    case spdlog::level::info:
      return "info";
    case spdlog::level::warn:
      return "warn";
    case spdlog::level::err:
      return "error";
    case spdlog::level::critical:
      return "critical";
    default:
      return "off";
  }
}

std::string_view text_level(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
      return "TRACE";
    case spdlog::level::debug:
      return "DEBUG";
    case spdlog::level::info:
      return "INFO ";
    case spdlog::level::warn:
      return "WARN ";
    case spdlog::level::err:
      return "ERROR";
    case spdlog::level::critical:
      return "CRIT ";
    default:
      return "OFF  ";
  }
}

}  // namespace

void append_json_string(spdlog::memory_buf_t& out, std::string_view text) {
  out.push_back('"');
  append_escaped(out, text);
  out.push_back('"');
}

void append_log_time(spdlog::memory_buf_t& out, std::chrono::system_clock::time_point time) {
  const auto since_epoch = time.time_since_epoch();
  const auto seconds = std::chrono::floor<std::chrono::seconds>(since_epoch);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - seconds).count();
  const std::time_t whole = static_cast<std::time_t>(seconds.count());
  std::tm utc{};
  gmtime_r(&whole, &utc);
  fmt::format_to(std::back_inserter(out), "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
                 utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min,
                 utc.tm_sec, millis);
}

void LogFields::separate(std::string_view name) {
  if (format_ == LogFormat::kJson) {
    if (buffer_.size() > 0) buffer_.push_back(',');
    buffer_.push_back('"');
    append(buffer_, name);  // names are the code's own identifiers: nothing to escape
    append(buffer_, "\":");
  } else {
    if (buffer_.size() > 0) buffer_.push_back(' ');
    append(buffer_, name);
    buffer_.push_back('=');
  }
}

LogFields& LogFields::tag(std::string_view word) {
  if (format_ == LogFormat::kText) {
    if (buffer_.size() > 0) buffer_.push_back(' ');
    append(buffer_, word);
  }
  return *this;
}

LogFields& LogFields::add(std::string_view name, std::string_view value) {
  separate(name);
  if (format_ == LogFormat::kJson) {
    append_json_string(buffer_, value);
  } else if (value.empty()) {
    buffer_.push_back('-');
  } else if (plain_text_value(value)) {
    append(buffer_, value);
  } else {
    append_json_string(buffer_, value);
  }
  return *this;
}

LogFields& LogFields::add(std::string_view name, uint64_t value) {
  separate(name);
  fmt::format_to(std::back_inserter(buffer_), "{}", value);
  return *this;
}

LogFields& LogFields::add(std::string_view name, int64_t value) {
  separate(name);
  fmt::format_to(std::back_inserter(buffer_), "{}", value);
  return *this;
}

LogFields& LogFields::add_millis(std::string_view name, double value) {
  separate(name);
  fmt::format_to(std::back_inserter(buffer_), "{:.3f}", value);
  return *this;
}

void LogLineFormatter::format(const spdlog::details::log_msg& message, spdlog::memory_buf_t& dest) {
  const std::string_view payload(message.payload.data(), message.payload.size());
  const bool record =
      std::string_view(message.logger_name.data(), message.logger_name.size()) == records_logger_;
  if (format_ == LogFormat::kJson) {
    append(dest, "{\"time\":\"");
    append_log_time(dest, message.time);
    append(dest, "\",\"level\":\"");
    append(dest, json_level(message.level));
    append(dest, "\",");
    if (record) {
      append(dest, payload);
    } else {
      append(dest, "\"msg\":");
      append_json_string(dest, payload);
    }
    append(dest, "}\n");
    return;
  }
  append_log_time(dest, message.time);
  dest.push_back(' ');
  append(dest, text_level(message.level));
  dest.push_back(' ');
  if (record) {
    append(dest, payload);
  } else {
    // Free text stays one line: line breaks and other control characters are escaped.
    for (const char ch : payload) {
      const auto c = static_cast<unsigned char>(ch);
      if (c >= 0x20 || c == '\t') {
        dest.push_back(ch);
      } else {
        const char escaped[] = {'\\', 'x', kHex[c >> 4], kHex[c & 0xF]};
        dest.append(escaped, escaped + sizeof escaped);
      }
    }
  }
  dest.push_back('\n');
}

std::unique_ptr<spdlog::formatter> LogLineFormatter::clone() const {
  return std::make_unique<LogLineFormatter>(format_, records_logger_);
}

}  // namespace cv::app
