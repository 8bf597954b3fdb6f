#include "app/server_log.h"

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

namespace cv::app {
namespace {

constexpr const char* kRecordsLogger = "records";

spdlog::level::level_enum spdlog_level(LogLevel level) {
  switch (level) {
    case LogLevel::kTrace:
      return spdlog::level::trace;
    case LogLevel::kDebug:
      return spdlog::level::debug;
    case LogLevel::kInfo:
      return spdlog::level::info;
    case LogLevel::kWarn:
      return spdlog::level::warn;
    case LogLevel::kError:
      return spdlog::level::err;
    case LogLevel::kOff:
      return spdlog::level::off;
  }
  return spdlog::level::info;
}

}  // namespace

LogFormat effective_log_format(const LogSettings& settings) {
  if (settings.format) return *settings.format;
  return settings.file.empty() && ::isatty(STDERR_FILENO) ? LogFormat::kText : LogFormat::kJson;
}

Result<std::unique_ptr<ServerLog>> ServerLog::open(const LogSettings& settings) {
  const LogFormat format = effective_log_format(settings);
  spdlog::sink_ptr sink;
  if (settings.file.empty()) {
    sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  } else {
    try {
      sink = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
          settings.file.string(), settings.max_size_bytes, settings.max_files);
    } catch (const spdlog::spdlog_ex& e) {
      return fail(ErrorCode::kInvalidArgument,
                  "cannot open the log file " + settings.file.string() + ": " + e.what());
    }
  }
  sink->set_formatter(std::make_unique<LogLineFormatter>(format, kRecordsLogger));
  const spdlog::level::level_enum level = spdlog_level(settings.level);
  auto records = std::make_shared<spdlog::logger>(kRecordsLogger, sink);
  auto messages = std::make_shared<spdlog::logger>("", sink);
  for (const auto& logger : {records, messages}) {
    logger->set_level(level);
    logger->flush_on(spdlog::level::trace);
  }
  spdlog::set_default_logger(messages);
  return std::unique_ptr<ServerLog>(
      new ServerLog(format, settings.access, settings.level, std::move(records)));
}

ServerLog::~ServerLog() { records_->flush(); }

bool ServerLog::writes(LogLevel level) const { return level != LogLevel::kOff && level >= level_; }

void ServerLog::write(LogLevel level, const LogFields& fields) {
  if (!writes(level)) return;
  const std::string_view line = fields.view();
  records_->log(spdlog_level(level), spdlog::string_view_t(line.data(), line.size()));
}

}  // namespace cv::app
