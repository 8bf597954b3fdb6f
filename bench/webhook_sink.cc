#include "webhook_sink.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <condition_variable>
#include <list>
#include <mutex>
#include <thread>

namespace cv::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

int64_t wall_clock_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct WebhookSink::Impl {
  asio::io_context io;
  tcp::acceptor acceptor{io};
  std::thread accepting;
  std::list<std::thread> connections;
  std::list<std::shared_ptr<tcp::socket>> sockets;
  mutable std::mutex mutex;
  mutable std::condition_variable arrived;
  std::map<std::string, int64_t> keys;
  uint64_t posts = 0;
  bool stopping = false;

  // The object key of an S3 event message; empty for anything else (e.g. s3:TestEvent).
  static std::string key_of(const std::string& body) {
    boost::system::error_code ec;
    const boost::json::value document = boost::json::parse(body, ec);
    if (ec || !document.is_object()) return {};
    const auto* records = document.as_object().if_contains("Records");
    if (records == nullptr || !records->is_array() || records->as_array().empty()) return {};
    const auto* key = records->as_array()[0].as_object().at("s3").as_object().at("object")
                          .as_object().if_contains("key");
    return key != nullptr && key->is_string() ? std::string(key->as_string()) : std::string();
  }

  void serve(std::shared_ptr<tcp::socket> socket) {
    beast::flat_buffer buffer;
    boost::system::error_code ec;
    socket->set_option(tcp::no_delay(true), ec);
    while (true) {
      bhttp::request<bhttp::string_body> request;
      bhttp::read(*socket, buffer, request, ec);
      if (ec) return;
      const int64_t now = wall_clock_ns();
      const std::string key = key_of(request.body());
      {
        std::lock_guard lock(mutex);
        ++posts;
        if (!key.empty()) keys.emplace(key, now);
      }
      arrived.notify_all();
      bhttp::response<bhttp::string_body> response{bhttp::status::ok, request.version()};
      response.body() = "ok";
      response.keep_alive(request.keep_alive());
      response.prepare_payload();
      bhttp::write(*socket, response, ec);
      if (ec || !request.keep_alive()) return;
    }
  }

  void accept_loop() {
    while (true) {
      auto socket = std::make_shared<tcp::socket>(io);
      boost::system::error_code ec;
      acceptor.accept(*socket, ec);
      std::lock_guard lock(mutex);
      if (stopping) return;
      if (ec) continue;
      sockets.push_back(socket);
      connections.emplace_back([this, socket] { serve(socket); });
    }
  }
};

WebhookSink::WebhookSink(uint16_t port) : impl_(std::make_unique<Impl>()) {
  const tcp::endpoint where(asio::ip::make_address("127.0.0.1"), port);
  impl_->acceptor.open(where.protocol());
  impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
  impl_->acceptor.bind(where);
  impl_->acceptor.listen();
  impl_->accepting = std::thread([this] { impl_->accept_loop(); });
}

WebhookSink::~WebhookSink() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
    for (auto& socket : impl_->sockets) {
      boost::system::error_code ec;
      socket->shutdown(tcp::socket::shutdown_both, ec);
    }
  }
  boost::system::error_code ec;
  tcp::socket poke(impl_->io);
  poke.connect(impl_->acceptor.local_endpoint(), ec);  // wakes accept()
  impl_->accepting.join();
  for (auto& thread : impl_->connections) thread.join();
}

uint16_t WebhookSink::port() const { return impl_->acceptor.local_endpoint().port(); }

std::map<std::string, int64_t> WebhookSink::arrivals() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->keys;
}

uint64_t WebhookSink::deliveries() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->posts;
}

bool WebhookSink::wait_for(size_t count, std::chrono::steady_clock::duration timeout) const {
  std::unique_lock lock(impl_->mutex);
  return impl_->arrived.wait_for(lock, timeout, [&] { return impl_->keys.size() >= count; });
}

}  // namespace cv::bench
