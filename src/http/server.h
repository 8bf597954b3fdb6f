// The HTTP/1.1 front door: accepts connections, parses requests into cv::Request, runs a
// cv::RequestHandler for each on a worker thread pool, and writes the cv::Response back.
//
// Threads: `network_threads` threads each run their own event loop (a connection lives on
// one of them for its whole life); handlers run on a separate pool of `worker_threads`
// threads, because they block (SQLite, fsync). A small request costs exactly one hop to
// the pool and one back. Request bodies and streamed responses flow between the two sides
// through small bounded buffers, so a 5 GiB body never sits in memory:
//  - a request body with a Content-Length up to 64 KiB (and no Expect) is read before the
//    handler runs; larger, chunked or `Expect: 100-continue` bodies stream to the handler
//    while the network thread reads ahead up to 1 MiB (`100 Continue` is sent when the
//    handler first reads). A body the handler leaves unread is drained if at most 1 MiB
//    remains, else the response says `Connection: close`;
//  - Response::stream is read on workers in 512 KiB pieces, one piece read while the
//    previous is written; over plain TCP a stream whose bytes are stored as they are in
//    files (a file_backed() FileSpanSource, core/file_span_source.h) is instead sent with
//    sendfile(2) in 32 MiB spans, a worker taking the next span while one is sent. If the
//    stream fails, the connection closes mid-body. sendfile cannot suppress SIGPIPE: the
//    process must ignore it (app/server_command.cc does).
//
// Every response carries `x-amz-request-id` (the id the handler saw in Request::request_id),
// `Server: CloudVault` and `Date`. Requests the http layer cannot hand to the handler
// (malformed HTTP, oversized header, over-long body, bad query escapes) get an S3-style XML
// error and, where the stream may be out of sync, a closed connection. Any ambiguity in how
// long a request is (request smuggling: a Transfer-Encoding other than `chunked`, two
// Content-Lengths, obs-fold, a missing Host, ...; the full list is in request_parser.h) is
// answered 400 BadRequest and the connection closed, so nothing after it is served.
//
// A handler's Response::on_complete is called once per exchange after the response went out
// (or failed to), on a worker thread (completion_batcher.h: many per hand-off), with the body
// bytes read and the body bytes the socket took (a streamed body counts only what was sent).
// Requests the http layer answers itself (above) have no handler and so no completion. Completions
// still queued at stop() run before the worker threads end; whatever they call must outlive the
// Server.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/http_message.h"

namespace cv::http {

class TlsCredentials;

struct ServerOptions {
  // A numeric IPv4/IPv6 address or "localhost".
  std::string listen_address = "127.0.0.1";
  // 0 picks a free port; Server::port() tells which.
  uint16_t port = 9000;
  size_t network_threads = 2;
  size_t worker_threads = 64;
  // Deadlines against slow or idle clients. Each is one deadline for a whole step, never
  // renewed by the reads or writes within it; when one passes, the socket is closed without
  // an answer (nothing can be written on it reliably any more).
  //  - idle_timeout: how long a connection may wait for the first byte of a request (a new
  //    connection, or a kept-alive one between requests).
  //  - header_timeout: from the first byte of a request, the whole header (request line and
  //    fields) must arrive within this; a header trickled in byte by byte is cut off here.
  //  - read_timeout: the request body must keep a minimum rate: each piece of it the server
  //    reads in one go (a whole body up to 64 KiB; 256 KiB pieces of larger or chunked
  //    bodies, and of an unread body being drained) must arrive within read_timeout. With
  //    the defaults that is 256 KiB a minute, about 4.3 KiB/s.
  //  - write_timeout: likewise each response piece written (the head and up to 512 KiB of
  //    body, or a `100 Continue`) must be taken by the client within write_timeout.
  std::chrono::seconds idle_timeout{60};
  std::chrono::seconds header_timeout{10};
  std::chrono::seconds read_timeout{60};
  std::chrono::seconds write_timeout{60};
  // How many connections one client IP address may hold open at once; 0 means no limit.
  // Over the limit a new connection gets `503 SlowDown` (S3 XML, `Connection: close`,
  // `Retry-After: 1`) before anything is read, and is closed; the refusal is logged through
  // log_error (at most one line a second, counting the rest). IPv4 clients reaching an IPv6
  // listener count as their IPv4 address.
  size_t max_connections_per_address = 256;
  // Request line plus header fields. Larger headers get 400 RequestHeaderSectionTooLarge.
  size_t max_header_bytes = 16 * 1024;
  // Largest request body accepted (after de-chunking): S3's 5 GiB single PUT plus room for
  // aws-chunked signatures. Larger bodies get EntityTooLarge.
  uint64_t max_body_bytes = (5ull << 30) + (64ull << 20);
  // stop() lets in-flight requests finish for this long before closing their sockets.
  std::chrono::seconds shutdown_grace{10};
  // Receives diagnostics the server cannot return to a client (handler exceptions, accept
  // failures). May be called from any thread, concurrently. Empty: diagnostics are dropped.
  std::function<void(std::string_view message)> log_error;
  // Called on a network thread (so it must not block) for a request refused before any
  // handler saw it because it is not valid HTTP/1.1 as this server accepts it (bad framing,
  // an oversized header or body): `request` holds what was read of it (at least the remote
  // address, arrival time and request id), `response` the refusal about to be sent. It may
  // set response.on_complete, which then runs on a worker once the refusal is written, as a
  // handler's does (the audit trail records these refusals). Connections refused over
  // max_connections_per_address are not reported here (only logged). Empty: nothing.
  std::function<void(const Request& request, Response& response)> on_refusal;
  // Called on a worker after each batch of completion hooks (Response::on_complete) has run
  // (completion_batcher.h: up to 256 hooks per batch, several batches may run at once on
  // different workers), before that worker takes more: a consumer that gathers what the
  // hooks produce (app's access log) writes it out here. Must not block for long. Empty:
  // nothing.
  std::function<void()> on_completion_batch_end;
  // HTTPS (http/tls_context.h): when set, the listener on listen_address:port speaks TLS
  // only (a handshake within header_timeout, then HTTP/1.1 as above; Request::secure is
  // true). Each connection keeps the context that was current when it was accepted, so
  // TlsCredentials::reload() never touches a connection already open. Null: plain HTTP.
  std::shared_ptr<TlsCredentials> tls;
  // An extra plain-HTTP listener beside the TLS one (kept for loopback clients; only with
  // `tls`): plain_listen_address:plain_port, 0 picking a free port (Server::plain_port()).
  std::optional<std::string> plain_listen_address;
  uint16_t plain_port = 0;
};

// Connections of a running server (for metrics): open now, and accepted since start.
struct ConnectionCounts {
  size_t open = 0;
  uint64_t accepted = 0;
};

// Thread-safety: start(), stop(), wait() and port() may be called from any thread except the
// server's own network and worker threads (stop() and wait() block until the network
// threads have ended). The handler must outlive the Server and be safe to call from many
// threads at once.
class Server {
 public:
  Server(ServerOptions options, RequestHandler& handler);
  // Stops the server (as stop()) if it is running.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens, then starts the threads. Throws std::system_error when the address
  // cannot be bound and std::logic_error when called twice.
  void start();
  // The bound port; valid after start().
  uint16_t port() const;
  // The extra plain listener's bound port (ServerOptions::plain_listen_address); 0 without one.
  uint16_t plain_port() const;
  // Thread-safe, from any thread (a handler's too); zeros before start().
  ConnectionCounts connections() const;
  // Graceful stop: stops accepting, closes idle connections, lets requests in flight finish
  // (their responses say `Connection: close`) for up to shutdown_grace, then closes the
  // remaining sockets, waits for running handlers to return and joins every thread.
  // Idempotent; a no-op before start().
  void stop();
  // Blocks until the server has stopped (returns at once if it never started).
  void wait();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cv::http
