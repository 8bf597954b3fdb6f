// A real in-memory AuditSink for tests: keeps every record it is given, in order, and lets a
// test wait (without sleeping) until records handed over on other threads have arrived.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "audit/audit_sink.h"

namespace cv::audit::testing {

// Thread-safe.
class CollectingSink final : public AuditSink {
 public:
  void record(AuditEvent event) override {
    std::lock_guard lock(mutex_);
    events_.push_back(std::move(event));
    arrived_.notify_all();
  }

  std::vector<AuditEvent> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }

  size_t size() const {
    std::lock_guard lock(mutex_);
    return events_.size();
  }

  // True once at least `count` records arrived; false if `limit` passed first.
  bool wait_for(size_t count, std::chrono::seconds limit = std::chrono::seconds(10)) const {
    std::unique_lock lock(mutex_);
    return arrived_.wait_for(lock, limit, [&] { return events_.size() >= count; });
  }

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable arrived_;
  std::vector<AuditEvent> events_;
};

}  // namespace cv::audit::testing
