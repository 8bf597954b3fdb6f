#include "http/connection_tracker.h"

#include <vector>

namespace cv::http {

uint64_t ConnectionTracker::add(std::weak_ptr<Closeable> connection) {
  std::lock_guard lock(mutex_);
  if (closing_) return 0;
  const uint64_t id = next_id_++;
  connections_.emplace(id, std::move(connection));
  return id;
}

void ConnectionTracker::remove(uint64_t id) {
  std::lock_guard lock(mutex_);
  connections_.erase(id);
  if (connections_.empty()) emptied_.notify_all();
}

void ConnectionTracker::close_all(bool force) {
  std::vector<std::shared_ptr<Closeable>> live;
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
    live.reserve(connections_.size());
    for (const auto& [id, weak] : connections_) {
      if (auto connection = weak.lock()) live.push_back(std::move(connection));
    }
  }
  for (const auto& connection : live) connection->request_close(force);
}

bool ConnectionTracker::wait_until_empty(std::chrono::steady_clock::duration timeout) {
  std::unique_lock lock(mutex_);
  return emptied_.wait_for(lock, timeout, [&] { return connections_.empty(); });
}

void ConnectionTracker::wait_until_empty() {
  std::unique_lock lock(mutex_);
  emptied_.wait(lock, [&] { return connections_.empty(); });
}

size_t ConnectionTracker::size() const {
  std::lock_guard lock(mutex_);
  return connections_.size();
}

}  // namespace cv::http
