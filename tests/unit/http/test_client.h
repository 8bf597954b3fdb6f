// A blocking HTTP/1.1 test client over a plain POSIX socket to 127.0.0.1, with a send and
// receive timeout so a misbehaving server fails a test instead of hanging it. Responses are
// parsed by Beast.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cerrno>
#include <chrono>
#include <stdexcept>
#include <string>
#include <string_view>

namespace cv::http::testing {

using TestResponse = boost::beast::http::response<boost::beast::http::string_body>;

class TestClient {
 public:
  // `local_address`: the loopback address to connect from (Linux routes all of 127/8 to lo),
  // e.g. "127.0.0.2" to be another client address than the default 127.0.0.1.
  explicit TestClient(uint16_t port, const char* local_address = nullptr) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) throw std::runtime_error("socket failed");
    if (local_address) {
      sockaddr_in local{};
      local.sin_family = AF_INET;
      ::inet_pton(AF_INET, local_address, &local.sin_addr);
      if (::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
        ::close(fd_);
        throw std::runtime_error("bind failed");
      }
    }
    timeval timeout{20, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      ::close(fd_);
      throw std::runtime_error("connect failed");
    }
  }
  ~TestClient() {
    if (fd_ >= 0) ::close(fd_);
  }
  TestClient(const TestClient&) = delete;
  TestClient& operator=(const TestClient&) = delete;

  // Sends all of `bytes`; false if the server closed or reset the connection.
  bool send(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // Reads one response (an interim 1xx counts as one). `head` skips the body as for HEAD.
  // Throws std::runtime_error if the connection ends or times out first, or the bytes are
  // not HTTP.
  TestResponse read_response(bool head = false) {
    boost::beast::http::response_parser<boost::beast::http::string_body> parser;
    parser.eager(true);
    parser.body_limit(boost::none);
    parser.skip(head);
    for (;;) {
      if (!pending_.empty()) {
        boost::beast::error_code ec;
        const size_t used = parser.put(boost::asio::buffer(pending_), ec);
        pending_.erase(0, used);
        if (parser.is_done()) return parser.release();
        if (ec && ec != boost::beast::http::error::need_more) {
          throw std::runtime_error("bad response: " + ec.message());
        }
        if (used > 0 && !pending_.empty()) continue;
      }
      char buffer[65536];
      const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n < 0) throw std::runtime_error("recv failed: " + std::to_string(errno));
      if (n == 0) {
        boost::beast::error_code ec;
        parser.put_eof(ec);
        if (!ec && parser.is_done()) return parser.release();
        throw std::runtime_error("connection closed mid-response");
      }
      pending_.append(buffer, static_cast<size_t>(n));
    }
  }

  // True if the server closes the connection (after any bytes still buffered).
  bool closed_by_server() {
    if (!pending_.empty()) return false;
    char buffer[4096];
    for (;;) {
      const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n == 0) return true;
      if (n < 0) return errno == ECONNRESET;
      return false;
    }
  }

  // Waits up to `wait` for the server to close the connection (after any bytes it still
  // sends, which are kept for read_response); true if it did.
  bool closed_within(std::chrono::milliseconds wait) {
    const auto deadline = std::chrono::steady_clock::now() + wait;
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd entry{fd_, POLLIN, 0};
      if (::poll(&entry, 1, static_cast<int>(left.count())) <= 0) continue;
      char buffer[65536];
      const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n == 0) return true;
      if (n < 0) return errno == ECONNRESET;
      pending_.append(buffer, static_cast<size_t>(n));
    }
  }

  // Receives until at least `n` bytes are pending (kept for read_response); false if the
  // connection ended first.
  bool receive_at_least(size_t n) {
    char buffer[65536];
    while (pending_.size() < n) {
      const ssize_t got = ::recv(fd_, buffer, sizeof buffer, 0);
      if (got <= 0) return false;
      pending_.append(buffer, static_cast<size_t>(got));
    }
    return true;
  }

  // Bytes received but not consumed by read_response.
  const std::string& pending() const { return pending_; }

  // Raw bytes until the server closes (or the timeout).
  std::string read_until_close() {
    std::string out = std::move(pending_);
    pending_.clear();
    char buffer[65536];
    for (;;) {
      const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) return out;
      out.append(buffer, static_cast<size_t>(n));
    }
  }

  void shutdown_send() { ::shutdown(fd_, SHUT_WR); }

  // Closes the connection abortively (a TCP reset, not a FIN), as a client that crashed.
  void reset() {
    linger abort{1, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
    ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
  std::string pending_;
};

}  // namespace cv::http::testing
