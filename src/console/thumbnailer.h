// Thumbnails of images for the console's gallery: made with libvips, cached on disk per
// object version, made once.
//
// Thread-safe. libvips must be initialised (VIPS_INIT) by the program before use.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/error.h"

namespace cv::console {

// A JPEG no wider or taller than `size` pixels (aspect kept, EXIF orientation applied) of an
// image in any format libvips reads; InvalidArgument when the bytes are not such an image.
Result<std::string> make_thumbnail(std::string_view image, int size);

// Thumbnails on disk under `root`, named by a hash of (bucket, key, version, etag, size), so a
// new version never sees an old thumbnail. Files are written to a temporary name and renamed:
// a reader sees a whole thumbnail or none. Not synced: a lost thumbnail is made again.
class ThumbnailCache {
 public:
  explicit ThumbnailCache(std::filesystem::path root);

  std::string name_for(std::string_view bucket, std::string_view key, std::string_view version,
                       std::string_view etag, int size) const;
  // The cached thumbnail, or an empty string when there is none.
  std::string find(const std::string& name) const;
  Status store(const std::string& name, std::string_view thumbnail) const;

 private:
  std::filesystem::path path_of(const std::string& name) const;

  std::filesystem::path root_;
};

}  // namespace cv::console
