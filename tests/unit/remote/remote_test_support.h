// What the remote client's tests run against: a real `cloudvault server` process on a
// loopback port (the binary of this build, or $CLOUDVAULT_BIN), a one-connection-at-a-time
// canned HTTP server for answers CloudVault never gives, and generated bodies.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <regex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "auth/sigv4.h"
#include "core/byte_source.h"
#include "core/encoding.h"
#include "core/hash.h"
#include "remote/endpoint.h"
#include "remote/http_transport.h"

extern char** environ;

namespace cv::remote::testing {

inline constexpr const char* kAccessKey = "AKREMOTETEST";
inline constexpr const char* kSecretKey = "remote-test-secret-key";

inline std::filesystem::path make_temp_dir(const std::string& name) {
  std::string pattern = (std::filesystem::temp_directory_path() / (name + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

// `cloudvault server --listen 127.0.0.1:0 --data DIR --domain localhost` with the test's root
// keys. Its stdout is read by a thread (the readiness line, then drained); stderr goes to
// DIR/../server.log. Stopped with SIGTERM (SIGKILL after 10 s) when destroyed.
class CloudVaultProcess {
 public:
  explicit CloudVaultProcess(std::filesystem::path root) : root_(std::move(root)) {
    const char* env_bin = std::getenv("CLOUDVAULT_BIN");
    const std::string binary = env_bin && *env_bin ? env_bin : CV_TEST_CLOUDVAULT_BIN;
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    const std::string data = (root_ / "data").string();
    const std::string log = (root_ / "server.log").string();
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
    posix_spawn_file_actions_addopen(&actions, 2, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    std::vector<std::string> env_strings;
    for (char** entry = environ; *entry; ++entry) {
      const std::string_view text(*entry);
      if (text.starts_with("CLOUDVAULT_")) continue;
      env_strings.emplace_back(text);
    }
    env_strings.push_back(std::string("CLOUDVAULT_ROOT_ACCESS_KEY=") + kAccessKey);
    env_strings.push_back(std::string("CLOUDVAULT_ROOT_SECRET_KEY=") + kSecretKey);
    std::vector<char*> envp;
    for (auto& entry : env_strings) envp.push_back(entry.data());
    envp.push_back(nullptr);
    std::vector<std::string> args = {binary,   "server", "--listen", "127.0.0.1:0",
                                     "--data", data,     "--domain", "localhost"};
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    const int spawned =
        ::posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipe_fds[1]);
    if (spawned != 0) {
      ::close(pipe_fds[0]);
      throw std::runtime_error("cannot start " + binary);
    }
    reader_ = std::thread([this, fd = pipe_fds[0]] { pump(fd); });
    std::unique_lock lock(mutex_);
    const bool ready =
        changed_.wait_for(lock, std::chrono::seconds(60), [this] { return port_ != 0 || closed_; });
    if (!ready || port_ == 0) {
      lock.unlock();
      stop();
      throw std::runtime_error("cloudvault server did not start; see " + log);
    }
  }

  ~CloudVaultProcess() { stop(); }

  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }

 private:
  void pump(int fd) {
    static const std::regex ready(R"(^listening on http://127\.0\.0\.1:(\d+)\s*$)");
    std::string pending;
    char buffer[4096];
    for (;;) {
      const ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n <= 0) break;
      pending.append(buffer, static_cast<size_t>(n));
      for (size_t end; (end = pending.find('\n')) != std::string::npos;) {
        const std::string line = pending.substr(0, end);
        pending.erase(0, end + 1);
        std::smatch match;
        if (std::regex_match(line, match, ready)) {
          std::lock_guard lock(mutex_);
          port_ = std::stoi(match[1].str());
          changed_.notify_all();
        }
      }
    }
    ::close(fd);
    std::lock_guard lock(mutex_);
    closed_ = true;
    changed_.notify_all();
  }

  void stop() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      bool exited = false;
      for (int i = 0; i < 200 && !exited; ++i) {  // 10 s
        exited = ::waitpid(pid_, &status, WNOHANG) == pid_;
        if (!exited) std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      if (!exited) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
      }
      pid_ = -1;
    }
    if (reader_.joinable()) reader_.join();
  }

  std::filesystem::path root_;
  pid_t pid_ = -1;
  std::thread reader_;
  std::mutex mutex_;
  std::condition_variable changed_;
  int port_ = 0;
  bool closed_ = false;
};

// A loopback HTTP server that answers every request with `response` (a whole HTTP/1.1
// message), after reading the request's header and Content-Length body; or, with an empty
// `response`, reads the request and then says nothing until it is destroyed.
class CannedHttpServer {
 public:
  explicit CannedHttpServer(std::string response)
      : CannedHttpServer(std::vector<std::string>{std::move(response)}) {}
  // The i-th connection gets responses[i], the last one again once they run out.
  explicit CannedHttpServer(std::vector<std::string> responses)
      : responses_(std::move(responses)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listener_, 8) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      throw std::runtime_error("cannot listen");
    }
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~CannedHttpServer() {
    stopping_ = true;
    ::shutdown(listener_, SHUT_RDWR);
    ::close(listener_);
    thread_.join();
  }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int requests() const { return requests_; }

 private:
  void serve() {
    while (!stopping_) {
      const int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) return;
      std::string request;
      char buffer[8192];
      size_t header_end = std::string::npos;
      while (header_end == std::string::npos) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n <= 0) break;
        request.append(buffer, static_cast<size_t>(n));
        header_end = request.find("\r\n\r\n");
      }
      size_t body = 0;
      static const std::regex length_re(R"(\r\n[Cc]ontent-[Ll]ength:\s*(\d+))");
      std::smatch match;
      if (std::regex_search(request, match, length_re)) body = std::stoul(match[1].str());
      while (header_end != std::string::npos && request.size() < header_end + 4 + body) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n <= 0) break;
        request.append(buffer, static_cast<size_t>(n));
      }
      const std::string& response =
          responses_[std::min<size_t>(static_cast<size_t>(requests_), responses_.size() - 1)];
      ++requests_;
      if (response.empty()) {
        while (!stopping_) std::this_thread::sleep_for(std::chrono::milliseconds(20));
      } else {
        (void)!::write(fd, response.data(), response.size());
      }
      ::close(fd);
    }
  }

  std::vector<std::string> responses_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> requests_{0};
  std::thread thread_;
};

// A deterministic body of `size` bytes starting at `offset` of a long pseudo-random stream;
// fails with InternalError once `fail_after` bytes have been read, if set.
class PatternSource final : public ByteSource {
 public:
  PatternSource(uint64_t offset, uint64_t size, uint64_t fail_after = UINT64_MAX)
      : next_(offset), end_(offset + size), fail_after_(fail_after) {}
  static char byte_at(uint64_t position) {
    uint64_t x = position / 8 * 0x9E3779B97F4A7C15ull;
    x ^= x >> 29;
    return static_cast<char>(x >> (8 * (position % 8)));
  }
  Result<size_t> read(std::span<char> out) override {
    if (read_ >= fail_after_) return fail(ErrorCode::kInternalError, "disk on fire");
    size_t n = static_cast<size_t>(std::min<uint64_t>(out.size(), end_ - next_));
    n = static_cast<size_t>(std::min<uint64_t>(n, fail_after_ - read_));
    for (size_t i = 0; i < n; ++i) out[i] = byte_at(next_ + i);
    next_ += n;
    read_ += n;
    return n;
  }

 private:
  uint64_t next_;
  uint64_t end_;
  uint64_t fail_after_;
  uint64_t read_ = 0;
};

// A body that gives one byte every `pause`.
class TrickleSource final : public ByteSource {
 public:
  TrickleSource(size_t size, std::chrono::milliseconds pause) : left_(size), pause_(pause) {}
  Result<size_t> read(std::span<char> out) override {
    if (left_ == 0) return size_t{0};
    std::this_thread::sleep_for(pause_);
    out[0] = 't';
    --left_;
    return size_t{1};
  }

 private:
  size_t left_;
  std::chrono::milliseconds pause_;
};

// MD5 (hex) of PatternSource bytes [offset, offset + size).
inline std::string pattern_md5(uint64_t offset, uint64_t size) {
  PatternSource source(offset, size);
  Digest md5(Digest::Algorithm::kMd5);
  std::vector<char> buffer(1 << 20);
  for (;;) {
    const size_t n = *source.read(buffer);
    if (n == 0) break;
    md5.update(std::span<const char>(buffer.data(), n));
  }
  return md5.finish();
}

// A signed request the client does not offer (CreateBucket, PutBucketVersioning); returns
// the status.
inline int signed_request(const std::string& endpoint_url, const std::string& method,
                          const std::string& bucket, QueryParams query, std::string body,
                          const auth::SigningCredentials& keys = {kAccessKey, kSecretKey}) {
  const EndpointAddress endpoint = *parse_endpoint(endpoint_url);
  const RequestTarget target = address(endpoint, true, bucket, "", std::move(query));
  const std::vector<std::pair<std::string, std::string>> extra = {
      {"content-md5", base64_encode(md5(body))}};
  auth::SigningRequest signing{.method = method,
                               .host = target.host,
                               .path = target.path,
                               .query = target.query,
                               .headers = extra,
                               .payload_hash = hex_encode(sha256(body))};
  HttpTransport http(TransportOptions{});
  HttpCall call{.method = method,
                .url = target.url,
                .headers = auth::sign_request(signing, keys, std::chrono::system_clock::now()),
                .body_text = std::move(body)};
  call.headers.insert(call.headers.end(), extra.begin(), extra.end());
  auto reply = http.perform(call);
  return reply ? reply->status : -1;
}

inline int create_bucket(const std::string& endpoint, const std::string& bucket,
                         const auth::SigningCredentials& keys = {kAccessKey, kSecretKey}) {
  return signed_request(endpoint, "PUT", bucket, {}, "", keys);
}

inline int enable_default_encryption(const std::string& endpoint, const std::string& bucket) {
  return signed_request(
      endpoint, "PUT", bucket, {{"encryption", ""}},
      R"(<ServerSideEncryptionConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>)");
}

inline int enable_versioning(const std::string& endpoint, const std::string& bucket) {
  return signed_request(
      endpoint, "PUT", bucket, {{"versioning", ""}},
      R"(<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Enabled</Status></VersioningConfiguration>)");
}

}  // namespace cv::remote::testing
