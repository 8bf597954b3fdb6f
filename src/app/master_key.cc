#include "app/master_key.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "core/hash.h"

namespace cv::app {
namespace {

std::unexpected<Error> io_error(const std::string& what, const std::filesystem::path& path) {
  return fail(ErrorCode::kInternalError, what + " " + path.string() + ": " + std::strerror(errno));
}

Status sync_folder_of(const std::filesystem::path& path) {
  const std::filesystem::path dir = path.parent_path().empty() ? "." : path.parent_path();
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return io_error("cannot open", dir);
  const bool synced = ::fsync(dir_fd) == 0;
  ::close(dir_fd);
  if (!synced) return io_error("cannot sync", dir);
  return {};
}

}  // namespace

std::filesystem::path master_key_path(const std::filesystem::path& data_dir,
                                      const std::filesystem::path& configured) {
  if (const char* env = std::getenv("CLOUDVAULT_MASTER_KEY_FILE"); env && *env) return env;
  if (!configured.empty()) return configured;
  return data_dir / "master.key";
}

Status write_secret_file(const std::filesystem::path& path, std::string_view content) {
  const std::filesystem::path temp = path.string() + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return io_error("cannot create", temp);
  // An existing temporary keeps its mode through O_CREAT; make sure.
  const bool ok =
      ::fchmod(fd, 0600) == 0 &&
      ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) &&
      ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return io_error("cannot write", temp);
  return rename_durably(temp, path);
}

Status rename_durably(const std::filesystem::path& from, const std::filesystem::path& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) return io_error("cannot rename to", to);
  return sync_folder_of(to);
}

Result<std::string> read_master_key(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return io_error("cannot read the master key", path);
  struct stat info {};
  const bool stat_ok = ::fstat(fd, &info) == 0;
  std::string key(kMasterKeyBytes + 1, '\0');
  const ssize_t n = ::read(fd, key.data(), key.size());
  ::close(fd);
  if (!stat_ok) return io_error("cannot stat", path);
  if ((info.st_mode & 077) != 0) {
    spdlog::warn("the master key {} is accessible by group or others; make it private (chmod 600)",
                 path.string());
  }
  if (n != static_cast<ssize_t>(kMasterKeyBytes)) {
    return fail(ErrorCode::kInternalError, path.string() + " is not a 32-byte master key");
  }
  key.resize(kMasterKeyBytes);
  return key;
}

Result<std::string> load_or_create_master_key(const std::filesystem::path& path) {
  if (::access(path.c_str(), F_OK) == 0) return read_master_key(path);
  if (errno != ENOENT) return io_error("cannot read the master key", path);
  std::string key(kMasterKeyBytes, '\0');
  random_bytes(std::span<unsigned char>(reinterpret_cast<unsigned char*>(key.data()), key.size()));
  CV_TRY(write_secret_file(path, key));
  return key;
}

}  // namespace cv::app
