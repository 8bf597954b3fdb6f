#include "app/trail_identity.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

#include "app/master_key.h"

namespace cv::app {
namespace {

std::optional<std::string> read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool sync_folder(const std::filesystem::path& folder) {
  const int fd = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  return synced;
}

// Makes `path` hold `content` unless another process made it first; returns what it holds.
// The file appears whole (written aside, fsync'd, then linked into place, which refuses to
// replace), so two processes starting at once agree on one value.
Result<std::string> create_once(const std::filesystem::path& path, const std::string& content) {
  const std::filesystem::path temp = path.string() + "." + std::to_string(::getpid()) + ".new";
  CV_TRY(write_secret_file(temp, content));
  const int linked = ::link(temp.c_str(), path.c_str());
  const int link_errno = errno;
  ::unlink(temp.c_str());
  if (linked != 0 && link_errno != EEXIST) {
    return fail(ErrorCode::kInternalError,
                "cannot create " + path.string() + ": " + std::strerror(link_errno));
  }
  if (!sync_folder(path.parent_path())) {
    return fail(ErrorCode::kInternalError, "cannot sync " + path.parent_path().string());
  }
  auto held = read_text(path);
  if (!held) return fail(ErrorCode::kInternalError, "cannot read " + path.string());
  return *held;
}

bool is_account_id(std::string_view text) {
  return text.size() == 12 && text.find_first_not_of("0123456789") == std::string_view::npos;
}

}  // namespace

Result<std::string> trail_account_id(const Config& config) {
  if (!config.trail.account_id.empty()) return config.trail.account_id;
  const std::filesystem::path path = config.data_dir / "account.id";
  auto kept = read_text(path);
  if (!kept) {
    std::random_device random;
    std::uniform_int_distribution<uint64_t> digits(100'000'000'000ULL, 999'999'999'999ULL);
    kept = CV_TRY(create_once(path, std::to_string(digits(random)) + "\n"));
  }
  std::string id = *kept;
  while (!id.empty() && (id.back() == '\n' || id.back() == '\r')) id.pop_back();
  if (!is_account_id(id)) {
    return fail(ErrorCode::kInternalError, path.string() + " does not hold a 12-digit account id");
  }
  return id;
}

Result<SigningKey> server_signing_key(const std::filesystem::path& data_dir) {
  const std::filesystem::path path = data_dir / "signing.key";
  auto kept = read_text(path);
  if (!kept) {
    auto fresh = CV_TRY(SigningKey::generate());
    kept = CV_TRY(create_once(path, fresh.private_pem()));
  }
  auto key = SigningKey::from_private_pem(*kept);
  if (!key) return fail(ErrorCode::kInternalError, path.string() + ": " + key.error().message);
  return key;
}

}  // namespace cv::app
