// The reading side of one outbox consumer ("notify", "replicate"): takes the events written
// since its position, asks the consumer what work each one causes, and records that work
// together with the new position in one transaction (MetaStore::advance_consumer).
//
// Contract: at-least-once, never-lost. An event's tasks are durable before the position
// passes it; a crash before the commit leaves the position where it was, so the same events
// are planned again (planning must be a pure function of the event and configuration). Two
// instances racing on one consumer cannot both record: the second gets PreconditionFailed and
// re-reads. Planning that fails (e.g. the store is unavailable) stops the batch before that
// event: the position never passes an event whose work is not recorded.
//
// Thread-compatible: one run_once at a time per instance.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/error.h"
#include "meta/meta_store.h"

namespace cv::workers {

// The tasks an event causes for the consumer (target, payload, next_try_ns; the rest is
// filled in). An event that concerns the consumer not at all causes none.
using OutboxPlanner = std::function<Result<std::vector<meta::OutboxTask>>(const meta::Event&)>;

class OutboxFanOut {
 public:
  // Registers the consumer (a new one starts at the newest event).
  static Result<OutboxFanOut> open(meta::MetaStore& store, std::string consumer,
                                   OutboxPlanner planner, size_t batch = 512);

  // Plans and records up to one batch of events; returns how many events it passed.
  Result<size_t> run_once();
  int64_t position() const { return position_; }

 private:
  OutboxFanOut(meta::MetaStore& store, std::string consumer, OutboxPlanner planner, size_t batch,
               int64_t position)
      : store_(&store),
        consumer_(std::move(consumer)),
        planner_(std::move(planner)),
        batch_(batch),
        position_(position) {}

  meta::MetaStore* store_;
  std::string consumer_;
  OutboxPlanner planner_;
  size_t batch_;
  int64_t position_;
};

}  // namespace cv::workers
