// [log]: where the server's log goes and how it looks (issue 15, "Logs"). Plain data; the
// log itself is opened by app/server_log.h.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace cv::app {

// JSON lines (one object per line, for machines) or readable text (for a terminal).
enum class LogFormat { kJson, kText };

// The levels a log line has, least severe first; kOff silences the log.
enum class LogLevel { kTrace, kDebug, kInfo, kWarn, kError, kOff };

// Parses "trace", "debug", "info", "warn", "error", "off"; nullopt for anything else.
std::optional<LogLevel> parse_log_level(std::string_view text);
// Parses "json", "text".
std::optional<LogFormat> parse_log_format(std::string_view text);

struct LogSettings {
  LogLevel level = LogLevel::kInfo;
  // Unset: text when the log goes to a terminal, JSON lines otherwise (a file, a pipe).
  std::optional<LogFormat> format;
  // One record per request (level info).
  bool access = true;
  // The log file; empty: stderr. Rotated by size: `file` is renamed to file.1 (file.1 to
  // file.2, ...) when a line would take it past max_size_bytes; at most max_files rotated
  // files are kept.
  std::filesystem::path file;
  uint64_t max_size_bytes = 100ull * 1024 * 1024;
  uint64_t max_files = 5;
};

}  // namespace cv::app
