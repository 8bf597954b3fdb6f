#include "workers/outbox/outbox_fan_out.h"

namespace cv::workers {

Result<OutboxFanOut> OutboxFanOut::open(meta::MetaStore& store, std::string consumer,
                                        OutboxPlanner planner, size_t batch) {
  const int64_t position = CV_TRY(store.register_consumer(consumer));
  return OutboxFanOut(store, std::move(consumer), std::move(planner), batch == 0 ? 1 : batch,
                      position);
}

Result<size_t> OutboxFanOut::run_once() {
  // Another instance may have moved on (a restart, an admin command): start from the store's.
  position_ = CV_TRY(store_->consumer_position(consumer_));
  const std::vector<meta::Event> events = CV_TRY(store_->list_events(position_, batch_));
  if (events.empty()) return size_t{0};
  std::vector<meta::OutboxTask> tasks;
  int64_t last = position_;
  size_t passed = 0;
  Status planning;
  for (const meta::Event& event : events) {
    auto planned = planner_(event);
    if (!planned) {
      planning = std::unexpected(planned.error());
      break;
    }
    for (meta::OutboxTask& task : *planned) {
      task.consumer = consumer_;
      task.event_seq = event.seq;
      tasks.push_back(std::move(task));
    }
    last = event.seq;
    ++passed;
  }
  if (passed > 0) {
    CV_TRY(store_->advance_consumer(consumer_, position_, last, tasks));
    position_ = last;
  }
  if (!planning) return std::unexpected(planning.error());
  return passed;
}

}  // namespace cv::workers
