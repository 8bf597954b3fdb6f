#include "app/data_dir.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "blob/local/local_blob_store.h"
#include "core/hash.h"
#include "meta/sqlite/sqlite_meta_store.h"

namespace cv::app {
namespace {

std::unexpected<Error> io_error(const std::string& what, const std::filesystem::path& path) {
  return fail(ErrorCode::kInternalError, what + " " + path.string() + ": " + std::strerror(errno));
}

// Writes `content` to `path` with mode 0600, durably and atomically (temp + rename).
Status write_secret_file(const std::filesystem::path& path, std::string_view content) {
  const std::filesystem::path temp = path.string() + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return io_error("cannot create", temp);
  const bool ok =
      ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) &&
      ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(temp.c_str(), path.c_str()) != 0) return io_error("cannot write", path);
  // The rename is durable only once the directory is synced.
  const std::filesystem::path dir = path.parent_path().empty() ? "." : path.parent_path();
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return io_error("cannot open", dir);
  const bool synced = ::fsync(dir_fd) == 0;
  ::close(dir_fd);
  if (!synced) return io_error("cannot sync", dir);
  return {};
}

Result<std::string> load_or_create_master_key(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    std::string key(33, '\0');
    const ssize_t n = ::read(fd, key.data(), key.size());
    ::close(fd);
    if (n != 32) {
      return fail(ErrorCode::kInternalError, path.string() + " is not a 32-byte master key");
    }
    key.resize(32);
    return key;
  }
  if (errno != ENOENT) return io_error("cannot read", path);
  std::string key(32, '\0');
  random_bytes(std::span<unsigned char>(reinterpret_cast<unsigned char*>(key.data()), key.size()));
  CV_TRY(write_secret_file(path, key));
  return key;
}

}  // namespace

Result<Stores> open_stores(const std::filesystem::path& data_dir) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) {
    return fail(ErrorCode::kInternalError,
                "cannot create data folder " + data_dir.string() + ": " + ec.message());
  }
  ::chmod(data_dir.c_str(), 0700);
  Stores stores;
  stores.master_key = CV_TRY(load_or_create_master_key(data_dir / "master.key"));
  meta::SqliteOptions sqlite;
  sqlite.path = data_dir / "meta.db";
  stores.meta = CV_TRY(meta::open_sqlite_meta_store(sqlite));
  stores.blobs = CV_TRY(blob::open_local_blob_store(data_dir));
  return stores;
}

Result<std::optional<auth::Credentials>> root_credentials_from_env() {
  const char* access = std::getenv("CLOUDVAULT_ROOT_ACCESS_KEY");
  const char* secret = std::getenv("CLOUDVAULT_ROOT_SECRET_KEY");
  if (!access && !secret) return std::optional<auth::Credentials>();
  if (!access || !secret || !*access || !*secret) {
    return fail(ErrorCode::kInvalidArgument,
                "set both CLOUDVAULT_ROOT_ACCESS_KEY and CLOUDVAULT_ROOT_SECRET_KEY, or neither");
  }
  return std::optional<auth::Credentials>(auth::Credentials{access, secret, ""});
}

Status save_root_credentials(const std::filesystem::path& data_dir,
                             const auth::Credentials& credentials) {
  return write_secret_file(data_dir / "root.credentials",
                           "access_key_id = " + credentials.access_key_id +
                               "\nsecret_key = " + credentials.secret_key + "\n");
}

}  // namespace cv::app
