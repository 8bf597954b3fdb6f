#include "http/server.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <condition_variable>
#include <future>
#include <mutex>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <vector>

#include "http/connection.h"
#include "http/connection_tracker.h"
#include "http/tls_context.h"

namespace cv::http {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

constexpr auto kAsTuple = asio::as_tuple(asio::use_awaitable);

asio::ip::address parse_listen_address(const std::string& text) {
  if (text == "localhost") return asio::ip::make_address("127.0.0.1");
  boost::system::error_code ec;
  asio::ip::address address = asio::ip::make_address(text, ec);
  if (ec) throw std::system_error(ec, "invalid listen address '" + text + "'");
  return address;
}

}  // namespace

struct Server::Impl {
  Impl(ServerOptions server_options, RequestHandler& request_handler)
      : options(std::move(server_options)),
        handler(request_handler),
        workers(std::max<size_t>(options.worker_threads, 1)) {
    const size_t network_threads = std::max<size_t>(options.network_threads, 1);
    for (size_t i = 0; i < network_threads; ++i) {
      // One event loop per network thread: a connection's coroutine, its socket and its
      // timers all live on one thread, so nothing needs a strand.
      contexts.push_back(std::make_unique<asio::io_context>(1));
    }
  }

  // Accepts on `listener` until it closes; TLS listeners hand each connection the context
  // current at accept time.
  asio::awaitable<void> accept_loop(tcp::acceptor& listener, bool tls) {
    size_t next = 0;
    asio::steady_timer backoff(*contexts[0]);
    for (;;) {
      asio::io_context& target = *contexts[next];
      next = (next + 1) % contexts.size();
      auto [ec, socket] = co_await listener.async_accept(target, kAsTuple);
      if (ec == asio::error::operation_aborted || !listener.is_open()) co_return;
      if (ec) {
        // Out of descriptors or a connection reset before accept: back off briefly
        // instead of spinning on the error.
        if (options.log_error) options.log_error("http accept failed: " + ec.message());
        backoff.expires_after(std::chrono::milliseconds(50));
        co_await backoff.async_wait(kAsTuple);
        continue;
      }
      spawn_connection(tcp::socket(std::move(socket)), connection_context,
                       tls ? options.tls->current() : nullptr);
    }
  }

  // Binds and listens on address:port (on the first network thread's loop).
  std::unique_ptr<tcp::acceptor> listen_on(const std::string& address, uint16_t port) {
    const tcp::endpoint endpoint(parse_listen_address(address), port);
    auto listener = std::make_unique<tcp::acceptor>(*contexts[0]);
    boost::system::error_code ec;
    listener->open(endpoint.protocol(), ec);
    if (!ec) listener->set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) listener->bind(endpoint, ec);
    if (!ec) listener->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) throw std::system_error(ec, "cannot listen on " + address + ":" + std::to_string(port));
    return listener;
  }

  const ServerOptions options;
  RequestHandler& handler;
  // Declared before everything that holds their executors, so destroyed after.
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  WorkerPool workers;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> work_guards;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::unique_ptr<tcp::acceptor> plain_acceptor;  // ServerOptions::plain_listen_address
  ConnectionTracker tracker{options.max_connections_per_address};
  // Joined workers before destruction: stop() joins them (~Server stops).
  CompletionBatcher completions{workers, options.on_completion_batch_end};
  ConnectionContext connection_context{options, handler, workers, tracker, completions};
  std::vector<std::thread> threads;
  uint16_t bound_port = 0;
  uint16_t bound_plain_port = 0;
  std::promise<void> accept_loop_finished;
  std::future<void> accept_loop_done;
  std::promise<void> plain_accept_loop_finished;
  std::future<void> plain_accept_loop_done;

  enum class State { kCreated, kRunning, kStopping, kStopped };
  std::mutex state_mutex;
  std::condition_variable state_changed;
  State state = State::kCreated;
};

Server::Server(ServerOptions options, RequestHandler& handler)
    : impl_(std::make_unique<Impl>(std::move(options), handler)) {}

Server::~Server() {
  stop();
  impl_->acceptor.reset();
  impl_->plain_acceptor.reset();
}

void Server::start() {
  Impl& impl = *impl_;
  std::lock_guard lock(impl.state_mutex);
  if (impl.state != Impl::State::kCreated) throw std::logic_error("Server::start called twice");

  if (impl.options.plain_listen_address && !impl.options.tls) {
    throw std::logic_error("ServerOptions::plain_listen_address needs ServerOptions::tls");
  }
  impl.acceptor = impl.listen_on(impl.options.listen_address, impl.options.port);
  impl.bound_port = impl.acceptor->local_endpoint().port();
  if (impl.options.plain_listen_address) {
    impl.plain_acceptor =
        impl.listen_on(*impl.options.plain_listen_address, impl.options.plain_port);
    impl.bound_plain_port = impl.plain_acceptor->local_endpoint().port();
  }

  impl.accept_loop_done = impl.accept_loop_finished.get_future();
  asio::co_spawn(*impl.contexts[0], impl.accept_loop(*impl.acceptor, impl.options.tls != nullptr),
                 [&impl](const std::exception_ptr&) { impl.accept_loop_finished.set_value(); });
  if (impl.plain_acceptor) {
    impl.plain_accept_loop_done = impl.plain_accept_loop_finished.get_future();
    asio::co_spawn(
        *impl.contexts[0], impl.accept_loop(*impl.plain_acceptor, false),
        [&impl](const std::exception_ptr&) { impl.plain_accept_loop_finished.set_value(); });
  }
  for (auto& context : impl.contexts) {
    impl.work_guards.push_back(asio::make_work_guard(*context));
  }
  for (auto& context : impl.contexts) {
    impl.threads.emplace_back([&impl, &context = *context] {
      for (;;) {
        try {
          context.run();
          return;
        } catch (const std::exception& e) {
          if (impl.options.log_error) {
            impl.options.log_error(std::string("http network thread: ") + e.what());
          }
        }
      }
    });
  }
  impl.state = Impl::State::kRunning;
}

uint16_t Server::port() const { return impl_->bound_port; }

uint16_t Server::plain_port() const { return impl_->bound_plain_port; }

ConnectionCounts Server::connections() const {
  return {impl_->tracker.size(), impl_->tracker.admitted()};
}

void Server::stop() {
  Impl& impl = *impl_;
  {
    std::unique_lock lock(impl.state_mutex);
    if (impl.state == Impl::State::kCreated) {
      impl.state = Impl::State::kStopped;
      impl.state_changed.notify_all();
      return;
    }
    if (impl.state != Impl::State::kRunning) {
      impl.state_changed.wait(lock, [&] { return impl.state == Impl::State::kStopped; });
      return;
    }
    impl.state = Impl::State::kStopping;
  }

  // 1. Ask every connection to finish: idle ones close now, busy ones after the response in
  //    progress (which then says `Connection: close`). Connections accepted from here on are
  //    closed at once.
  impl.tracker.close_all(false);

  // 2. Stop accepting (the acceptor belongs to the first network thread) and wait for the
  //    accept loop to end.
  asio::post(*impl.contexts[0], [&impl] {
    boost::system::error_code ignored;
    impl.acceptor->close(ignored);
    if (impl.plain_acceptor) impl.plain_acceptor->close(ignored);
  });
  impl.accept_loop_done.wait();
  if (impl.plain_acceptor) impl.plain_accept_loop_done.wait();

  // 3. Wait for the connections; after the grace period the rest lose their sockets, and
  //    handlers still running are waited for.
  if (!impl.tracker.wait_until_empty(impl.options.shutdown_grace)) {
    impl.tracker.close_all(true);
    impl.tracker.wait_until_empty();
  }

  // 4. Nothing is left on the network threads.
  impl.work_guards.clear();
  for (auto& context : impl.contexts) context->stop();
  for (auto& thread : impl.threads) thread.join();
  impl.threads.clear();
  impl.workers.join();

  std::lock_guard lock(impl.state_mutex);
  impl.state = Impl::State::kStopped;
  impl.state_changed.notify_all();
}

void Server::wait() {
  Impl& impl = *impl_;
  std::unique_lock lock(impl.state_mutex);
  impl.state_changed.wait(lock, [&] {
    return impl.state == Impl::State::kStopped || impl.state == Impl::State::kCreated;
  });
}

}  // namespace cv::http
