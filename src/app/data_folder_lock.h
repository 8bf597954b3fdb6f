// Who is using a data folder: an advisory lock (flock) on <data>/cloudvault.lock. A server
// holds it shared for as long as it runs, and so do the admin verbs that seal secrets while
// they work; a master key rotation needs it exclusively, so it refuses to run while a server
// uses the folder, and a server refuses to start during a rotation. The kernel drops the lock
// when its process ends, however it ends.
#pragma once

#include <filesystem>

#include "core/error.h"

namespace cv::app {

class DataFolderLock {
 public:
  enum class Mode { kShared, kExclusive };
  // Creates the folder (mode 0700) and the lock file as needed. With `wait`, blocks until the
  // lock is free; without, fails at once with kServiceUnavailable when it is held in a
  // conflicting mode. kInternalError on I/O failures.
  static Result<DataFolderLock> acquire(const std::filesystem::path& data_dir, Mode mode,
                                        bool wait);

  DataFolderLock(DataFolderLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  DataFolderLock& operator=(DataFolderLock&&) = delete;
  DataFolderLock(const DataFolderLock&) = delete;
  ~DataFolderLock();

 private:
  explicit DataFolderLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace cv::app
