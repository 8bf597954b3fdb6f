#include "blob/local/posix_io.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <system_error>

#include "core/storage_full.h"

namespace cv::blob::posix {
namespace {

struct DirCloser {
  void operator()(DIR* dir) const { ::closedir(dir); }
};
using UniqueDir = std::unique_ptr<DIR, DirCloser>;

// The pread/write fallback of copy_bytes.
Status copy_by_reading(int source, uint64_t source_offset, int destination,
                       uint64_t destination_offset, uint64_t length, const std::string& source_path,
                       const std::string& destination_path) {
  constexpr size_t kBufferSize = 1 << 20;
  auto buffer = std::make_unique<char[]>(kBufferSize);
  while (length > 0) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(length, kBufferSize));
    size_t got = CV_TRY(pread_full(source, source_offset, {buffer.get(), want}, source_path));
    if (got == 0) {
      return fail(ErrorCode::kInternalError, "copy from " + source_path + ": source too short");
    }
    CV_TRY(pwrite_all(destination, destination_offset, {buffer.get(), got}, destination_path));
    source_offset += got;
    destination_offset += got;
    length -= got;
  }
  return {};
}

}  // namespace

void UniqueFd::reset(int fd) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

Error errno_error(std::string_view what, std::string_view path, int error_number) {
  if (error_number == ENOSPC || error_number == EDQUOT) {
    return storage_full_error("an object's data", error_number == EDQUOT);
  }
  std::string message(what);
  message += ' ';
  message += path;
  message += ": ";
  message += std::generic_category().message(error_number);
  return Error{ErrorCode::kInternalError, std::move(message), {}};
}

Result<UniqueFd> open_file(const std::string& path, int flags, unsigned mode) {
  while (true) {
    int fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
    if (fd >= 0) return UniqueFd(fd);
    if (errno != EINTR) return fail(errno_error("open", path, errno));
  }
}

Result<UniqueFd> open_directory(const std::string& path) {
  return open_file(path, O_RDONLY | O_DIRECTORY);
}

Status pwrite_all(int fd, uint64_t offset, std::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    ssize_t n = ::pwrite(fd, bytes.data(), bytes.size(), static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(errno_error("write", path, errno));
    }
    bytes.remove_prefix(static_cast<size_t>(n));
    offset += static_cast<uint64_t>(n);
  }
  return {};
}

Result<size_t> pread_full(int fd, uint64_t offset, std::span<char> out, const std::string& path) {
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n =
        ::pread(fd, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(errno_error("read", path, errno));
    }
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  return done;
}

Status sync_file_data(int fd, const std::string& path) {
  while (::fdatasync(fd) != 0) {
    if (errno != EINTR) return fail(errno_error("fdatasync", path, errno));
  }
  return {};
}

Status sync_directory(const std::string& path) {
  UniqueFd dir = CV_TRY(open_directory(path));
  while (::fsync(dir.get()) != 0) {
    if (errno != EINTR) return fail(errno_error("fsync", path, errno));
  }
  return {};
}

Result<bool> make_directory(const std::string& path) {
  if (::mkdir(path.c_str(), 0755) == 0) return true;
  if (errno != EEXIST) return fail(errno_error("mkdir", path, errno));
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return fail(errno_error("stat", path, errno));
  if (!S_ISDIR(st.st_mode)) return fail(errno_error("mkdir", path, ENOTDIR));
  return false;
}

Status remove_file(const std::string& path) {
  if (::unlink(path.c_str()) == 0 || errno == ENOENT) return {};
  return fail(errno_error("unlink", path, errno));
}

Result<uint64_t> file_size(int fd, const std::string& path) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return fail(errno_error("fstat", path, errno));
  return static_cast<uint64_t>(st.st_size);
}

Status copy_bytes(int source, uint64_t source_offset, int destination, uint64_t destination_offset,
                  uint64_t length, const std::string& source_path,
                  const std::string& destination_path) {
  while (length > 0) {
    auto in = static_cast<off_t>(source_offset);
    auto out = static_cast<off_t>(destination_offset);
    size_t want = static_cast<size_t>(std::min<uint64_t>(length, uint64_t{1} << 30));
    ssize_t n = ::copy_file_range(source, &in, destination, &out, want, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EXDEV || errno == ENOSYS || errno == EOPNOTSUPP || errno == EINVAL) {
        return copy_by_reading(source, source_offset, destination, destination_offset, length,
                               source_path, destination_path);
      }
      return fail(errno_error("copy_file_range", source_path, errno));
    }
    if (n == 0) {
      return fail(ErrorCode::kInternalError, "copy from " + source_path + ": source too short");
    }
    source_offset += static_cast<uint64_t>(n);
    destination_offset += static_cast<uint64_t>(n);
    length -= static_cast<uint64_t>(n);
  }
  return {};
}

Result<std::vector<std::string>> list_directory(const std::string& path) {
  std::vector<std::string> names;
  UniqueDir dir(::opendir(path.c_str()));
  if (!dir) {
    if (errno == ENOENT) return names;
    return fail(errno_error("opendir", path, errno));
  }
  while (true) {
    errno = 0;
    dirent* entry = ::readdir(dir.get());
    if (entry == nullptr) {
      if (errno != 0) return fail(errno_error("readdir", path, errno));
      break;
    }
    std::string_view name(entry->d_name);
    if (name == "." || name == "..") continue;
    names.emplace_back(name);
  }
  return names;
}

}  // namespace cv::blob::posix
