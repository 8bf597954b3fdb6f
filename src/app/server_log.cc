#include "app/server_log.h"

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <utility>

namespace cv::app {
namespace {

constexpr const char* kRecordsLogger = "records";
// Its messages are whole lines (a batch of them), which the formatter writes as they are.
constexpr const char* kLinesLogger = "lines";

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
      // Unbuffered, as stderr is: one fwrite of whole lines is then one write(2), and nothing
      // waits in a stdio buffer.
      spdlog::file_event_handlers unbuffered;
      unbuffered.after_open = [](const spdlog::filename_t&, std::FILE* file) {
        std::setvbuf(file, nullptr, _IONBF, 0);
      };
      sink = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
          settings.file.string(), settings.max_size_bytes, settings.max_files,
          /*rotate_on_open=*/false, unbuffered);
    } catch (const spdlog::spdlog_ex& e) {
      return fail(ErrorCode::kInvalidArgument,
                  "cannot open the log file " + settings.file.string() + ": " + e.what());
    }
  }
  sink->set_formatter(std::make_unique<LogLineFormatter>(format, kRecordsLogger, kLinesLogger));
  const spdlog::level::level_enum level = spdlog_level(settings.level);
  auto records = std::make_shared<spdlog::logger>(kRecordsLogger, sink);
  auto messages = std::make_shared<spdlog::logger>("", sink);
  auto lines = std::make_shared<spdlog::logger>(kLinesLogger, sink);
  for (const auto& logger : {records, messages, lines}) {
    logger->set_level(level);
    logger->flush_on(spdlog::level::trace);
  }
  lines->set_level(spdlog::level::trace);  // its lines passed the level when they were made
  spdlog::set_default_logger(messages);
  size_t batch_limit = kBatchBytes;
  if (!settings.file.empty() && settings.max_size_bytes < batch_limit) {
    batch_limit = static_cast<size_t>(settings.max_size_bytes);
  }
  return std::unique_ptr<ServerLog>(new ServerLog(
      format, settings.access, settings.level, batch_limit, std::move(records), std::move(lines)));
}

ServerLog::ServerLog(LogFormat format, bool access, LogLevel level, size_t batch_limit,
                     std::shared_ptr<spdlog::logger> records, std::shared_ptr<spdlog::logger> lines)
    : format_(format),
      access_(access),
      level_(level),
      batch_limit_(batch_limit),
      records_(std::move(records)),
      lines_(std::move(lines)),
      pending_(std::make_unique<spdlog::memory_buf_t>()),
      writing_(std::make_unique<spdlog::memory_buf_t>()) {
  pending_->reserve(batch_limit_);
  writing_->reserve(batch_limit_);
}

ServerLog::~ServerLog() {
  end_batch();
  records_->flush();
}

bool ServerLog::writes(LogLevel level) const { return level != LogLevel::kOff && level >= level_; }

void ServerLog::write(LogLevel level, const LogFields& fields) {
  if (!writes(level)) return;
  const std::string_view line = fields.view();
  records_->log(spdlog_level(level), spdlog::string_view_t(line.data(), line.size()));
}

void ServerLog::write_batched(LogLevel level, const LogFields& fields) {
  if (!writes(level)) return;
  const auto now = std::chrono::system_clock::now();
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      const size_t before = pending_->size();
      append_log_line(*pending_, format_, now, spdlog_level(level), fields.view(),
                      /*record=*/true);
      // A line longer than the limit alone is written alone.
      if (before == 0 || pending_->size() <= batch_limit_) return;
      pending_->resize(before);  // it does not fit: write what waits, then add it
    }
    end_batch();
  }
}

void ServerLog::end_batch() {
  std::lock_guard writing(write_mutex_);
  {
    std::lock_guard lock(mutex_);
    if (pending_->size() == 0) return;
    std::swap(pending_, writing_);
  }
  lines_->log(spdlog::level::info, spdlog::string_view_t(writing_->data(), writing_->size()));
  writing_->clear();
}

}  // namespace cv::app
