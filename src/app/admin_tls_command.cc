// `cloudvault admin tls self-signed`: a certificate and key for local HTTPS.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>

#include "app/commands.h"
#include "http/self_signed_certificate.h"

namespace cv::app {
namespace {

// Writes `text` to `path` through a temporary file renamed into place (a server reloading on
// SIGHUP never reads half a file), with `mode`.
Status write_file_atomically(const std::filesystem::path& path, const std::string& text,
                             mode_t mode) {
  const std::filesystem::path temporary = path.string() + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) {
    return fail(ErrorCode::kInvalidArgument,
                "cannot write " + temporary.string() + ": " + std::strerror(errno));
  }
  bool ok = ::fchmod(fd, mode) == 0;
  size_t written = 0;
  while (ok && written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) written += static_cast<size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  const int saved_errno = errno;
  ::close(fd);
  if (!ok || ::rename(temporary.c_str(), path.c_str()) != 0) {
    const std::string reason = std::strerror(ok ? errno : saved_errno);
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    return fail(ErrorCode::kInvalidArgument, "cannot write " + path.string() + ": " + reason);
  }
  return {};
}

}  // namespace

int admin_tls_self_signed(const Config& config, const std::string& host,
                          const std::filesystem::path& cert_file,
                          const std::filesystem::path& key_file, int days) {
  const std::filesystem::path cert_path =
      cert_file.empty() ? config.data_dir / "tls" / "cert.pem" : cert_file;
  const std::filesystem::path key_path =
      key_file.empty() ? config.data_dir / "tls" / "key.pem" : key_file;
  auto made = http::make_self_signed_certificate(host, days);
  if (!made) {
    std::fprintf(stderr, "cloudvault: %s\n", made.error().message.c_str());
    return 1;
  }
  for (const auto& path : {cert_path, key_path}) {
    std::error_code ec;
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) {
      std::fprintf(stderr, "cloudvault: cannot create %s: %s\n", path.parent_path().c_str(),
                   ec.message().c_str());
      return 1;
    }
  }
  // The key first: a certificate is never left beside a key that does not match it.
  for (const auto& [path, text, mode] :
       {std::tuple{key_path, made->private_key_pem, mode_t{0600}},
        std::tuple{cert_path, made->certificate_pem, mode_t{0644}}}) {
    if (auto written = write_file_atomically(path, text, mode); !written) {
      std::fprintf(stderr, "cloudvault: %s\n", written.error().message.c_str());
      return 1;
    }
  }
  std::printf("certificate: %s\nkey: %s\n", cert_path.c_str(), key_path.c_str());
  std::printf("serve HTTPS: cloudvault server --tls-cert %s --tls-key %s\n", cert_path.c_str(),
              key_path.c_str());
  std::printf("trust it: aws --ca-bundle %s ..., curl --cacert %s ...\n", cert_path.c_str(),
              cert_path.c_str());
  return 0;
}

}  // namespace cv::app
