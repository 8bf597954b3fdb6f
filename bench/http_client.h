// The load generator's HTTP/1.1 client, with no Beast types in its interface (Beast lives in
// http_client.cc only). Requests are sent as pre-serialized heads plus a body that is a
// repeated buffer, so nothing large is ever allocated and nothing is re-encoded per request.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cv::bench {

struct Endpoint {
  std::string host;  // numeric address, e.g. "127.0.0.1"
  uint16_t port = 0;
  // HTTPS (run_load only; BlockingConnection refuses it). The server's certificate is not
  // verified: the bench measures its own server on loopback.
  bool tls = false;
  // "host:port" as the Host header carries it.
  std::string authority() const {
    std::string name = host.find(':') == std::string::npos ? host : "[" + host + "]";
    return name + ":" + std::to_string(port);
  }
};

// One request on the wire: `head` is the request line and header fields ending in an empty
// line; the body is `body_length` bytes made of `body_pattern` repeated (and cut short).
struct OutgoingRequest {
  std::string head;
  std::string_view body_pattern;  // must outlive the request; non-empty if body_length > 0
  uint64_t body_length = 0;
};

struct Response {
  int status = 0;
  uint64_t body_bytes = 0;
  std::string body;  // filled only when the caller asked for it
};

// A blocking keep-alive connection for sequential work (large transfers, listing, setup).
// Plain HTTP only (std::invalid_argument for a TLS endpoint). Not thread-safe. Reconnects when the
// server closed the previous connection.
class BlockingConnection {
 public:
  explicit BlockingConnection(Endpoint endpoint);
  ~BlockingConnection();
  BlockingConnection(const BlockingConnection&) = delete;
  BlockingConnection& operator=(const BlockingConnection&) = delete;

  // Sends the request and reads the whole response (the body is counted, and kept when
  // `keep_body`). Throws std::runtime_error on a connection or protocol failure.
  Response round_trip(const OutgoingRequest& request, bool keep_body);
  // As round_trip without keeping the body, which the kernel discards as it arrives
  // (recv with MSG_TRUNC: no copy into this process), so one stream's rate is the sender's
  // and not this client's copying. Needs a Content-Length; closes the connection after.
  Response round_trip_discarding_body(const OutgoingRequest& request);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Closed-loop load: each of `connections` keep-alive connections sends a request, waits for
// the response, and sends the next, until the deadline passes or `next` runs out of work.
struct LoadPlan {
  Endpoint endpoint;
  int connections = 32;
  int threads = 1;  // event-loop threads; connections are spread over them
  std::chrono::steady_clock::duration duration = std::chrono::seconds(10);
  // Fills `out` with the request numbered `sequence` (0, 1, 2, ... across all connections);
  // returns false when there is no request with that number. Called concurrently when
  // threads > 1.
  std::function<bool(uint64_t sequence, OutgoingRequest& out)> next;
};

struct LoadOutcome {
  uint64_t requests = 0;               // responses received, whatever their status
  uint64_t errors = 0;                 // non-2xx responses and failed connections
  uint64_t bytes_sent = 0;             // body bytes
  uint64_t bytes_received = 0;         // body bytes
  double seconds = 0;                  // wall time from the first send to the last response
  std::vector<uint32_t> latencies_us;  // one per response
  std::string first_error;             // a sample, for the log
};

LoadOutcome run_load(const LoadPlan& plan);

// Parses "host:port" (numeric IPv4/IPv6 host). Throws std::invalid_argument.
Endpoint parse_endpoint(std::string_view text);

}  // namespace cv::bench
