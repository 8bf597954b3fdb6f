// Thin, error-returning wrappers over the POSIX calls the local blob store needs. This is the
// one place the store touches the operating system (LevelDB's "Env" seam): every failure comes
// back as kInternalError carrying the call, the path and the errno text, except a full file
// system (ENOSPC, EDQUOT): storage_full_error (core/storage_full.h), SlowDown without the path.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace cv::blob::posix {

// Owns a file descriptor; closes it on destruction. Move-only.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) reset(other.release());
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void reset(int fd = -1);

 private:
  int fd_ = -1;
};

// kInternalError "<what> <path>: <strerror(error_number)>"; storage_full_error for ENOSPC and
// EDQUOT.
Error errno_error(std::string_view what, std::string_view path, int error_number);

// open(2) with O_CLOEXEC added; retries on EINTR.
Result<UniqueFd> open_file(const std::string& path, int flags, unsigned mode = 0);
// Opens a directory for fsync.
Result<UniqueFd> open_directory(const std::string& path);

// Writes all of `bytes` at `offset`, retrying short writes and EINTR.
Status pwrite_all(int fd, uint64_t offset, std::string_view bytes, const std::string& path);
// Reads up to out.size() bytes at `offset`, stopping early only at end of file.
Result<size_t> pread_full(int fd, uint64_t offset, std::span<char> out, const std::string& path);

// fdatasync(2) of a regular file.
Status sync_file_data(int fd, const std::string& path);
// fsync(2) of a directory, making entries created or renamed in it durable.
Status sync_directory(const std::string& path);

// mkdir(2); an existing directory is not an error. Returns whether it was created now.
Result<bool> make_directory(const std::string& path);

// unlink(2); a missing file is not an error.
Status remove_file(const std::string& path);

// Size of an open file.
Result<uint64_t> file_size(int fd, const std::string& path);

// Copies `length` bytes from `source` at `source_offset` to `destination` at
// `destination_offset`. Uses copy_file_range(2) and falls back to
// a pread/write loop where the kernel or file system cannot. Fails if the source is shorter.
Status copy_bytes(int source, uint64_t source_offset, int destination, uint64_t destination_offset,
                  uint64_t length, const std::string& source_path,
                  const std::string& destination_path);

// Names in a directory, without "." and "..". A missing directory gives an empty list.
Result<std::vector<std::string>> list_directory(const std::string& path);

}  // namespace cv::blob::posix
