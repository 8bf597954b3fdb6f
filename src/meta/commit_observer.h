// Told about each group commit of the metadata store, for metrics: how many changes shared
// one transaction and how long its COMMIT took (with synchronous=FULL, the fsync of the WAL).
#pragma once

#include <chrono>
#include <cstddef>

namespace cv::meta {

// Called on the store's writer thread after each committed batch: must be quick, must not
// call the store, and must outlive the store. Not owned by the store.
class CommitObserver {
 public:
  virtual void batch_committed(size_t changes, std::chrono::nanoseconds commit_time) = 0;

 protected:
  ~CommitObserver() = default;
};

}  // namespace cv::meta
