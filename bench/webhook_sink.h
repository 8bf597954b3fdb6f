// A webhook receiver for the notification benchmarks: accepts keep-alive HTTP/1.1 connections
// on 127.0.0.1, answers every POST 200 at once, and records when each S3 event message arrived
// (by its object key; s3:TestEvent and other documents are counted apart). One thread per
// connection (a notification target uses one or a few), so the sink is never the bottleneck.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace cv::bench {

class WebhookSink {
 public:
  // Listens on 127.0.0.1:`port` (0: any free port) until destroyed.
  explicit WebhookSink(uint16_t port);
  ~WebhookSink();
  WebhookSink(const WebhookSink&) = delete;
  WebhookSink& operator=(const WebhookSink&) = delete;

  uint16_t port() const;
  // Object keys received so far (a key delivered twice counts once), and when each first
  // arrived (system clock, ns since the epoch).
  std::map<std::string, int64_t> arrivals() const;
  uint64_t deliveries() const;  // every POST, duplicates and test events included
  // Waits until `count` distinct keys have arrived or `timeout` passes; true when they did.
  bool wait_for(size_t count, std::chrono::steady_clock::duration timeout) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Now, on the clock the sink records arrivals with.
int64_t wall_clock_ns();

}  // namespace cv::bench
