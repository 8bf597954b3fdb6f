// A real HTTP receiver on 127.0.0.1 for the target tests: a thread accepting one connection at
// a time (Beast parses the request), recording it and answering with a chosen status.
#pragma once

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cv::workers::notify::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;

struct ReceivedRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // lowercase names
  std::string body;
};

class Receiver {
 public:
  // keep_alive: serve many requests per connection (until the client closes it).
  explicit Receiver(int status, std::string answer = "", bool keep_alive = false)
      : status_(status),
        keep_alive_(keep_alive),
        answer_(std::move(answer)),
        acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}) {
    thread_ = std::thread([this] { serve(); });
  }
  ~Receiver() {
    stopping_ = true;
    boost::system::error_code ec;
    asio::ip::tcp::socket poke(io_);
    poke.connect(acceptor_.local_endpoint(), ec);  // wakes accept()
    thread_.join();
  }
  uint16_t port() const { return acceptor_.local_endpoint().port(); }
  std::string url(const std::string& path = "/events") const {
    return "http://127.0.0.1:" + std::to_string(port()) + path;
  }
  int connections() const { return connections_; }
  std::vector<ReceivedRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  void serve() {
    while (!stopping_) {
      asio::ip::tcp::socket socket(io_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      if (ec || stopping_) return;
      ++connections_;
      beast::flat_buffer buffer;
      while (serve_one(socket, buffer) && keep_alive_) {
      }
      socket.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
    }
  }

  // Reads one request and answers it; false when the connection is done.
  bool serve_one(asio::ip::tcp::socket& socket, beast::flat_buffer& buffer) {
    boost::system::error_code ec;
    {
      bhttp::request<bhttp::string_body> request;
      bhttp::read(socket, buffer, request, ec);
      if (ec) return false;
      ReceivedRequest seen{
          std::string(request.method_string()), std::string(request.target()), {}, request.body()};
      for (const auto& field : request) {
        std::string name(field.name_string());
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        seen.headers[name] = std::string(field.value());
      }
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(std::move(seen));
      }
      bhttp::response<bhttp::string_body> response{static_cast<bhttp::status>(status_), 11};
      response.body() = answer_;
      response.keep_alive(keep_alive_);
      response.prepare_payload();
      bhttp::write(socket, response, ec);
      return !ec;
    }
  }

  int status_;
  bool keep_alive_;
  std::atomic<int> connections_{0};
  std::string answer_;
  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::vector<ReceivedRequest> requests_;
  std::thread thread_;
};

// A port that listens but never accepts nor answers: a request to it waits until timeout.
class SilentListener {
 public:
  SilentListener() : acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}) {}
  uint16_t port() const { return acceptor_.local_endpoint().port(); }

 private:
  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_;
};

// A loopback port nothing listens on (bound, then released).
inline uint16_t closed_port() {
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

}  // namespace cv::workers::notify::testing
