#include "http/completion_batcher.h"

#include <algorithm>
#include <iterator>

namespace cv::http {

void CompletionBatcher::add(Completion completion) {
  bool post = false;
  {
    std::lock_guard lock(mutex_);
    pending_.push_back(std::move(completion));
    if (pending_.size() > kBatch * drains_) {
      ++drains_;
      post = true;
    }
  }
  if (post) workers_.post([this] { drain(); });
}

void CompletionBatcher::drain() {
  std::vector<Completion> batch;
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (pending_.empty()) {
        --drains_;
        return;
      }
      if (pending_.size() <= kBatch) {
        batch.swap(pending_);
      } else {
        const auto end = pending_.begin() + static_cast<std::ptrdiff_t>(kBatch);
        batch.assign(std::make_move_iterator(pending_.begin()), std::make_move_iterator(end));
        pending_.erase(pending_.begin(), end);
      }
    }
    for (Completion& completion : batch) completion();
    batch.clear();  // destroy captures outside the lock
    if (on_batch_end_) on_batch_end_();
  }
}

}  // namespace cv::http
