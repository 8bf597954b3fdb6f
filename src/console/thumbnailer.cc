#include "console/thumbnailer.h"

#include <vips/vips.h>

#include <fstream>
#include <memory>
#include <sstream>

#include "core/encoding.h"
#include "core/hash.h"
#include "core/ids.h"

namespace cv::console {
namespace {

struct GObjectUnref {
  void operator()(VipsImage* image) const { g_object_unref(image); }
};
using ImageHandle = std::unique_ptr<VipsImage, GObjectUnref>;

}  // namespace

Result<std::string> make_thumbnail(std::string_view image, int size) {
  VipsImage* out = nullptr;
  // Shrink-on-load where the format allows it; EXIF orientation is applied by default.
  if (vips_thumbnail_buffer(const_cast<char*>(image.data()), image.size(), &out, size, "height",
                            size, nullptr) != 0) {
    vips_error_clear();
    return fail(ErrorCode::kInvalidArgument, "This file is not an image the server can read.");
  }
  ImageHandle thumbnail(out);
  void* buffer = nullptr;
  size_t length = 0;
  if (vips_jpegsave_buffer(thumbnail.get(), &buffer, &length, "Q", 82, "strip", TRUE, nullptr) !=
      0) {
    vips_error_clear();
    return fail(ErrorCode::kInternalError, "the thumbnail could not be encoded");
  }
  std::string jpeg(static_cast<const char*>(buffer), length);
  g_free(buffer);
  return jpeg;
}

ThumbnailCache::ThumbnailCache(std::filesystem::path root) : root_(std::move(root)) {}

std::string ThumbnailCache::name_for(std::string_view bucket, std::string_view key,
                                     std::string_view version, std::string_view etag,
                                     int size) const {
  Digest digest(Digest::Algorithm::kSha256);
  for (std::string_view part : {bucket, key, version, etag}) {
    digest.update(std::to_string(part.size()));
    digest.update(":");
    digest.update(part);
  }
  digest.update(std::to_string(size));
  return hex_encode(digest.finish());
}

std::filesystem::path ThumbnailCache::path_of(const std::string& name) const {
  return root_ / name.substr(0, 2) / (name + ".jpg");
}

std::string ThumbnailCache::find(const std::string& name) const {
  std::ifstream in(path_of(name), std::ios::binary);
  if (!in) return {};
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

Status ThumbnailCache::store(const std::string& name, std::string_view thumbnail) const {
  const std::filesystem::path path = path_of(name);
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  const std::filesystem::path temp = path.parent_path() / (name + "." + random_hex(8) + ".tmp");
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out.write(thumbnail.data(), static_cast<std::streamsize>(thumbnail.size()));
    if (!out) {
      std::filesystem::remove(temp, ec);
      return fail(ErrorCode::kInternalError, "cannot write thumbnail " + temp.string());
    }
  }
  std::filesystem::rename(temp, path, ec);
  if (ec) {
    std::filesystem::remove(temp, ec);
    return fail(ErrorCode::kInternalError, "cannot store thumbnail " + path.string());
  }
  return {};
}

}  // namespace cv::console
