// Thumbnails: any image libvips reads becomes a JPEG within the size; other bytes are refused;
// the cache names differ per version and size and return what was stored.
#include "console/thumbnailer.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <vips/vips.h>

#include <filesystem>

namespace cv::console {
namespace {

// A PNG of width × height made with libvips itself.
std::string png(int width, int height) {
  EXPECT_EQ(VIPS_INIT("cloudvault-test"), 0);
  VipsImage* black = nullptr;
  EXPECT_EQ(vips_black(&black, width, height, "bands", 3, nullptr), 0);
  void* buffer = nullptr;
  size_t length = 0;
  EXPECT_EQ(vips_pngsave_buffer(black, &buffer, &length, nullptr), 0);
  g_object_unref(black);
  std::string bytes(static_cast<const char*>(buffer), length);
  g_free(buffer);
  return bytes;
}

std::pair<int, int> dimensions(const std::string& jpeg) {
  VipsImage* image = vips_image_new_from_buffer(jpeg.data(), jpeg.size(), "", nullptr);
  EXPECT_NE(image, nullptr);
  if (!image) return {0, 0};
  std::pair<int, int> size{vips_image_get_width(image), vips_image_get_height(image)};
  g_object_unref(image);
  return size;
}

TEST(ThumbnailerTest, ImagesShrinkIntoTheBoxKeepingTheirShape) {
  const std::string wide = png(1000, 500);
  auto thumbnail = make_thumbnail(wide, 256);
  ASSERT_TRUE(thumbnail) << thumbnail.error().message;
  EXPECT_EQ(thumbnail->substr(0, 2), "\xFF\xD8");  // JPEG
  EXPECT_EQ(dimensions(*thumbnail), std::make_pair(256, 128));
  auto tall = make_thumbnail(png(300, 600), 128);
  ASSERT_TRUE(tall);
  EXPECT_EQ(dimensions(*tall), std::make_pair(64, 128));
}

TEST(ThumbnailerTest, OtherBytesAreRefused) {
  EXPECT_EQ(VIPS_INIT("cloudvault-test"), 0);
  auto refused = make_thumbnail("%PDF-1.7 not an image at all", 256);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(make_thumbnail("", 256));
}

TEST(ThumbnailerTest, CacheNamesFollowTheVersionAndSize) {
  const auto root =
      std::filesystem::temp_directory_path() / ("cv-thumbs-" + std::to_string(::getpid()));
  std::filesystem::remove_all(root);
  ThumbnailCache cache(root);
  const std::string a = cache.name_for("b", "k", "v1", "e1", 256);
  EXPECT_NE(a, cache.name_for("b", "k", "v2", "e1", 256));
  EXPECT_NE(a, cache.name_for("b", "k", "v1", "e2", 256));
  EXPECT_NE(a, cache.name_for("b", "k", "v1", "e1", 128));
  EXPECT_NE(cache.name_for("b", "kv", "1", "e1", 256), cache.name_for("b", "k", "v1", "e1", 256));
  EXPECT_EQ(cache.find(a), "");
  ASSERT_TRUE(cache.store(a, "jpeg bytes"));
  EXPECT_EQ(cache.find(a), "jpeg bytes");
  std::filesystem::remove_all(root);
}

}  // namespace
}  // namespace cv::console
