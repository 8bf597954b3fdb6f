// The set of live connections of a server, so that stop() can ask them to close and wait
// until they have, and the count of connections per client address, so that one address
// cannot take every descriptor (ServerOptions::max_connections_per_address).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
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
  // `max_per_address`: how many connections one client address may hold at once; 0 means
  // no limit.
  explicit ConnectionTracker(size_t max_per_address = 0) : max_per_address_(max_per_address) {}

  struct Admission {
    // 0 once closing has begun: the caller must close at once (and not call remove()).
    uint64_t id = 0;
    // The address already holds max_per_address connections: the caller must refuse this
    // one (answer and close). It is tracked (stop() waits for it; call remove()) but does
    // not count towards the address.
    bool over_address_limit = false;
  };
  // Registers a live connection from `address` (a numeric IP address).
  Admission add(std::weak_ptr<Closeable> connection, std::string_view address);
  void remove(uint64_t id);
  // Refuses new connections and calls request_close(force) on every live one.
  void close_all(bool force);
  // Waits until no connection is left; false on timeout.
  bool wait_until_empty(std::chrono::steady_clock::duration timeout);
  void wait_until_empty();
  size_t size() const;
  // Connections registered since construction (refused ones included).
  uint64_t admitted() const;
  // Connections counted for `address` (refused ones are not).
  size_t count_for(std::string_view address) const;

  // For logging refusals without letting a flood of them flood the log: true at most once
  // per `interval`; `suppressed` then holds how many refusals were not reported since.
  bool should_report_refusal(std::chrono::steady_clock::time_point now,
                             std::chrono::steady_clock::duration interval, uint64_t& suppressed);

 private:
  struct Entry {
    std::weak_ptr<Closeable> connection;
    std::string counted_address;  // empty when not counted
  };

  const size_t max_per_address_;
  mutable std::mutex mutex_;
  std::condition_variable emptied_;
  std::unordered_map<uint64_t, Entry> connections_;
  std::unordered_map<std::string, size_t> per_address_;
  uint64_t next_id_ = 1;
  bool closing_ = false;
  std::chrono::steady_clock::time_point last_report_{};
  uint64_t unreported_refusals_ = 0;
};

}  // namespace cv::http
