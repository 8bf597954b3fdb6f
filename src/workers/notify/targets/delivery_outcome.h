// How a delivery attempt ends for the outbox task runner (workers/outbox/outbox_task_runner.h):
// delivered -> done, a retryable failure -> retry with backoff, a permanent one -> parked.
#pragma once

#include "workers/notify/targets/notification_target.h"
#include "workers/outbox/outbox_task_runner.h"

namespace cv::workers::notify {

inline TaskOutcome to_task_outcome(const DeliveryResult& result) {
  if (result) return TaskOutcome::done();
  return result.error().retryable() ? TaskOutcome::retry(result.error().message)
                                    : TaskOutcome::permanent(result.error().message);
}

}  // namespace cv::workers::notify
