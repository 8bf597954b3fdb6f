// The set of live connections of a server, so that stop() can ask them to close and wait
// until they have.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace cv::http {

// A connection as the tracker sees it.
class Closeable {
 public:
  // Thread-safe. Without `force`: close now if idle between requests, else after the
  // response in progress. With `force`: close the socket now, abandoning any response.
  virtual void request_close(bool force) = 0;

 protected:
  ~Closeable() = default;
};

// Thread-safe.
class ConnectionTracker {
 public:
  // Registers a live connection and returns its id; returns 0 once closing has begun, in
  // which case the caller must close at once.
  uint64_t add(std::weak_ptr<Closeable> connection);
  void remove(uint64_t id);
  // Refuses new connections and calls request_close(force) on every live one.
  void close_all(bool force);
  // Waits until no connection is left; false on timeout.
  bool wait_until_empty(std::chrono::steady_clock::duration timeout);
  void wait_until_empty();
  size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable emptied_;
  std::unordered_map<uint64_t, std::weak_ptr<Closeable>> connections_;
  uint64_t next_id_ = 1;
  bool closing_ = false;
};

}  // namespace cv::http
