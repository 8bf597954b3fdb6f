#include "blob/local/blob_layout.h"

#include "blob/local/posix_io.h"

namespace cv::blob {
namespace {

constexpr size_t kIdLength = 32;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

int byte_at(std::string_view id, size_t index) {
  return hex_value(id[2 * index]) * 16 + hex_value(id[2 * index + 1]);
}

std::string parent_of(const std::string& path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace

BlobLayout::BlobLayout(std::string root)
    : root_(std::move(root)), blobs_dir_(root_ + "/blobs"), tmp_dir_(root_ + "/tmp") {}

Result<std::shared_ptr<BlobLayout>> BlobLayout::open(std::string root) {
  while (root.size() > 1 && root.back() == '/') root.pop_back();
  if (root.empty()) return fail(ErrorCode::kInternalError, "blob store root is empty");
  auto shared = std::make_shared<BlobLayout>(std::move(root));
  BlobLayout& layout = *shared;
  // The root itself, then its two children; each new folder's parent is synced.
  if (CV_TRY(posix::make_directory(layout.root_))) {
    CV_TRY(posix::sync_directory(parent_of(layout.root_)));
  }
  bool created_blobs = CV_TRY(posix::make_directory(layout.blobs_dir_));
  bool created_tmp = CV_TRY(posix::make_directory(layout.tmp_dir_));
  if (created_blobs || created_tmp) CV_TRY(posix::sync_directory(layout.root_));
  return shared;
}

bool BlobLayout::valid_id(std::string_view id) {
  if (id.size() != kIdLength) return false;
  for (char c : id) {
    if (hex_value(c) < 0) return false;
  }
  return true;
}

std::string BlobLayout::fanout_dir(std::string_view id) const {
  std::string dir = blobs_dir_;
  dir += '/';
  dir += id.substr(0, 2);
  dir += '/';
  dir += id.substr(2, 2);
  return dir;
}

std::string BlobLayout::blob_path(std::string_view id) const {
  std::string path = fanout_dir(id);
  path += '/';
  path += id;
  return path;
}

std::string BlobLayout::temp_path(std::string_view id) const {
  std::string path = tmp_dir_;
  path += '/';
  path += id;
  return path;
}

Status BlobLayout::ensure_dir_locked(const std::string& dir, const std::string& parent) {
  CV_TRY(posix::make_directory(dir));
  return posix::sync_directory(parent);
}

Status BlobLayout::ensure_fanout_dirs(std::string_view id) {
  const int top = byte_at(id, 0);
  const int leaf = top * 256 + byte_at(id, 1);
  std::lock_guard lock(mutex_);
  if (durable_leaf_.test(static_cast<size_t>(leaf))) return {};
  const std::string leaf_dir = fanout_dir(id);
  const std::string top_dir = parent_of(leaf_dir);
  if (!durable_top_.test(static_cast<size_t>(top))) {
    CV_TRY(ensure_dir_locked(top_dir, blobs_dir_));
    durable_top_.set(static_cast<size_t>(top));
  }
  CV_TRY(ensure_dir_locked(leaf_dir, top_dir));
  durable_leaf_.set(static_cast<size_t>(leaf));
  return {};
}

}  // namespace cv::blob
