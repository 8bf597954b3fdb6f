#include "workers/garbage_collector.h"

#include <vector>

namespace cv::workers {

Result<size_t> GarbageCollector::run_once() {
  const auto candidates = CV_TRY(vault_.garbage(batch_));
  std::vector<std::string> due;
  std::set<std::string> next_seen;
  for (const auto& id : candidates) {
    if (seen_.contains(id)) {
      due.push_back(id);
    } else {
      next_seen.insert(id);
    }
  }
  CV_TRY(vault_.reclaim(due));
  seen_ = std::move(next_seen);
  return due.size();
}

}  // namespace cv::workers
