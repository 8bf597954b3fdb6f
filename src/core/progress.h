// How a long job tells its caller how far it has come, without knowing who is watching (the
// admin CLI draws a progress bar from it: app/progress_bar.h).
#pragma once

#include <cstdint>
#include <functional>

namespace cv {

// Called with the units done so far and the total (0: not known in advance); from the job's
// thread, often (throttling is the receiver's business). Empty: nobody is watching.
using ProgressCallback = std::function<void(uint64_t done, uint64_t total)>;

}  // namespace cv
