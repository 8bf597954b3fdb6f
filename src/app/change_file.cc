#include "app/change_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstring>

#include "core/hash.h"

namespace cv::app {

uint64_t ChangeFile::generation() {
  const int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  uint64_t value = 0;
  const ssize_t n = ::pread(fd, &value, sizeof value, 0);
  ::close(fd);
  return n == static_cast<ssize_t>(sizeof value) ? value : 0;
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
