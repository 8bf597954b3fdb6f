// The server's log (issue 15, "Logs"): one sink — stderr, or a file rotated by size — shared by
// spdlog's default logger (every spdlog::info/warn/error of the process) and the logger of
// structured records (access records, background jobs), all written by LogLineFormatter in
// one format at one level.
//
// Each write to the sink is whole lines with one write(2) (stderr is unbuffered and the file
// is opened unbuffered), under the sink's lock, so a line is never split, nor interleaved with
// another writer's line, and never waits in a stdio buffer. Lines reach the kernel, not the
// disk: nothing is fsynced.
//
// Two ways in:
//  - write() and every spdlog call: the line is written before the call returns.
//  - write_batched() (access records, from the http server's completion batches): the line is
//    formatted (its time is the time of the call) into a batch buffer shared by all threads,
//    and written with the other lines waiting there by the next end_batch(), which the http
//    server calls after each batch of completions (http::ServerOptions::
//    on_completion_batch_end), so N records of a batch cost one write of N whole lines.
//    Durability bound: a batched line is written at the latest when the batch of completions
//    that made it ends (at most 256 completions later, on that worker), or earlier when the
//    buffer would pass batch_limit() bytes. A crash (kill -9) so loses at most the lines of the
//    batches being run at that moment — at most batch_limit() bytes, all of records whose
//    batch had not ended, i.e. not yet reported written — and nothing else. Lines of a batch
//    may come after free-text lines logged while it ran (each line keeps its own time).
// Over a pipe, a write longer than PIPE_BUF (4 KiB) is atomic only among this process's
// writers (the sink's lock), not against other processes writing into the same pipe.
//
// Thread-safe: write from any thread.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>

#include "app/log_line.h"
#include "app/log_settings.h"
#include "core/error.h"

namespace spdlog {
class logger;
}

namespace cv::app {

class ServerLog {
 public:
  // The most bytes of batched lines that wait for end_batch() (less when the log file's
  // max_size_bytes is smaller, so that one write never takes a file past it).
  static constexpr size_t kBatchBytes = 64 * 1024;

  // Opens the sink and makes it spdlog's default logger's too (the process has one log).
  // InvalidArgument when the file cannot be opened.
  static Result<std::unique_ptr<ServerLog>> open(const LogSettings& settings);
  // Writes what waits from write_batched().
  ~ServerLog();
  ServerLog(const ServerLog&) = delete;
  ServerLog& operator=(const ServerLog&) = delete;

  LogFormat format() const { return format_; }
  // Whether one record per request is written ([log] access, and level info or lower).
  bool access_enabled() const { return access_ && writes(LogLevel::kInfo); }
  // Whether a record of `level` would be written.
  bool writes(LogLevel level) const;
  // Writes one structured record, whose fields were made with LogFields(format()), now.
  void write(LogLevel level, const LogFields& fields);
  // Adds one structured record to the batch buffer; it is written by the next end_batch()
  // (or sooner, when the buffer is full). A caller must see that end_batch() is called when
  // its batch ends.
  void write_batched(LogLevel level, const LogFields& fields);
  // Writes every line waiting from write_batched() with one write (none: no write). When it
  // returns, every line added before it was called has been written (by it or by a
  // concurrent end_batch() it waited for).
  void end_batch();
  size_t batch_limit() const { return batch_limit_; }

 private:
  ServerLog(LogFormat format, bool access, LogLevel level, size_t batch_limit,
            std::shared_ptr<spdlog::logger> records, std::shared_ptr<spdlog::logger> lines);

  LogFormat format_;
  bool access_;
  LogLevel level_;
  size_t batch_limit_;
  std::shared_ptr<spdlog::logger> records_;
  std::shared_ptr<spdlog::logger> lines_;  // writes whole lines as they are
  // Taken before mutex_; held while a batch is written, so end_batch() calls write in turn.
  std::mutex write_mutex_;
  std::mutex mutex_;                               // guards pending_
  std::unique_ptr<spdlog::memory_buf_t> pending_;  // lines waiting for end_batch()
  std::unique_ptr<spdlog::memory_buf_t> writing_;  // the batch being written (write_mutex_)
};

// The format `settings` asks for: its own, else text on a terminal (stderr) and JSON lines
// in a file or a pipe.
LogFormat effective_log_format(const LogSettings& settings);

}  // namespace cv::app
