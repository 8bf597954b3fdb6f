#include "core/thread_priority.h"

#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace cv {

Status lower_this_thread_priority(int nice) {
  if (nice <= 0) return {};
  if (nice > 19) nice = 19;
  if (this_thread_nice() >= nice) return {};
  const id_t thread = static_cast<id_t>(gettid());
  if (setpriority(PRIO_PROCESS, thread, nice) != 0) {
    return fail(ErrorCode::kInternalError,
                "setpriority(" + std::to_string(nice) + "): " + std::strerror(errno));
  }
  return {};
}

int this_thread_nice() {
  errno = 0;
  return getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()));
}

}  // namespace cv
