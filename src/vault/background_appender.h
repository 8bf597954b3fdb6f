// Appends to a BlobWriter on a thread of its own, so that the caller can read and hash the
// next chunk of a large body while the previous one is written (MD5 and the write() copy
// each take a core's worth of time at disk speed).
#pragma once

#include <condition_variable>
#include <mutex>
#include <string_view>
#include <thread>

#include "blob/blob_store.h"
#include "core/error.h"

namespace cv::vault {

// Not thread-safe: one caller. At most one chunk is in flight; the caller must leave a
// submitted chunk's bytes untouched until the next submit() or finish() returns.
class BackgroundAppender {
 public:
  explicit BackgroundAppender(blob::BlobWriter& writer);
  // Waits for the chunk in flight, then stops the thread.
  ~BackgroundAppender();
  BackgroundAppender(const BackgroundAppender&) = delete;
  BackgroundAppender& operator=(const BackgroundAppender&) = delete;

  // Waits until the previous chunk is written, then hands over `chunk`. Returns the first
  // append error seen so far.
  Status submit(std::string_view chunk);
  // Waits until every submitted chunk is written; returns the first append error.
  Status finish();

 private:
  void run();
  Status wait_idle(std::unique_lock<std::mutex>& lock);

  blob::BlobWriter& writer_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::string_view pending_;
  bool has_pending_ = false;
  bool stopping_ = false;
  Status status_;
  std::thread thread_;
};

}  // namespace cv::vault
