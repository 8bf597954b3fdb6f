#include "app/change_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

#include "core/hash.h"

namespace cv::app {

ChangeFile::~ChangeFile() {
  if (fd_ >= 0) ::close(fd_);
}

uint64_t ChangeFile::generation() {
  std::lock_guard lock(mutex_);
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
  if (!written || ::rename(temp.c_str(), path_.c_str()) != 0) ::unlink(temp.c_str());
}

}  // namespace cv::app
