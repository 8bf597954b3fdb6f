#include "app/data_folder_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace cv::app {

Result<DataFolderLock> DataFolderLock::acquire(const std::filesystem::path& data_dir, Mode mode,
                                               bool wait) {
  std::error_code ec;
  if (!std::filesystem::exists(data_dir, ec)) {
    std::filesystem::create_directories(data_dir, ec);
    if (ec) {
      return fail(ErrorCode::kInternalError,
                  "cannot create data folder " + data_dir.string() + ": " + ec.message());
    }
    ::chmod(data_dir.c_str(), 0700);
  }
  const std::filesystem::path path = data_dir / "cloudvault.lock";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return fail(ErrorCode::kInternalError,
                "cannot open " + path.string() + ": " + std::strerror(errno));
  }
  const int operation = (mode == Mode::kShared ? LOCK_SH : LOCK_EX) | (wait ? 0 : LOCK_NB);
  int locked;
  do {
    locked = ::flock(fd, operation);
  } while (locked != 0 && errno == EINTR);
  if (locked != 0) {
    const int error = errno;
    ::close(fd);
    if (error == EWOULDBLOCK) {
      return fail(ErrorCode::kServiceUnavailable,
                  mode == Mode::kShared
                      ? "the data folder " + data_dir.string() +
                            " is locked by a master key rotation in progress"
                      : "the data folder " + data_dir.string() +
                            " is in use (a server is running on it); stop it first");
    }
    return fail(ErrorCode::kInternalError,
                "cannot lock " + path.string() + ": " + std::strerror(error));
  }
  return DataFolderLock(fd);
}

DataFolderLock::~DataFolderLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor drops the lock
}

}  // namespace cv::app
