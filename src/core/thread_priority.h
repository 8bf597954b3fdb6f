// Scheduling priority of the calling thread. On Linux the nice value is a per-thread attribute
// (setpriority(2) on the thread id), inherited by the threads it starts, so a background
// worker lowers its own thread once and everything it spawns runs at that priority too.
#pragma once

#include "core/error.h"

namespace cv {

// Sets the calling thread's nice value to `nice` (0-19) unless it is already at least that
// (0 leaves it as it is): a thread's priority only ever goes down, which needs no privilege.
// InternalError when the kernel refuses.
Status lower_this_thread_priority(int nice);

// The calling thread's nice value.
int this_thread_nice();

}  // namespace cv
