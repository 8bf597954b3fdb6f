// The connection coroutine, modelled on Beast's advanced_server_flex_awaitable example: a
// parser per request with header and body limits, a timeout on every read and write, a
// keep-alive loop, an unread body drained or the connection closed. Handlers run on the
// worker pool; while one runs, this coroutine feeds it the request body through the
// Exchange, and afterwards streams the response, with a worker reading ahead.
//
// A plain-TCP response whose body source is file_backed() (a blob stored as it is) is sent
// with sendfile(2) from the blob file in spans of kFileSpanBytes (32 MiB): a worker takes each span
// (opening files and starting the kernel's read-ahead) while the previous one is sent, so no
// body byte passes through this process. TLS, encrypted and compressed bodies are copied
// through two buffers instead.
//
// Templated on the stream type: plain TCP (beast::tcp_stream) or TLS over it
// (beast::ssl_stream), so the plain path pays nothing for TLS. A TLS connection does its
// handshake first (within header_timeout) and, when it ends, sends close_notify (bounded by
// kTlsShutdownTime) unless its socket was already closed.
//
// GCC 12 miscompiles co_await inside a condition (`while (co_await f())` resumed the wrong
// frame): await into a local first.
#include "http/connection.h"

#include <sys/sendfile.h>

#include <array>
#include <cerrno>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <cstring>
#include <exception>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <type_traits>

#include "core/file_span_source.h"
#include "core/ids.h"
#include "http/exchange.h"
#include "http/message_format.h"
#include "http/request_parser.h"

namespace cv::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using beast::error_code;

constexpr auto kAsTuple = asio::as_tuple(asio::use_awaitable);

// Bodies up to this size (with a Content-Length, `Expect: 100-continue` or not) are read
// before the handler runs: small PUTs then cost no extra thread hops.
constexpr uint64_t kSmallBodyBytes = 64 * 1024;
// Larger bodies stream to the handler in chunks of this size, read ahead up to this many.
constexpr size_t kBodyChunkBytes = 256 * 1024;
constexpr size_t kMaxQueuedBodyChunks = 4;
// An unread request body up to this size is read and dropped to keep the connection.
constexpr uint64_t kDrainLimitBytes = 1 << 20;
// Streamed responses are read by workers into two buffers of this size, so that disk reads
// overlap socket writes.
constexpr uint64_t kResponseChunkBytes = 512 * 1024;
// A file-backed response body is sent by sendfile in spans of this size (one worker hop each:
// few enough that a busy machine's scheduling delays do not pace the stream).
constexpr uint64_t kFileSpanBytes = 32 * 1024 * 1024;
// At most this much per sendfile call, so one connection does not hold its network thread for
// long while the page cache fills.
constexpr size_t kSendfileCallBytes = 2 * 1024 * 1024;
// Before closing a connection whose request body was not read, keep reading and dropping
// what the client still sends for at most this long, so that the response is not destroyed
// by a TCP reset.
constexpr auto kLingerTime = std::chrono::seconds(5);
// A connection refused for its address's connection count lingers only this long.
constexpr auto kRefusalLingerTime = std::chrono::seconds(1);
// How long a TLS connection waits for the peer's close_notify when it ends.
constexpr auto kTlsShutdownTime = std::chrono::seconds(1);
// At most one log line per this interval about refused connections.
constexpr auto kRefusalReportInterval = std::chrono::seconds(1);

// Beast reads into the connection's buffer as much as its free capacity allows (at most 64 KiB
// a read), so the capacity sets the read size: enough for a small request in one read while
// idle, the maximum while a body streams.
constexpr size_t kIdleBufferBytes = 16 * 1024;
constexpr size_t kStreamingBufferBytes = 64 * 1024;

constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

// The body of a request that was read whole before the handler ran (or had none).
class MemorySource final : public ByteSource {
 public:
  void reset(std::string_view data) {
    data_ = data;
    offset_ = 0;
  }
  Result<size_t> read(std::span<char> out) override {
    const size_t n = std::min(out.size(), data_.size() - offset_);
    if (n > 0) std::memcpy(out.data(), data_.data() + offset_, n);
    offset_ += n;
    return n;
  }

 private:
  std::string_view data_;
  size_t offset_ = 0;
};

// Reads `want` bytes of `source` into `out` (on a worker thread). ok=false if the stream
// failed or ended early.
Exchange::FillResult fill_from(ByteSource& source, char* out, size_t want) {
  size_t got = 0;
  while (got < want) {
    Result<size_t> n = source.read(std::span<char>(out + got, want - got));
    if (!n || *n == 0) return {got, false};
    got += *n;
  }
  return {got, true};
}

// Beast's parse errors and RequestParser's framing refusals: the request is malformed.
bool is_http_error(const error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() ||
         ec.category() == framing_category();
}

// The Error a handler's body read reports when the network side could not read on.
Error body_read_error(const error_code& ec) {
  if (ec == beast::error::timeout) {
    return Error{ErrorCode::kRequestTimeout,
                 "Your socket connection to the server was not read from or written to within "
                 "the timeout period.",
                 {}};
  }
  if (ec == bhttp::error::body_limit) return Error{ErrorCode::kEntityTooLarge, {}, {}};
  if (is_http_error(ec) && ec != bhttp::error::partial_message &&
      ec != bhttp::error::end_of_stream) {
    return Error{ErrorCode::kIncompleteBody, "The request body is not validly encoded.", {}};
  }
  return Error{ErrorCode::kIncompleteBody,
               "The connection ended before the whole request body arrived.",
               {}};
}

using TlsStream = beast::ssl_stream<beast::tcp_stream>;

template <class Stream>
class Connection final : public Closeable, public std::enable_shared_from_this<Connection<Stream>> {
 public:
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

  // `tls`: the context `stream` was made with (null for plain TCP), held as long as it is.
  Connection(Stream stream, ConnectionContext& context,
             std::shared_ptr<asio::ssl::context> tls = nullptr)
      : tls_context_(std::move(tls)),
        stream_(std::move(stream)),
        context_(context),
        exchange_(kBodyChunkBytes, kMaxQueuedBodyChunks) {}

  static asio::awaitable<void> run(std::shared_ptr<Connection> self) {
    error_code ec;
    const tcp::endpoint peer = self->socket_layer().socket().remote_endpoint(ec);
    if (!ec) self->remote_address_ = client_address(peer.address());
    const ConnectionTracker::Admission admission =
        self->context_.tracker.add(self, self->remote_address_);
    const uint64_t id = admission.id;
    bool handshaken = !kTls;
    if constexpr (kTls) {
      if (id != 0) handshaken = co_await self->handshake();
    }
    if (id != 0 && handshaken) {
      bool crashed = false;
      try {
        if (admission.over_address_limit) {
          co_await self->refuse_over_limit();
        } else {
          co_await self->serve();
        }
      } catch (const std::exception& e) {
        self->log(std::string("http connection failed: ") + e.what());
        crashed = true;
      }
      // Workers may still use this connection; wait for them before it goes away.
      if (crashed) co_await self->settle_workers();
      if constexpr (kTls) {
        if (!crashed) co_await self->tls_shutdown();
      }
    }
    error_code ignored;
    self->socket_layer().socket().shutdown(tcp::socket::shutdown_both, ignored);
    self->socket_layer().close();
    if (id != 0) self->context_.tracker.remove(id);
  }

  void request_close(bool force) override {
    asio::post(stream_.get_executor(), [self = this->shared_from_this(), force] {
      self->close_requested_ = true;
      if (force) {
        self->socket_layer().close();
      } else if (self->idle_) {
        self->socket_layer().cancel();
      }
    });
  }

 private:
  enum class BodyMode { kNone, kMemory, kStreaming };

  auto& socket_layer() { return beast::get_lowest_layer(stream_); }

  // The TLS handshake, within header_timeout; false (nothing to answer) when it fails.
  asio::awaitable<bool> handshake() {
    socket_layer().expires_after(context_.options.header_timeout);
    auto [ec] = co_await stream_.async_handshake(asio::ssl::stream_base::server, kAsTuple);
    co_return !ec;
  }

  // Sends close_notify and waits (briefly) for the peer's, unless the socket is gone.
  asio::awaitable<void> tls_shutdown() {
    if (!socket_layer().socket().is_open()) co_return;
    socket_layer().expires_after(kTlsShutdownTime);
    auto [ec] = co_await stream_.async_shutdown(kAsTuple);
    (void)ec;  // a peer that just closes is fine: HTTP framing ended every response
  }

  void log(std::string_view message) const {
    if (context_.options.log_error) context_.options.log_error(message);
  }

  // The address a connection counts against: IPv4 clients of a dual-stack listener as IPv4.
  static std::string client_address(const asio::ip::address& address) {
    if (address.is_v6() && address.to_v6().is_v4_mapped()) {
      return asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6()).to_string();
    }
    return address.to_string();
  }

  // The client's address already holds max_connections_per_address connections: answer
  // 503 SlowDown at once, without reading a request, and close. Refusals are logged, at most
  // one line a second.
  asio::awaitable<void> refuse_over_limit() {
    uint64_t suppressed = 0;
    if (context_.tracker.should_report_refusal(std::chrono::steady_clock::now(),
                                               kRefusalReportInterval, suppressed)) {
      std::string message = "http connection from " + remote_address_ +
                            " refused: it already holds " +
                            std::to_string(context_.options.max_connections_per_address) +
                            " connections (max_connections_per_address)";
      if (suppressed > 0) {
        message += "; " + std::to_string(suppressed) + " more refusals since the last report";
      }
      log(message);
    }
    request_.request_id = new_request_id();
    response_ = make_error_response(
        503, "SlowDown",
        "Too many connections from your address; close some connections and retry.", {},
        request_.request_id);
    response_.headers.add("retry-after", "1");
    buffer_.reserve(kIdleBufferBytes);
    const bool written = co_await write_response(false, false);
    if (written) co_await linger(kRefusalLingerTime);
  }

  asio::awaitable<void> serve() {
    buffer_.reserve(kIdleBufferBytes);
    for (;;) {
      const bool keep_open = co_await serve_one();
      if (!keep_open) break;
    }
  }

  // Serves one request; true if the connection stays open for another.
  asio::awaitable<bool> serve_one() {
    request_ = Request{};
    response_ = Response{};
    head_request_ = false;
    continue_sent_ = false;
    body_failed_ = false;
    stream_response_ = false;
    file_body_ = false;
    body_bytes_sent_ = 0;
    prefetch_ = {};
    if (close_requested_) co_return false;

    RequestParser parser(request_);
    parser.header_limit(static_cast<uint32_t>(
        std::min<size_t>(context_.options.max_header_bytes, std::numeric_limits<uint32_t>::max())));
    parser.body_limit(context_.options.max_body_bytes);

    // Deadlines (server.h): idle_timeout for the first byte of a request, then one
    // header_timeout for the whole header from that byte on (not renewed per read, so a
    // header trickled in byte by byte is cut off). A timeout closes the socket silently.
    idle_ = true;
    if (buffer_.size() == 0) {
      socket_layer().expires_after(context_.options.idle_timeout);
      auto [first_ec, n] =
          co_await stream_.async_read_some(buffer_.prepare(kIdleBufferBytes), kAsTuple);
      if (first_ec) {
        idle_ = false;
        co_return false;
      }
      buffer_.commit(n);
    }
    const int64_t arrival_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count();
    socket_layer().expires_after(context_.options.header_timeout);
    auto [ec, header_bytes] = co_await bhttp::async_read_header(stream_, buffer_, parser, kAsTuple);
    idle_ = false;
    if (ec) {
      co_await answer_unreadable_request(ec, parser, arrival_ns);
      co_return false;
    }

    request_.request_id = new_request_id();
    request_.remote_address = remote_address_;
    request_.secure = kTls;
    request_.arrival_ns = arrival_ns;
    const TargetParts target = split_target(request_.target);
    request_.path.assign(target.path);
    request_.query.assign(target.query);
    if (const auto length = parser.content_length()) request_.content_length = *length;
    head_request_ = request_.method == "HEAD";

    BodyMode mode = BodyMode::kStreaming;
    if (parser.is_done()) {
      mode = BodyMode::kNone;
    } else if (!parser.chunked() && request_.content_length &&
               *request_.content_length <= kSmallBodyBytes) {
      // Also with `Expect: 100-continue`: a small body is worth a hop more than the chance
      // to refuse it unread.
      mode = BodyMode::kMemory;
    }

    std::optional<QueryParams> params = parse_query(request_.query);
    if (!params) {
      response_ = make_error_response(ErrorCode::kInvalidURI,
                                      "The query string contains a malformed percent-escape.",
                                      request_.path, request_.request_id);
    } else {
      request_.params = std::move(*params);
      if (mode == BodyMode::kMemory) {
        const bool body_read = co_await read_small_body(parser);
        if (!body_read) co_return false;
      }
      co_await run_handler(parser, mode);
    }

    bool keep_alive = parser.keep_alive() && !close_requested_ && !body_failed_;
    if (keep_alive && !parser.is_done()) keep_alive = co_await drain_body(parser);
    const bool written = co_await write_response(keep_alive, parser.version() < 11);
    complete_exchange(parser.body_bytes_parsed());
    exchange_.end_request();
    response_ = Response{};
    fill_buffers_[0].reset();
    fill_buffers_[1].reset();
    if (buffer_.capacity() > kIdleBufferBytes && buffer_.size() <= kIdleBufferBytes) {
      buffer_.shrink_to_fit();
      buffer_.reserve(kIdleBufferBytes);
    }
    if (!written) co_return false;
    if (!keep_alive) {
      if (!parser.is_done() || buffer_.size() > 0) co_await linger();
      co_return false;
    }
    co_return !close_requested_;
  }

  // A request whose header could not be read: answer parse errors, drop the rest silently
  // (end of stream, timeouts, resets, shutdown).
  asio::awaitable<void> answer_unreadable_request(const error_code& ec, RequestParser& parser,
                                                  int64_t arrival_ns) {
    if (!is_http_error(ec) || ec == bhttp::error::end_of_stream ||
        ec == bhttp::error::partial_message) {
      co_return;
    }
    request_.request_id = new_request_id();
    head_request_ = false;
    if (ec == bhttp::error::header_limit) {
      response_ = make_error_response(
          400, "RequestHeaderSectionTooLarge",
          "Your request header section exceeds the maximum allowed size.", {}, request_.request_id);
    } else if (ec == bhttp::error::body_limit) {
      response_ = make_error_response(ErrorCode::kEntityTooLarge, {},
                                      split_target(request_.target).path, request_.request_id);
    } else if (ec.category() == framing_category()) {
      response_ =
          make_error_response(ErrorCode::kBadRequest, ec.message(), {}, request_.request_id);
    } else {
      response_ = make_error_response(ErrorCode::kBadRequest, "The request is not valid HTTP/1.1.",
                                      {}, request_.request_id);
    }
    if (context_.options.on_refusal) {
      // What is known of a request that could not be read: who sent it, when, and the id its
      // refusal carries (the fields of an earlier request on this connection are not its).
      Request refused;
      refused.remote_address = remote_address_;
      refused.secure = kTls;
      refused.arrival_ns = arrival_ns;
      refused.request_id = request_.request_id;
      context_.options.on_refusal(refused, response_);
    }
    const bool written = co_await write_response(false, parser.version() < 11);
    complete_exchange(0);
    if (written) co_await linger();
  }

  asio::awaitable<bool> read_small_body(RequestParser& parser) {
    if (parser.expects_continue()) {
      continue_sent_ = true;
      socket_layer().expires_after(context_.options.write_timeout);
      auto [ec, n] = co_await asio::async_write(
          stream_, asio::const_buffer(kContinue.data(), kContinue.size()), kAsTuple);
      if (ec) co_return false;
    }
    const size_t size = static_cast<size_t>(*request_.content_length);
    small_body_.resize(size);
    parser.set_body_buffer(std::span<char>(small_body_.data(), size));
    socket_layer().expires_after(context_.options.read_timeout);
    auto [ec, n] = co_await bhttp::async_read(stream_, buffer_, parser, kAsTuple);
    // A body with a Content-Length cannot be malformed, only cut short: nobody to answer.
    if (ec || !parser.is_done()) co_return false;
    memory_source_.reset(std::string_view(small_body_.data(), size));
    co_return true;
  }

  // Runs the handler on a worker and, meanwhile, feeds it the request body.
  asio::awaitable<void> run_handler(RequestParser& parser, BodyMode mode) {
    exchange_.begin_request(mode == BodyMode::kStreaming, !parser.expects_continue());
    if (mode == BodyMode::kStreaming) {
      request_.body = &exchange_.body_source();
    } else {
      if (mode == BodyMode::kNone) memory_source_.reset({});
      request_.body = &memory_source_;
    }
    handler_outstanding_ = true;
    context_.workers.post([this] { handle_on_worker(); });
    for (;;) {
      switch (exchange_.next_step()) {
        case Exchange::NetworkStep::kHandlerDone:
          handler_outstanding_ = false;
          co_return;
        case Exchange::NetworkStep::kWait:
          co_await park(Exchange::WaitFor::kHandlerOrBody);
          break;
        case Exchange::NetworkStep::kReadBody:
          co_await read_body_chunk(parser);
          break;
      }
    }
  }

  asio::awaitable<void> read_body_chunk(RequestParser& parser) {
    if (parser.expects_continue() && !continue_sent_) {
      continue_sent_ = true;
      socket_layer().expires_after(context_.options.write_timeout);
      auto [ec, n] = co_await asio::async_write(
          stream_, asio::const_buffer(kContinue.data(), kContinue.size()), kAsTuple);
      if (ec) {
        body_failed_ = true;
        exchange_.fail_body(body_read_error(ec));
        co_return;
      }
    }
    if (buffer_.capacity() < kStreamingBufferBytes) buffer_.reserve(kStreamingBufferBytes);
    std::unique_ptr<char[]> chunk = exchange_.take_buffer();
    parser.set_body_buffer(std::span<char>(chunk.get(), exchange_.chunk_bytes()));
    socket_layer().expires_after(context_.options.read_timeout);
    auto [ec, n] = co_await bhttp::async_read(stream_, buffer_, parser, kAsTuple);
    if (ec == bhttp::error::need_buffer) ec = {};
    exchange_.push_body(std::move(chunk), parser.body_buffer_used(), !ec && parser.is_done());
    if (ec) {
      body_failed_ = true;
      exchange_.fail_body(body_read_error(ec));
    }
  }

  // Suspends until the Exchange has something for this side (see Exchange::park).
  asio::awaitable<void> park(Exchange::WaitFor what) {
    auto executor = stream_.get_executor();
    co_await asio::async_initiate<decltype(asio::use_awaitable), void()>(
        [this, what, executor](auto handler) {
          exchange_.park(what, [executor, handler = std::move(handler)]() mutable {
            asio::post(executor, std::move(handler));
          });
        },
        asio::use_awaitable);
  }

  // After an exception in the coroutine: waits until no worker uses this connection.
  asio::awaitable<void> settle_workers() {
    if (handler_outstanding_) {
      exchange_.fail_body(Error{ErrorCode::kInternalError, {}, {}});
      while (exchange_.next_step() != Exchange::NetworkStep::kHandlerDone) {
        co_await park(Exchange::WaitFor::kHandlerOrBody);
      }
      handler_outstanding_ = false;
    }
    if (fill_outstanding_) {
      co_await park(Exchange::WaitFor::kFill);
      fill_outstanding_ = false;
    }
  }

  // Worker thread: runs the handler, then reads the first piece of a streamed body.
  void handle_on_worker() {
    Response response;
    try {
      response = context_.handler.handle(request_);
    } catch (const std::exception& e) {
      log(std::string("request handler threw: ") + e.what());
      response =
          make_error_response(ErrorCode::kInternalError, {}, request_.path, request_.request_id);
    } catch (...) {
      log("request handler threw a non-standard exception");
      response =
          make_error_response(ErrorCode::kInternalError, {}, request_.path, request_.request_id);
    }
    if (response.stream && !response.content_length) {
      log("request handler returned a stream without a content length");
      response =
          make_error_response(ErrorCode::kInternalError, {}, request_.path, request_.request_id);
    }
    if (response.stream) {
      if (head_request_ || status_forbids_body(response.status)) {
        response.stream.reset();
      } else if (sends_files(*response.stream)) {
        stream_response_ = true;
        file_body_ = true;
        prefetch_ = take_span(*response.stream, *response.content_length);
      } else {
        stream_response_ = true;
        const uint64_t length = *response.content_length;
        stream_buffer_bytes_ = static_cast<size_t>(std::min(kResponseChunkBytes, length));
        if (stream_buffer_bytes_ > 0) {
          fill_buffers_[0] = std::make_unique_for_overwrite<char[]>(stream_buffer_bytes_);
          prefetch_ = fill_from(*response.stream, fill_buffers_[0].get(), stream_buffer_bytes_);
        } else {
          prefetch_ = {0, true};
        }
        if (!prefetch_.ok || prefetch_.bytes == length) response.stream.reset();
      }
    }
    response_ = std::move(response);
    exchange_.finish_handler();  // the last touch of `this` on this thread
  }

  // Whether the body is sent by sendfile: plain TCP and a body stored as it is in files.
  static bool sends_files(ByteSource& stream) {
    if constexpr (kTls) {
      return false;
    } else {
      return file_spans_of(stream) != nullptr;
    }
  }

  // Worker thread: takes the next span (at most kFileSpanBytes of `remaining`) of the response
  // stream into taken_span_; ok=false when the stream failed or ended early.
  Exchange::FillResult take_span(ByteSource& stream, uint64_t remaining) {
    taken_span_ = {};
    if (remaining == 0) return {0, true};
    FileSpanSource* spans = file_spans_of(stream);
    if (!spans) return {0, false};
    Result<std::optional<FileSpan>> span =
        spans->take_file_span(std::min<uint64_t>(kFileSpanBytes, remaining));
    if (!span || !*span || (*span)->length == 0) return {0, false};
    taken_span_ = **span;
    return {static_cast<size_t>(taken_span_.length), true};
  }

  // Hands the response's completion hook what went each way, on a worker (it may block).
  void complete_exchange(uint64_t body_bytes_in) {
    if (!response_.on_complete) return;
    context_.completions.add(
        [done = std::move(response_.on_complete),
         totals = ExchangeTotals{body_bytes_in, body_bytes_sent_}]() mutable { done(totals); });
  }

  // Drops the rest of a request body the handler did not read, if small; false if the
  // connection must close instead.
  asio::awaitable<bool> drain_body(RequestParser& parser) {
    if (body_failed_ || (parser.expects_continue() && !continue_sent_)) co_return false;
    if (request_.content_length &&
        *request_.content_length - parser.body_bytes_parsed() > kDrainLimitBytes) {
      co_return false;
    }
    parser.discard_body();
    const uint64_t start = parser.body_bytes_parsed();
    // The body rate rule of the reads above holds here too: each kBodyChunkBytes drained gets
    // one read_timeout, not each read (a trickle would renew a per-read deadline forever).
    uint64_t renew_at = start;
    while (!parser.is_done()) {
      if (parser.body_bytes_parsed() - start > kDrainLimitBytes) co_return false;
      if (parser.body_bytes_parsed() >= renew_at) {
        socket_layer().expires_after(context_.options.read_timeout);
        renew_at = parser.body_bytes_parsed() + kBodyChunkBytes;
      }
      auto [ec, n] = co_await bhttp::async_read_some(stream_, buffer_, parser, kAsTuple);
      if (ec) co_return false;
    }
    co_return true;
  }

  // Writes response_; false if the connection failed or the body could not be completed.
  asio::awaitable<bool> write_response(bool keep_alive, bool http10) {
    const Response& response = response_;
    const bool forbids_body = status_forbids_body(response.status);
    std::optional<uint64_t> length;
    if (!forbids_body) {
      if (stream_response_ || head_request_) {
        length = response.content_length.value_or(response.body.size());
      } else {
        length = response.body.size();
      }
    }
    ResponseHeadOptions head_options{request_.request_id, date_.now(), length,
                                     ConnectionField::kNone};
    if (!keep_alive) {
      head_options.connection = ConnectionField::kClose;
    } else if (http10) {
      head_options.connection = ConnectionField::kKeepAlive;
    }
    head_.clear();
    append_response_head(head_, response.status, response.headers, head_options);
    if (stream_response_) {
      const bool streamed = co_await write_streamed_body(*length);
      co_return streamed;
    }

    const bool send_body = !head_request_ && !forbids_body && !response.body.empty();
    const std::array<asio::const_buffer, 2> buffers{
        asio::buffer(head_), send_body ? asio::buffer(response.body) : asio::const_buffer()};
    socket_layer().expires_after(context_.options.write_timeout);
    auto [ec, n] = co_await asio::async_write(
        stream_, std::span<const asio::const_buffer>(buffers.data(), send_body ? 2 : 1), kAsTuple);
    count_body_bytes_sent(n, head_.size());
    co_return !ec;
  }

  // Writes head_ and `length` bytes of the streamed body: the worker fills one buffer while
  // the other is written.
  asio::awaitable<bool> write_streamed_body(uint64_t length) {
    if (file_body_) {
      const bool sent = co_await write_file_body(length);
      co_return sent;
    }
    uint64_t unfilled = length - prefetch_.bytes;
    bool stream_ok = prefetch_.ok;
    int current = 0;
    size_t current_bytes = prefetch_.bytes;
    bool first = true;
    for (;;) {
      bool filling = false;
      if (stream_ok && unfilled > 0) {
        const size_t want = static_cast<size_t>(std::min<uint64_t>(stream_buffer_bytes_, unfilled));
        unfilled -= want;
        start_fill(1 - current, want, unfilled == 0);
        filling = true;
      }
      socket_layer().expires_after(context_.options.write_timeout);
      // No empty buffer in the sequence: Beast's ssl_stream writes only a large sequence's
      // first buffer per call, and a write of zero bytes ends asio::async_write early.
      const asio::const_buffer piece(fill_buffers_[current].get(), current_bytes);
      const std::array<asio::const_buffer, 2> buffers{first ? asio::buffer(head_) : piece,
                                                      first ? piece : asio::const_buffer()};
      auto [ec, n] = co_await asio::async_write(
          stream_, std::span<const asio::const_buffer>(buffers.data(), first ? 2 : 1), kAsTuple);
      count_body_bytes_sent(n, first ? head_.size() : 0);
      first = false;
      if (filling) {
        co_await park(Exchange::WaitFor::kFill);
        fill_outstanding_ = false;
        const Exchange::FillResult result = exchange_.fill_result();
        stream_ok = stream_ok && result.ok;
        current = 1 - current;
        current_bytes = result.bytes;
      }
      if (ec) co_return false;
      if (!filling) break;
    }
    if (!stream_ok) log("response body stream failed; connection closed mid-body");
    co_return stream_ok;
  }

  // Writes head_, then `length` bytes of a file-backed body with sendfile: a worker takes the
  // next span while the current one is sent. The stream (owner of the files) lives in
  // response_ until the response is done.
  asio::awaitable<bool> write_file_body(uint64_t length) {
    socket_layer().expires_after(context_.options.write_timeout);
    auto [head_ec, head_n] = co_await asio::async_write(stream_, asio::buffer(head_), kAsTuple);
    (void)head_n;
    if (head_ec) co_return false;
    bool stream_ok = prefetch_.ok;
    FileSpan current = taken_span_;
    uint64_t untaken = length - current.length;
    bool sent = true;
    while (stream_ok && sent && current.length > 0) {
      const bool taking = untaken > 0;
      if (taking) start_take(untaken);
      sent = co_await send_span(current);
      current = {};
      if (taking) {
        co_await park(Exchange::WaitFor::kFill);
        fill_outstanding_ = false;
        const Exchange::FillResult result = exchange_.fill_result();
        stream_ok = result.ok;
        current = taken_span_;
        untaken -= current.length;
      }
    }
    if (!sent) co_return false;
    if (!stream_ok) log("response body stream failed; connection closed mid-body");
    co_return stream_ok;
  }

  void start_take(uint64_t remaining) {
    exchange_.begin_fill();
    fill_outstanding_ = true;
    context_.workers.post([this, remaining] {
      const Exchange::FillResult result = take_span(*response_.stream, remaining);
      exchange_.finish_fill(result.bytes, result.ok);  // the last touch of `this`
    });
  }

  // Sends `span` with sendfile on the socket (non-blocking; waits for writability, each wait
  // bounded by write_timeout). False when the connection failed or timed out, or the file
  // ended early.
  asio::awaitable<bool> send_span(FileSpan span) {
    auto& socket = socket_layer().socket();
    error_code ec;
    if (!socket.native_non_blocking()) socket.native_non_blocking(true, ec);
    if (ec) co_return false;
    off_t offset = static_cast<off_t>(span.offset);
    uint64_t left = span.length;
    while (left > 0) {
      const ssize_t n = ::sendfile(socket.native_handle(), span.fd, &offset,
                                   static_cast<size_t>(std::min<uint64_t>(left, kSendfileCallBytes)));
      if (n > 0) {
        left -= static_cast<uint64_t>(n);
        body_bytes_sent_ += static_cast<uint64_t>(n);
        continue;
      }
      if (n == 0) co_return false;  // the file is shorter than its recorded size
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) co_return false;
      const bool writable = co_await wait_writable();
      if (!writable) co_return false;
    }
    co_return true;
  }

  // Waits until the socket can take more bytes, at most write_timeout (then closes it).
  asio::awaitable<bool> wait_writable() {
    const uint64_t generation = ++send_wait_generation_;
    send_timer_.expires_after(context_.options.write_timeout);
    send_timer_.async_wait(
        [self = this->shared_from_this(), generation](const error_code& timer_ec) {
          // A timer that fired for an earlier wait must not cut a later one short.
          if (!timer_ec && generation == self->send_wait_generation_) {
            self->socket_layer().socket().cancel();
          }
        });
    auto [ec] = co_await socket_layer().socket().async_wait(tcp::socket::wait_write, kAsTuple);
    ++send_wait_generation_;
    send_timer_.cancel();
    co_return !ec;
  }

  // Adds the body part of `written` bytes, of which the first `head_bytes` were the head.
  void count_body_bytes_sent(size_t written, size_t head_bytes) {
    if (written > head_bytes) body_bytes_sent_ += written - head_bytes;
  }

  void start_fill(int index, size_t want, bool last) {
    if (!fill_buffers_[index]) {
      fill_buffers_[index] = std::make_unique_for_overwrite<char[]>(stream_buffer_bytes_);
    }
    exchange_.begin_fill();
    fill_outstanding_ = true;
    context_.workers.post([this, out = fill_buffers_[index].get(), want, last] {
      const Exchange::FillResult result = fill_from(*response_.stream, out, want);
      if (last || !result.ok) response_.stream.reset();
      exchange_.finish_fill(result.bytes, result.ok);  // the last touch of `this`
    });
  }

  // Closing after answering without reading the whole request: stop sending, then read and
  // drop what the client still sends (bounded by kLingerTime) so that its TCP stack does
  // not discard our response on a reset.
  asio::awaitable<void> linger(std::chrono::seconds limit = kLingerTime) {
    error_code ignored;
    socket_layer().socket().shutdown(tcp::socket::shutdown_send, ignored);
    if (close_requested_) co_return;
    socket_layer().expires_after(limit);
    buffer_.clear();
    for (;;) {
      auto [ec, n] = co_await stream_.async_read_some(buffer_.prepare(64 * 1024), kAsTuple);
      if (ec) break;
    }
  }

  std::shared_ptr<asio::ssl::context> tls_context_;  // before stream_: outlives it
  Stream stream_;
  ConnectionContext& context_;
  beast::flat_buffer buffer_;
  Exchange exchange_;
  DateCache date_;
  asio::steady_timer send_timer_{stream_.get_executor()};  // bounds waits for writability
  uint64_t send_wait_generation_ = 0;
  std::string remote_address_;
  std::string head_;        // the serialised response head, reused
  std::string small_body_;  // a request body read whole, reused
  MemorySource memory_source_;
  bool idle_ = false;             // waiting for the next request header
  bool close_requested_ = false;  // server shutdown: finish the current response, then close
  bool handler_outstanding_ = false;
  bool fill_outstanding_ = false;

  // The request in progress. Workers use request_ (during the handler) and response_.stream
  // (during fills) while this coroutine waits on the Exchange.
  Request request_;
  Response response_;
  bool head_request_ = false;
  bool continue_sent_ = false;
  bool body_failed_ = false;
  bool stream_response_ = false;
  bool file_body_ = false;  // the streamed body goes out by sendfile (write_file_body)
  FileSpan taken_span_;     // the span the last take_span() took (written by a worker)
  size_t stream_buffer_bytes_ = 0;
  uint64_t body_bytes_sent_ = 0;  // response body bytes the socket took
  Exchange::FillResult prefetch_;
  std::unique_ptr<char[]> fill_buffers_[2];
};

}  // namespace

void spawn_connection(tcp::socket socket, ConnectionContext& context,
                      std::shared_ptr<asio::ssl::context> tls) {
  error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);
  auto executor = socket.get_executor();
  if (tls) {
    using TlsConnection = Connection<TlsStream>;
    asio::ssl::context& tls_context = *tls;
    auto connection = std::make_shared<TlsConnection>(
        TlsStream(beast::tcp_stream(std::move(socket)), tls_context), context, std::move(tls));
    asio::co_spawn(executor, TlsConnection::run(std::move(connection)),
                   [](const std::exception_ptr&) {});
    return;
  }
  using PlainConnection = Connection<beast::tcp_stream>;
  auto connection =
      std::make_shared<PlainConnection>(beast::tcp_stream(std::move(socket)), context);
  asio::co_spawn(executor, PlainConnection::run(std::move(connection)),
                 [](const std::exception_ptr&) {});
}

}  // namespace cv::http
