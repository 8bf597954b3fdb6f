// One HTTP/1.1 connection: a coroutine on a network thread reading requests, handing each to
// the handler on the worker pool, and writing the responses, until the peer leaves, an error
// or timeout, or server shutdown. Internal to the http layer (server.cc starts connections).
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <memory>

#include "core/http_message.h"
#include "http/completion_batcher.h"
#include "http/connection_tracker.h"
#include "http/server.h"
#include "http/worker_pool.h"

namespace boost::asio::ssl {
class context;
}

namespace cv::http {

// What all connections of a server share. Outlives every connection.
struct ConnectionContext {
  const ServerOptions& options;
  RequestHandler& handler;
  WorkerPool& workers;
  ConnectionTracker& tracker;
  CompletionBatcher& completions;  // runs Response::on_complete hooks on the workers
};

// Serves HTTP/1.1 on an accepted TCP socket: plain when `tls` is null, else over TLS with that
// context (the connection holds it until it ends). Runs on the socket's executor, which must
// be single-threaded (an io_context run by one thread).
void spawn_connection(boost::asio::ip::tcp::socket socket, ConnectionContext& context,
                      std::shared_ptr<boost::asio::ssl::context> tls);

}  // namespace cv::http
