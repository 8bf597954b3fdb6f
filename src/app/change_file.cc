#include "app/change_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <thread>

#include "core/hash.h"

namespace cv::app {

ChangeFile::~ChangeFile() {
  if (fd_ >= 0) ::close(fd_);
}

namespace {

int64_t steady_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

uint64_t ChangeFile::generation() {
  if (look_interval_.count() == 0) {
    std::lock_guard lock(mutex_);
    return look_locked();
  }
  const int64_t now = steady_now_ns();
  if (now < next_look_ns_.load(std::memory_order_acquire)) {
    return seen_.load(std::memory_order_acquire);
  }
  std::lock_guard lock(mutex_);
  const uint64_t value = look_locked();
  seen_.store(value, std::memory_order_release);
  next_look_ns_.store(now + std::chrono::nanoseconds(look_interval_).count(),
                      std::memory_order_release);
  return value;
}

uint64_t ChangeFile::look_locked() {
  if (fd_ >= 0) {
    struct stat held {};
    if (::fstat(fd_, &held) == 0 && held.st_nlink > 0) return value_;
    ::close(fd_);
    fd_ = -1;
  }
  const int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  uint64_t value = 0;
  if (::pread(fd, &value, sizeof value, 0) != static_cast<ssize_t>(sizeof value)) {
    ::close(fd);
    return 0;
  }
  fd_ = fd;
  value_ = value;
  return value;
}

void ChangeFile::announce() {
  uint64_t value = 0;
  random_bytes(std::span<unsigned char>(reinterpret_cast<unsigned char*>(&value), sizeof value));
  const std::filesystem::path temp = path_.string() + "." + std::to_string(::getpid()) + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return;
  const bool written = ::write(fd, &value, sizeof value) == static_cast<ssize_t>(sizeof value);
  ::close(fd);
  if (!written || ::rename(temp.c_str(), path_.c_str()) != 0) {
    ::unlink(temp.c_str());
    return;
  }
  announced_.store(true, std::memory_order_relaxed);
  // This process sees its own change at once: look now, under the lock, so that a look
  // racing with this one cannot store an older value after it.
  std::lock_guard lock(mutex_);
  const uint64_t seen = look_locked();
  if (look_interval_.count() != 0) {
    seen_.store(seen, std::memory_order_release);
    next_look_ns_.store(steady_now_ns() + std::chrono::nanoseconds(look_interval_).count(),
                        std::memory_order_release);
  }
}

void ChangeFile::wait_until_servers_see() const {
  if (!announced_.load(std::memory_order_relaxed)) return;
  std::this_thread::sleep_for(kServerLookInterval + std::chrono::milliseconds(50));
}

}  // namespace cv::app
