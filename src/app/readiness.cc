#include "app/readiness.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <system_error>

#include "core/collected_family.h"

namespace cv::app {
namespace {

std::string errno_text(int error_number) { return std::generic_category().message(error_number); }

// Creates, writes one byte to, syncs and removes a probe file in `folder`. The reason on
// failure; empty when the folder took the write.
std::string probe_write(const std::filesystem::path& folder) {
  const std::filesystem::path probe =
      folder / (".cloudvault-ready-probe-" + std::to_string(::getpid()));
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return "cannot create a file: " + errno_text(errno);
  std::string failure;
  if (::write(fd, "r", 1) != 1) {
    failure = "cannot write: " + errno_text(errno);
  } else if (::fdatasync(fd) != 0) {
    failure = "cannot sync: " + errno_text(errno);
  }
  ::close(fd);
  if (::unlink(probe.c_str()) != 0 && failure.empty()) {
    failure = "cannot remove a file: " + errno_text(errno);
  }
  return failure;
}

std::string check_metadata(meta::MetaStore& meta) {
  // A read through the reader pool: an indexed lookup of a user that does not exist.
  auto answered = meta.get_user("readiness-probe");
  return answered ? std::string() : answered.error().message;
}

}  // namespace

bool ReadinessReport::ready() const {
  if (!metadata_ok || !master_key_ok) return false;
  for (const FolderCheck& folder : folders) {
    if (!folder.ok) return false;
  }
  return true;
}

std::string readiness_json(const ReadinessReport& report, bool full) {
  boost::json::array checks;
  auto with_detail = [full](boost::json::object check, const std::string& detail) {
    if (full && !detail.empty()) check["detail"] = detail;
    return check;
  };
  checks.push_back(
      with_detail({{"name", "metadata"}, {"ok", report.metadata_ok}}, report.metadata_detail));
  for (const FolderCheck& folder : report.folders) {
    boost::json::object check{{"name", "data_folder"}, {"folder", folder.name}, {"ok", folder.ok}};
    if (full) {
      check["path"] = folder.path.string();
      check["writable"] = folder.writable;
      check["free_bytes"] = folder.free_bytes;
      check["total_bytes"] = folder.total_bytes;
      check["free_ratio"] = folder.free_ratio;
    }
    checks.push_back(with_detail(std::move(check), folder.detail));
  }
  checks.push_back(with_detail({{"name", "master_key"}, {"ok", report.master_key_ok}},
                               report.master_key_detail));
  return boost::json::serialize(boost::json::object{
      {"status", report.ready() ? "ready" : "not_ready"}, {"checks", std::move(checks)}});
}

Readiness::Readiness(meta::MetaStore& meta, std::vector<WatchedFolder> folders,
                     std::filesystem::path master_key_file, std::string master_key,
                     ReadinessOptions options)
    : meta_(meta),
      folders_(std::move(folders)),
      master_key_file_(std::move(master_key_file)),
      master_key_(std::move(master_key)),
      options_(options) {}

FolderCheck Readiness::check_folder(const WatchedFolder& folder) const {
  FolderCheck check{folder.name, folder.path};
  struct statvfs space {};
  if (::statvfs(folder.path.c_str(), &space) != 0) {
    check.detail = "cannot read the file system's free space: " + errno_text(errno);
    return check;
  }
  check.free_bytes = static_cast<uint64_t>(space.f_bavail) * space.f_frsize;
  check.total_bytes = static_cast<uint64_t>(space.f_blocks) * space.f_frsize;
  check.free_ratio = check.total_bytes == 0 ? 0.0
                                            : static_cast<double>(check.free_bytes) /
                                                  static_cast<double>(check.total_bytes);
  const std::string write_failure = probe_write(folder.path);
  check.writable = write_failure.empty();
  const bool roomy = check.free_ratio >= options_.min_free_ratio;
  check.ok = check.writable && roomy;
  if (!check.writable) {
    check.detail = "not writable: " + write_failure;
  } else if (!roomy) {
    check.detail = fmt::format("free space below the minimum: {:.2f}% free, {:.2f}% required",
                               check.free_ratio * 100, options_.min_free_ratio * 100);
  }
  return check;
}

void Readiness::check_master_key(ReadinessReport& report) const {
  if (master_key_.size() != 32) {
    report.master_key_detail = "no master key is loaded";
    return;
  }
  const int fd = ::open(master_key_file_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    report.master_key_detail = "the master key file is unreadable: " + errno_text(errno);
    return;
  }
  std::string read_back(master_key_.size() + 1, '\0');
  const ssize_t n = ::read(fd, read_back.data(), read_back.size());
  const int read_errno = errno;
  ::close(fd);
  if (n < 0) {
    report.master_key_detail = "the master key file is unreadable: " + errno_text(read_errno);
  } else if (static_cast<size_t>(n) != master_key_.size() ||
             read_back.compare(0, master_key_.size(), master_key_) != 0) {
    report.master_key_detail = "the master key file no longer holds the key in use";
  } else {
    report.master_key_ok = true;
  }
}

ReadinessReport Readiness::check_now() const {
  ReadinessReport report;
  report.metadata_detail = check_metadata(meta_);
  report.metadata_ok = report.metadata_detail.empty();
  for (const WatchedFolder& folder : folders_) report.folders.push_back(check_folder(folder));
  check_master_key(report);
  return report;
}

ReadinessReport Readiness::report() const {
  std::lock_guard lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (!has_cached_ || now - checked_at_ >= options_.cache_for) {
    cached_ = check_now();
    checked_at_ = std::chrono::steady_clock::now();
    has_cached_ = true;
  }
  return cached_;
}

std::vector<prometheus::MetricFamily> Readiness::Collect() const {
  using prometheus::MetricType;
  const ReadinessReport now = report();
  auto free_bytes = collected_family("cloudvault_disk_free_bytes",
                                     "Bytes available to the server on a data folder's file system",
                                     MetricType::Gauge);
  auto total_bytes =
      collected_family("cloudvault_disk_total_bytes",
                       "Size in bytes of a data folder's file system", MetricType::Gauge);
  auto free_ratio = collected_family("cloudvault_disk_free_ratio",
                                     "Available over total bytes of a data folder's file system",
                                     MetricType::Gauge);
  for (const FolderCheck& folder : now.folders) {
    if (folder.total_bytes == 0) continue;  // statvfs failed: no figure rather than a false 0
    add_sample(free_bytes, static_cast<double>(folder.free_bytes), {{"folder", folder.name}});
    add_sample(total_bytes, static_cast<double>(folder.total_bytes), {{"folder", folder.name}});
    add_sample(free_ratio, folder.free_ratio, {{"folder", folder.name}});
  }
  auto ready = collected_family("cloudvault_ready",
                                "1 when every readiness check passes (/_cloudvault/ready), else 0",
                                MetricType::Gauge);
  add_sample(ready, now.ready() ? 1 : 0);
  auto key_readable = collected_family(
      "cloudvault_master_key_readable",
      "1 when the master key file is readable and holds the key in use, else 0", MetricType::Gauge);
  add_sample(key_readable, now.master_key_ok ? 1 : 0);
  return {std::move(free_bytes), std::move(total_bytes), std::move(free_ratio), std::move(ready),
          std::move(key_readable)};
}

}  // namespace cv::app
