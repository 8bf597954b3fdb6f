// How processes sharing a data folder tell each other that users or keys changed, so that a
// process may cache credentials and still see a key deleted by another (the admin CLI) at once.
#pragma once

#include <cstdint>

namespace cv::iam {

// Thread-safe.
class ChangeSignal {
 public:
  virtual ~ChangeSignal() = default;
  // A value that differs after every announce() by any process. Cheap: called per request.
  virtual uint64_t generation() = 0;
  // Called after a change has been committed.
  virtual void announce() = 0;
};

}  // namespace cv::iam
