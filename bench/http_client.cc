// The only file of the bench that includes Beast: async keep-alive load (C++20 coroutines on
// Asio) and a blocking connection for sequential transfers.
#include "http_client.h"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/read.hpp>
#include <optional>
#include <stdexcept>
#include <thread>
#include <type_traits>

namespace cv::bench {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using beast::error_code;

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
// Receive buffer: large enough that big bodies arrive in few, large reads.
constexpr size_t kReadBufferSize = 256 * 1024;

// Parses one response keeping only the status and the body size (and the body on request):
// no per-field allocation, any body size.
class ResponseReader final : public http::basic_parser<false> {
 public:
  explicit ResponseReader(std::string* keep_body) : keep_body_(keep_body) {
    body_limit(boost::none);
  }
  int status() const { return status_; }
  uint64_t body_bytes() const { return body_bytes_; }

 private:
  void on_request_impl(http::verb, beast::string_view, beast::string_view, int,
                       error_code&) override {}
  void on_response_impl(int code, beast::string_view, int, error_code&) override { status_ = code; }
  void on_field_impl(http::field, beast::string_view, beast::string_view, error_code&) override {}
  void on_header_impl(error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>& length, error_code&) override {
    if (keep_body_ != nullptr && length && *length <= (64u << 20)) keep_body_->reserve(*length);
  }
  size_t on_body_impl(beast::string_view body, error_code&) override {
    body_bytes_ += body.size();
    if (keep_body_ != nullptr) keep_body_->append(body.data(), body.size());
    return body.size();
  }
  void on_chunk_header_impl(std::uint64_t, beast::string_view, error_code&) override {}
  size_t on_chunk_body_impl(std::uint64_t, beast::string_view body, error_code& ec) override {
    return on_body_impl(body, ec);
  }
  void on_finish_impl(error_code&) override {}

  std::string* keep_body_;
  int status_ = 0;
  uint64_t body_bytes_ = 0;
};

tcp::endpoint to_tcp(const Endpoint& endpoint) {
  return {asio::ip::make_address(endpoint.host), endpoint.port};
}

// The head and, when the body fits in one pattern, the body as one gather write.
bool single_write(const OutgoingRequest& request) {
  return request.body_length <= request.body_pattern.size();
}

std::array<asio::const_buffer, 2> first_buffers(const OutgoingRequest& request) {
  size_t body = single_write(request) ? static_cast<size_t>(request.body_length) : 0;
  return {asio::buffer(request.head), asio::buffer(request.body_pattern.data(), body)};
}

// ---- async load -------------------------------------------------------------------------

struct SharedLoad {
  const LoadPlan& plan;
  Clock::time_point deadline;
  std::atomic<uint64_t> sequence{0};
  asio::ssl::context* tls = nullptr;  // set for a TLS endpoint
};

using TlsSocket = asio::ssl::stream<tcp::socket>;

tcp::socket& lowest(tcp::socket& socket) { return socket; }
tcp::socket& lowest(TlsSocket& stream) { return stream.next_layer(); }

// A fresh stream for a (re)connection.
template <class Stream>
Stream make_stream(const asio::any_io_executor& executor, SharedLoad& shared) {
  if constexpr (std::is_same_v<Stream, TlsSocket>) {
    return Stream(executor, *shared.tls);
  } else {
    return Stream(executor);
  }
}

struct ConnectionStats {
  uint64_t requests = 0;
  uint64_t errors = 0;
  uint64_t bytes_sent = 0;
  uint64_t bytes_received = 0;
  std::vector<uint32_t> latencies_us;
  std::string first_error;

  void error(std::string what) {
    ++errors;
    if (first_error.empty()) first_error = std::move(what);
  }
};

template <class Stream>
asio::awaitable<error_code> async_send(Stream& socket, const OutgoingRequest& request) {
  auto [ec, n] = co_await asio::async_write(socket, first_buffers(request), kNoThrow);
  if (ec || single_write(request)) co_return ec;
  uint64_t left = request.body_length;
  while (left > 0) {
    size_t piece = static_cast<size_t>(std::min<uint64_t>(left, request.body_pattern.size()));
    auto [write_ec, written] = co_await asio::async_write(
        socket, asio::buffer(request.body_pattern.data(), piece), kNoThrow);
    if (write_ec) co_return write_ec;
    left -= piece;
  }
  co_return error_code{};
}

template <class Stream>
asio::awaitable<void> drive_connection(SharedLoad& shared, ConnectionStats& stats) {
  auto executor = co_await asio::this_coro::executor;
  Stream socket = make_stream<Stream>(executor, shared);
  beast::flat_buffer buffer;
  buffer.reserve(kReadBufferSize);
  OutgoingRequest request;
  bool connected = false;
  const tcp::endpoint target = to_tcp(shared.plan.endpoint);
  while (Clock::now() < shared.deadline) {
    uint64_t sequence = shared.sequence.fetch_add(1, std::memory_order_relaxed);
    if (!shared.plan.next(sequence, request)) break;
    if (!connected) {
      auto [ec] = co_await lowest(socket).async_connect(target, kNoThrow);
      if (ec) {
        stats.error("connect: " + ec.message());
        co_return;  // the server is gone; retrying would only spin
      }
      lowest(socket).set_option(tcp::no_delay(true));
      if constexpr (std::is_same_v<Stream, TlsSocket>) {
        auto [handshake_ec] = co_await socket.async_handshake(TlsSocket::client, kNoThrow);
        if (handshake_ec) {
          stats.error("TLS handshake: " + handshake_ec.message());
          co_return;
        }
      }
      connected = true;
    }
    const Clock::time_point start = Clock::now();
    error_code ec = co_await async_send(socket, request);
    ResponseReader reader(nullptr);
    if (!ec)
      std::tie(ec, std::ignore) = co_await http::async_read(socket, buffer, reader, kNoThrow);
    if (ec) {
      stats.error("request: " + ec.message());
      error_code ignored;
      lowest(socket).close(ignored);
      socket = make_stream<Stream>(executor, shared);
      buffer.clear();
      connected = false;
      continue;
    }
    auto micros = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
    stats.latencies_us.push_back(static_cast<uint32_t>(micros.count()));
    ++stats.requests;
    stats.bytes_sent += request.body_length;
    stats.bytes_received += reader.body_bytes();
    if (reader.status() < 200 || reader.status() > 299) {
      stats.error("HTTP status " + std::to_string(reader.status()));
    }
    if (!reader.keep_alive()) {
      error_code ignored;
      lowest(socket).close(ignored);
      socket = make_stream<Stream>(executor, shared);
      buffer.clear();
      connected = false;
    }
  }
}

}  // namespace

// ---- blocking connection ----------------------------------------------------------------

struct BlockingConnection::Impl {
  Endpoint endpoint;
  asio::io_context io;
  tcp::socket socket{io};
  beast::flat_buffer buffer;
  bool connected = false;

  void connect() {
    socket = tcp::socket(io);
    socket.connect(to_tcp(endpoint));
    socket.set_option(tcp::no_delay(true));
    buffer.clear();
    connected = true;
  }

  // Connects when needed, sends `request` (head and body), then lets `read(*this)` read the
  // response. A socket error becomes std::runtime_error and a fresh connection next time.
  template <class Read>
  Response exchange(const OutgoingRequest& request, Read read) {
    if (!connected) connect();
    try {
      asio::write(socket, first_buffers(request));
      if (!single_write(request)) {
        uint64_t left = request.body_length;
        while (left > 0) {
          const size_t piece =
              static_cast<size_t>(std::min<uint64_t>(left, request.body_pattern.size()));
          asio::write(socket, asio::buffer(request.body_pattern.data(), piece));
          left -= piece;
        }
      }
      return read(*this);
    } catch (const boost::system::system_error& e) {
      connected = false;
      throw std::runtime_error(std::string("HTTP round trip failed: ") + e.what());
    }
  }
};

BlockingConnection::BlockingConnection(Endpoint endpoint) : impl_(std::make_unique<Impl>()) {
  if (endpoint.tls) throw std::invalid_argument("the blocking bench client speaks plain HTTP only");
  impl_->endpoint = std::move(endpoint);
  impl_->buffer.reserve(kReadBufferSize);
}

BlockingConnection::~BlockingConnection() = default;

Response BlockingConnection::round_trip(const OutgoingRequest& request, bool keep_body) {
  return impl_->exchange(request, [&](Impl& impl) {
    Response response;
    ResponseReader reader(keep_body ? &response.body : nullptr);
    http::read(impl.socket, impl.buffer, reader);
    response.status = reader.status();
    response.body_bytes = reader.body_bytes();
    if (!reader.keep_alive()) {
      impl.socket.close();
      impl.connected = false;
    }
    return response;
  });
}

Response BlockingConnection::round_trip_discarding_body(const OutgoingRequest& request) {
  return impl_->exchange(request, [](Impl& impl) {
    ResponseReader reader(nullptr);
    http::read_header(impl.socket, impl.buffer, reader);
    Response response;
    response.status = reader.status();
    const auto length = reader.content_length();
    if (!length) throw std::runtime_error("a discarding round trip needs a Content-Length");
    uint64_t received = std::min<uint64_t>(impl.buffer.size(), *length);
    impl.buffer.consume(static_cast<size_t>(received));
    const int fd = impl.socket.native_handle();
    while (received < *length) {
      const size_t want = static_cast<size_t>(std::min<uint64_t>(*length - received, 1u << 30));
      const ssize_t got = ::recv(fd, nullptr, want, MSG_TRUNC);
      if (got < 0 && errno == EINTR) continue;
      if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        pollfd readable{fd, POLLIN, 0};
        ::poll(&readable, 1, -1);
        continue;
      }
      if (got <= 0) throw std::runtime_error("the connection ended inside the body");
      received += static_cast<uint64_t>(got);
    }
    response.body_bytes = received;
    impl.socket.close();
    impl.connected = false;
    return response;
  });
}

// ---- load -------------------------------------------------------------------------------

LoadOutcome run_load(const LoadPlan& plan) {
  const int threads = std::max(1, std::min(plan.threads, plan.connections));
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  for (int t = 0; t < threads; ++t) contexts.push_back(std::make_unique<asio::io_context>(1));
  std::vector<ConnectionStats> stats(static_cast<size_t>(plan.connections));

  // TLS: one client context for every connection (TLS 1.2+, ALPN http/1.1, no verification).
  std::optional<asio::ssl::context> tls;
  if (plan.endpoint.tls) {
    tls.emplace(asio::ssl::context::tls_client);
    SSL_CTX_set_min_proto_version(tls->native_handle(), TLS1_2_VERSION);
    static constexpr unsigned char kAlpn[] = "\x08http/1.1";
    SSL_CTX_set_alpn_protos(tls->native_handle(), kAlpn, sizeof(kAlpn) - 1);
    tls->set_verify_mode(asio::ssl::verify_none);
  }

  const Clock::time_point start = Clock::now();
  SharedLoad shared{plan, start + plan.duration};
  shared.tls = tls ? &*tls : nullptr;
  for (int c = 0; c < plan.connections; ++c) {
    stats[c].latencies_us.reserve(1 << 16);
    if (tls) {
      asio::co_spawn(*contexts[c % threads], drive_connection<TlsSocket>(shared, stats[c]),
                     asio::detached);
    } else {
      asio::co_spawn(*contexts[c % threads], drive_connection<tcp::socket>(shared, stats[c]),
                     asio::detached);
    }
  }
  std::vector<std::thread> workers;
  for (int t = 1; t < threads; ++t) workers.emplace_back([&, t] { contexts[t]->run(); });
  contexts[0]->run();
  for (auto& worker : workers) worker.join();

  LoadOutcome outcome;
  outcome.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  for (ConnectionStats& s : stats) {
    outcome.requests += s.requests;
    outcome.errors += s.errors;
    outcome.bytes_sent += s.bytes_sent;
    outcome.bytes_received += s.bytes_received;
    outcome.latencies_us.insert(outcome.latencies_us.end(), s.latencies_us.begin(),
                                s.latencies_us.end());
    if (outcome.first_error.empty()) outcome.first_error = s.first_error;
  }
  return outcome;
}

Endpoint parse_endpoint(std::string_view text) {
  size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) {
    throw std::invalid_argument("endpoint must be host:port, got '" + std::string(text) + "'");
  }
  std::string_view host = text.substr(0, colon);
  if (host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  Endpoint endpoint;
  endpoint.host = std::string(host);
  unsigned long port = std::stoul(std::string(text.substr(colon + 1)));
  if (port == 0 || port > 65535) throw std::invalid_argument("bad port in endpoint");
  endpoint.port = static_cast<uint16_t>(port);
  boost::system::error_code ec;
  asio::ip::make_address(endpoint.host, ec);
  if (ec) throw std::invalid_argument("endpoint host must be a numeric address");
  return endpoint;
}

}  // namespace cv::bench
