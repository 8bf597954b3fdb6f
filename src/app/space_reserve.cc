#include "app/space_reserve.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>

namespace cv::app {
namespace {

std::filesystem::path marker_of(const std::filesystem::path& file) {
  std::filesystem::path marker = file;
  marker += ".released";
  return marker;
}

// Creates `marker` durably (the file and its directory entry); false when it cannot.
bool create_durably(const std::filesystem::path& marker) {
  const int fd = ::open(marker.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  const int folder = ::open(marker.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (folder < 0) return false;
  const bool folder_synced = ::fsync(folder) == 0;
  ::close(folder);
  return synced && folder_synced;
}

}  // namespace

SpaceReserve::SpaceReserve(std::filesystem::path file, uint64_t bytes)
    : file_(std::move(file)), released_marker_(marker_of(file_)), bytes_(bytes) {
  std::error_code ignored;
  released_.store(bytes_ > 0 && std::filesystem::exists(released_marker_, ignored),
                  std::memory_order_release);
}

bool SpaceReserve::replenish() {
  if (bytes_ == 0) return false;
  std::lock_guard lock(mutex_);
  struct stat existing {};
  if (::stat(file_.c_str(), &existing) == 0 && static_cast<uint64_t>(existing.st_size) >= bytes_) {
    ::unlink(released_marker_.c_str());
    released_.store(false, std::memory_order_release);
    return true;
  }
  struct statvfs space {};
  const std::filesystem::path folder = file_.parent_path();
  if (::statvfs(folder.c_str(), &space) != 0) return false;
  const uint64_t available = static_cast<uint64_t>(space.f_bavail) * space.f_frsize;
  if (available / 2 < bytes_) return false;
  const int fd = ::open(file_.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  // Allocated blocks (not a sparse file): the room is really taken until released.
  const int allocated = ::posix_fallocate(fd, 0, static_cast<off_t>(bytes_));
  const bool synced = allocated == 0 && ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) {
    ::unlink(file_.c_str());
    return false;
  }
  ::unlink(released_marker_.c_str());
  released_.store(false, std::memory_order_release);
  spdlog::info("storage: {} bytes set aside in {} for metadata commits on a full disk", bytes_,
               file_.string());
  return true;
}

bool SpaceReserve::release() {
  std::lock_guard lock(mutex_);
  if (::unlink(file_.c_str()) != 0) return false;
  released_.store(true, std::memory_order_release);
  // The freed room is enough for an empty file; without the marker a restart would forget
  // the release, which is logged.
  if (!create_durably(released_marker_)) {
    spdlog::warn("storage: cannot record the reserve's release in {}", released_marker_.string());
  }
  spdlog::warn(
      "storage: the data folder is full; released the {}-byte reserve for metadata "
      "commits (deletes)",
      bytes_);
  return true;
}

}  // namespace cv::app
