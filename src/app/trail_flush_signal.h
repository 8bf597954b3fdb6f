// `cloudvault trail flush` while a server runs: the server holds records still in its queue,
// so the command asks it through the data folder. The command replaces <data>/trail.flush
// (app/change_file.h: fresh random bytes, by rename); the server looks at it every 100 ms,
// flushes when it changed, and answers in <data>/trail.flushed ("<request> ok" or
// "<request> error <message>", replaced by rename), which the command waits for.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>

#include "core/error.h"

namespace cv::app {

inline constexpr std::string_view kTrailFlushRequestFile = "trail.flush";
inline constexpr std::string_view kTrailFlushAnswerFile = "trail.flushed";

// The command's side: asks and waits up to `deadline` for the answer. kServiceUnavailable
// when none comes in time; the server's error when its flush failed.
Status request_trail_flush(const std::filesystem::path& data_dir,
                           std::chrono::milliseconds deadline);

// The server's side. Not thread-safe: one caller (a periodic task).
class TrailFlushRequests {
 public:
  // Requests made before this moment are not answered.
  explicit TrailFlushRequests(std::filesystem::path data_dir);
  // A request not answered yet, if any.
  std::optional<uint64_t> pending();
  void answer(uint64_t request, const Status& outcome);

 private:
  std::filesystem::path data_dir_;
  uint64_t answered_ = 0;
};

}  // namespace cv::app
