#include "http/connection_tracker.h"

#include <vector>

namespace cv::http {

ConnectionTracker::Admission ConnectionTracker::add(std::weak_ptr<Closeable> connection,
                                                    std::string_view address) {
  std::lock_guard lock(mutex_);
  if (closing_) return {};
  Admission admission{next_id_++, false};
  Entry entry{std::move(connection), {}};
  if (max_per_address_ > 0) {
    auto [it, inserted] = per_address_.try_emplace(std::string(address), 0);
    if (it->second >= max_per_address_) {
      admission.over_address_limit = true;
    } else {
      ++it->second;
      entry.counted_address = it->first;
    }
  }
  connections_.emplace(admission.id, std::move(entry));
  return admission;
}

void ConnectionTracker::remove(uint64_t id) {
  std::lock_guard lock(mutex_);
  auto it = connections_.find(id);
  if (it == connections_.end()) return;
  if (!it->second.counted_address.empty()) {
    auto count = per_address_.find(it->second.counted_address);
    if (count != per_address_.end() && --count->second == 0) per_address_.erase(count);
  }
  connections_.erase(it);
  if (connections_.empty()) emptied_.notify_all();
}

void ConnectionTracker::close_all(bool force) {
  std::vector<std::shared_ptr<Closeable>> live;
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
    live.reserve(connections_.size());
    for (const auto& [id, entry] : connections_) {
      if (auto connection = entry.connection.lock()) live.push_back(std::move(connection));
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

uint64_t ConnectionTracker::admitted() const {
  std::lock_guard lock(mutex_);
  return next_id_ - 1;
}

size_t ConnectionTracker::count_for(std::string_view address) const {
  std::lock_guard lock(mutex_);
  auto it = per_address_.find(std::string(address));
  return it == per_address_.end() ? 0 : it->second;
}

bool ConnectionTracker::should_report_refusal(std::chrono::steady_clock::time_point now,
                                              std::chrono::steady_clock::duration interval,
                                              uint64_t& suppressed) {
  std::lock_guard lock(mutex_);
  if (last_report_ != std::chrono::steady_clock::time_point{} && now - last_report_ < interval) {
    ++unreported_refusals_;
    return false;
  }
  last_report_ = now;
  suppressed = unreported_refusals_;
  unreported_refusals_ = 0;
  return true;
}

}  // namespace cv::http
