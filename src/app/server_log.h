// The server's log (issue 15, "Logs"): one sink — stderr, or a file rotated by size — shared by
// spdlog's default logger (every spdlog::info/warn/error of the process) and the logger of
// structured records (access records, background jobs), all written by LogLineFormatter in
// one format at one level. Each line is formatted into a buffer and written with one write
// and flushed, so a line is never split between writers or lost in a buffer at a crash.
//
// Thread-safe: write from any thread.
#pragma once

#include <memory>

#include "app/log_line.h"
#include "app/log_settings.h"
#include "core/error.h"

namespace spdlog {
class logger;
}

namespace cv::app {

class ServerLog {
 public:
  // Opens the sink and makes it spdlog's default logger's too (the process has one log).
  // InvalidArgument when the file cannot be opened.
  static Result<std::unique_ptr<ServerLog>> open(const LogSettings& settings);
  ~ServerLog();
  ServerLog(const ServerLog&) = delete;
  ServerLog& operator=(const ServerLog&) = delete;

  LogFormat format() const { return format_; }
  // Whether one record per request is written ([log] access, and level info or lower).
  bool access_enabled() const { return access_ && writes(LogLevel::kInfo); }
  // Whether a record of `level` would be written.
  bool writes(LogLevel level) const;
  // Writes one structured record, whose fields were made with LogFields(format()).
  void write(LogLevel level, const LogFields& fields);

 private:
  ServerLog(LogFormat format, bool access, LogLevel level, std::shared_ptr<spdlog::logger> records)
      : format_(format), access_(access), level_(level), records_(std::move(records)) {}

  LogFormat format_;
  bool access_;
  LogLevel level_;
  std::shared_ptr<spdlog::logger> records_;
};

// The format `settings` asks for: its own, else text on a terminal (stderr) and JSON lines
// in a file or a pipe.
LogFormat effective_log_format(const LogSettings& settings);

}  // namespace cv::app
