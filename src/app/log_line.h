// How one line of the server's log is written (issue 15, "Logs"), in either format:
//
//   JSON: {"time":"2026-12-07T01:55:00.123Z","level":"info","type":"access",...}
//   text: 2026-12-07T01:55:00.123Z INFO  access request_id=... key="a b" status=200 ...
//
// A structured record (an access record, a background job's start/end/failure) is built as
// LogFields and handed to the logger as its message; LogLineFormatter puts the time and level
// in front. Any other spdlog message becomes {"time","level","msg"} (JSON) or the message as
// it is (text). Values are escaped so that a line is always exactly one line: JSON strings per
// RFC 8259 (bytes that are not UTF-8 become U+FFFD); text values with spaces, quotes, '=' or
// control characters are quoted with the same escapes.
#pragma once

#include <spdlog/formatter.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "app/log_settings.h"

namespace cv::app {

// Appends `text` as a quoted JSON string.
void append_json_string(spdlog::memory_buf_t& out, std::string_view text);
// Appends the UTC time with milliseconds: "2026-12-07T01:55:00.123Z" (RFC 3339).
void append_log_time(spdlog::memory_buf_t& out, std::chrono::system_clock::time_point time);

// Appends one whole line of the log, '\n' included, as LogLineFormatter writes it: time and
// level in front of `payload`, which is a structured record's fields (LogFields::view() in
// `format`) when `record`, else free text.
void append_log_line(spdlog::memory_buf_t& out, LogFormat format,
                     std::chrono::system_clock::time_point time, spdlog::level::level_enum level,
                     std::string_view payload, bool record);

// The fields of one structured record, in the log's format. Not thread-safe (one per record).
class LogFields {
 public:
  explicit LogFields(LogFormat format) : format_(format) {}
  // A text value; in the text format, an empty one is written as "-".
  LogFields& add(std::string_view name, std::string_view value);
  LogFields& add(std::string_view name, const char* value) {
    return add(name, std::string_view(value));
  }
  LogFields& add(std::string_view name, uint64_t value);
  LogFields& add(std::string_view name, int64_t value);
  LogFields& add(std::string_view name, int value) { return add(name, int64_t{value}); }
  // A number with three decimals (durations in milliseconds).
  LogFields& add_millis(std::string_view name, double value);
  // The text format's leading word ("access", "job"); nothing in JSON, where the record names
  // its kind in a field of its own.
  LogFields& tag(std::string_view word);

  LogFormat format() const { return format_; }
  std::string_view view() const { return {buffer_.data(), buffer_.size()}; }

 private:
  void separate(std::string_view name);

  LogFormat format_;
  // Room for a usual access record without a heap allocation.
  fmt::basic_memory_buffer<char, 1024> buffer_;
};

// The formatter of every sink of the server's log. Messages of the logger named
// `records_logger` are LogFields of this formatter's format; those of the logger named
// `lines_logger` (when not empty) are whole lines already (append_log_line), one or more,
// written as they are; any other logger's are free text.
class LogLineFormatter final : public spdlog::formatter {
 public:
  LogLineFormatter(LogFormat format, std::string records_logger, std::string lines_logger = {})
      : format_(format),
        records_logger_(std::move(records_logger)),
        lines_logger_(std::move(lines_logger)) {}
  void format(const spdlog::details::log_msg& message, spdlog::memory_buf_t& dest) override;
  std::unique_ptr<spdlog::formatter> clone() const override;

 private:
  LogFormat format_;
  std::string records_logger_;
  std::string lines_logger_;
};

}  // namespace cv::app
