// gzip: whole buffers and GzipWriter's pieces round-trip through gzip_decompress; the same
// pieces give the same bytes (a log file written again after a crash is the same file).
#include "audit/gzip.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace cv::audit {
namespace {

// JSON-like text (compressible) with random bytes mixed in, `size` bytes.
std::string sample(size_t size, unsigned seed) {
  std::mt19937 random(seed);
  std::string out;
  out.reserve(size);
  while (out.size() < size) {
    out += R"({"eventName":"GetObject","key":")";
    for (int i = 0; i < 12; ++i) out.push_back(static_cast<char>(random() & 0xff));
    out += R"("},)";
  }
  out.resize(size);
  return out;
}

std::string write_in_pieces(const std::string& text, size_t piece_bytes) {
  GzipWriter writer;
  for (size_t at = 0; at < text.size(); at += piece_bytes) {
    writer.append(std::string_view(text).substr(at, piece_bytes));
  }
  return writer.finish();
}

TEST(GzipTest, WholeBuffersRoundTrip) {
  const std::string text = sample(100'000, 1);
  auto back = gzip_decompress(gzip_compress(text));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, text);
}

TEST(GzipTest, WriterPiecesRoundTripAtEverySize) {
  // Past the writer's first 256 KiB of output, so its buffer grows several times.
  const std::string text = sample(6 * 1024 * 1024, 2);
  for (size_t piece : {size_t{1} << 10, size_t{1} << 16, size_t{1} << 20, text.size()}) {
    const std::string gz = write_in_pieces(text, piece);
    auto back = gzip_decompress(gz);
    ASSERT_TRUE(back) << piece;
    EXPECT_EQ(*back, text) << piece;
  }
}

TEST(GzipTest, WriterIsDeterministicForTheSamePieces) {
  const std::string text = sample(2 * 1024 * 1024, 3);
  EXPECT_EQ(write_in_pieces(text, 100'000), write_in_pieces(text, 100'000));
}

TEST(GzipTest, EmptyWriterMakesAValidEmptyStream) {
  GzipWriter writer;
  auto back = gzip_decompress(writer.finish());
  ASSERT_TRUE(back);
  EXPECT_TRUE(back->empty());
}

TEST(GzipTest, TruncatedStreamIsRefused) {
  std::string gz = write_in_pieces(sample(50'000, 4), 4096);
  gz.resize(gz.size() / 2);
  EXPECT_FALSE(gzip_decompress(gz));
}

}  // namespace
}  // namespace cv::audit
