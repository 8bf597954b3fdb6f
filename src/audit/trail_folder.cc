#include "audit/trail_folder.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/ids.h"

namespace cv::audit {
namespace {

Error io_error(const std::string& what, const std::filesystem::path& path) {
  return Error{ErrorCode::kInternalError, what + " " + path.string() + ": " + std::strerror(errno),
               path.string()};
}

struct FileCloser {
  int fd;
  ~FileCloser() {
    if (fd >= 0) ::close(fd);
  }
};

Status sync_folder(const std::filesystem::path& folder) {
  FileCloser dir{::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
  if (dir.fd < 0) return std::unexpected(io_error("cannot open", folder));
  if (::fsync(dir.fd) != 0) return std::unexpected(io_error("cannot fsync", folder));
  return {};
}

// Creates the missing folders of `folder` (below `root`), syncing each parent that gains one.
Status make_folders(const std::filesystem::path& root, const std::filesystem::path& folder) {
  if (std::filesystem::is_directory(folder)) return {};
  if (folder != root && folder.has_parent_path()) CV_TRY(make_folders(root, folder.parent_path()));
  if (::mkdir(folder.c_str(), 0755) != 0 && errno != EEXIST) {
    return std::unexpected(io_error("cannot create", folder));
  }
  if (folder.has_parent_path()) CV_TRY(sync_folder(folder.parent_path()));
  return {};
}

}  // namespace

Status write_file_durably(const std::filesystem::path& folder, std::string_view key,
                          std::string_view bytes) {
  const std::filesystem::path target = folder / std::filesystem::path(key);
  const std::filesystem::path parent = target.parent_path();
  CV_TRY(make_folders(folder, parent));
  const std::filesystem::path temp =
      parent / ("." + target.filename().string() + "." + random_hex(6) + ".tmp");
  {
    FileCloser file{::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)};
    if (file.fd < 0) return std::unexpected(io_error("cannot create", temp));
    size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::write(file.fd, bytes.data() + done, bytes.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        auto error = io_error("cannot write", temp);
        ::unlink(temp.c_str());
        return std::unexpected(error);
      }
      done += static_cast<size_t>(n);
    }
    if (::fsync(file.fd) != 0) {
      auto error = io_error("cannot fsync", temp);
      ::unlink(temp.c_str());
      return std::unexpected(error);
    }
  }
  if (::rename(temp.c_str(), target.c_str()) != 0) {
    auto error = io_error("cannot rename into", target);
    ::unlink(temp.c_str());
    return std::unexpected(error);
  }
  return sync_folder(parent);
}

Result<std::string> read_whole_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::kNoSuchKey, "no file " + path.string(), path.string());
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace cv::audit
