#include "app/log_line.h"

#include <spdlog/details/log_msg.h>

#include <cmath>

namespace cv::app {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// The helpers write into spdlog's buffer (lines) and LogFields' larger one alike.
template <typename Buffer>
void append(Buffer& out, std::string_view text) {
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
template <typename Buffer>
void append_escaped(Buffer& out, std::string_view text) {
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

template <typename Buffer>
void append_quoted(Buffer& out, std::string_view text) {
  out.push_back('"');
  append_escaped(out, text);
  out.push_back('"');
}

// Writes `value` as `width` decimal digits (zero-padded) ending just before `end`.
void put_digits(char* end, int width, unsigned value) {
  for (int i = 0; i < width; ++i) {
    *--end = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

}  // namespace

void append_json_string(spdlog::memory_buf_t& out, std::string_view text) {
  append_quoted(out, text);
}

void append_log_time(spdlog::memory_buf_t& out, std::chrono::system_clock::time_point time) {
  // Calendar arithmetic only: no gmtime_r (which takes glibc's time zone lock) and no fmt
  // parsing, once per line.
  using namespace std::chrono;
  const auto millis = floor<milliseconds>(time);
  const auto day = floor<days>(millis);
  const year_month_day date(day);
  const hh_mm_ss clock(millis - day);
  char text[] = "0000-00-00T00:00:00.000Z";
  put_digits(text + 4, 4, static_cast<unsigned>(static_cast<int>(date.year())));
  put_digits(text + 7, 2, static_cast<unsigned>(date.month()));
  put_digits(text + 10, 2, static_cast<unsigned>(date.day()));
  put_digits(text + 13, 2, static_cast<unsigned>(clock.hours().count()));
  put_digits(text + 16, 2, static_cast<unsigned>(clock.minutes().count()));
  put_digits(text + 19, 2, static_cast<unsigned>(clock.seconds().count()));
  put_digits(text + 23, 3, static_cast<unsigned>(clock.subseconds().count()));
  out.append(text, text + sizeof text - 1);
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
    append_quoted(buffer_, value);
  } else if (value.empty()) {
    buffer_.push_back('-');
  } else if (plain_text_value(value)) {
    append(buffer_, value);
  } else {
    append_quoted(buffer_, value);
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
  // Whole thousandths in integer arithmetic (fmt's fixed-precision floating point costs more
  // than the rest of an access record); fmt only for what that cannot hold.
  if (!(std::fabs(value) < 1e15)) {
    fmt::format_to(std::back_inserter(buffer_), "{:.3f}", value);
    return *this;
  }
  const long long thousandths = std::llround(value * 1000);
  const unsigned long long magnitude =
      static_cast<unsigned long long>(thousandths < 0 ? -thousandths : thousandths);
  if (thousandths < 0) buffer_.push_back('-');
  fmt::format_to(std::back_inserter(buffer_), "{}", magnitude / 1000);
  char fraction[] = ".000";
  put_digits(fraction + 4, 3, static_cast<unsigned>(magnitude % 1000));
  buffer_.append(fraction, fraction + 4);
  return *this;
}

void append_log_line(spdlog::memory_buf_t& dest, LogFormat format,
                     std::chrono::system_clock::time_point time, spdlog::level::level_enum level,
                     std::string_view payload, bool record) {
  if (format == LogFormat::kJson) {
    append(dest, "{\"time\":\"");
    append_log_time(dest, time);
    append(dest, "\",\"level\":\"");
    append(dest, json_level(level));
    append(dest, "\",");
    if (record) {
      append(dest, payload);
    } else {
      append(dest, "\"msg\":");
      append_quoted(dest, payload);
    }
    append(dest, "}\n");
    return;
  }
  append_log_time(dest, time);
  dest.push_back(' ');
  append(dest, text_level(level));
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

void LogLineFormatter::format(const spdlog::details::log_msg& message, spdlog::memory_buf_t& dest) {
  const std::string_view payload(message.payload.data(), message.payload.size());
  const std::string_view logger(message.logger_name.data(), message.logger_name.size());
  if (!lines_logger_.empty() && logger == lines_logger_) {
    append(dest, payload);
    return;
  }
  append_log_line(dest, format_, message.time, message.level, payload, logger == records_logger_);
}

std::unique_ptr<spdlog::formatter> LogLineFormatter::clone() const {
  return std::make_unique<LogLineFormatter>(format_, records_logger_, lines_logger_);
}

}  // namespace cv::app
