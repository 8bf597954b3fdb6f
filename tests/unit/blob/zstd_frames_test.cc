// The zstd frame format of the colder tiers: round trips, ranges across frames, raw frames
// for incompressible data, and refusal of damaged blobs.
#include "blob/zstd_frames.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>

namespace cv::blob {
namespace {

// An in-memory blob: what a writer appended is what a reader reads.
class MemoryWriter final : public BlobWriter {
 public:
  explicit MemoryWriter(std::string& out) : out_(out) {}
  Status append(std::string_view bytes) override {
    out_.append(bytes);
    return {};
  }
  uint64_t size() const override { return out_.size(); }
  Result<std::string> commit() override { return std::string("memory"); }

 private:
  std::string& out_;
};

class MemoryReader final : public BlobReader {
 public:
  explicit MemoryReader(std::string bytes) : bytes_(std::move(bytes)) {}
  uint64_t size() const override { return bytes_.size(); }
  Result<size_t> read_at(uint64_t offset, std::span<char> out) override {
    if (offset >= bytes_.size()) return size_t{0};
    const size_t n = std::min<size_t>(out.size(), bytes_.size() - offset);
    std::memcpy(out.data(), bytes_.data() + offset, n);
    return n;
  }

 private:
  std::string bytes_;
};

std::string compress(std::string_view plain, size_t piece = 100'000) {
  std::string stored;
  ZstdFrameWriter writer(std::make_unique<MemoryWriter>(stored), 3);
  for (size_t at = 0; at < plain.size(); at += piece) {
    EXPECT_TRUE(writer.append(plain.substr(at, piece)));
  }
  EXPECT_EQ(writer.size(), plain.size());
  EXPECT_TRUE(writer.commit());
  EXPECT_EQ(writer.stored_size(), stored.size());
  return stored;
}

std::string read_range(const std::string& stored, uint64_t offset, size_t length) {
  auto reader = ZstdFrameReader::open(std::make_unique<MemoryReader>(stored));
  EXPECT_TRUE(reader) << reader.error().message;
  std::string out(length, '\0');
  auto n = (*reader)->read_at(offset, out);
  EXPECT_TRUE(n);
  out.resize(*n);
  return out;
}

std::string text(size_t n) {
  std::string out;
  while (out.size() < n)
    out += "the quick brown fox jumps over the lazy dog " + std::to_string(out.size());
  out.resize(n);
  return out;
}

std::string noise(size_t n) {
  std::mt19937_64 random(7);
  std::string out(n, '\0');
  for (char& c : out) c = static_cast<char>(random());
  return out;
}

TEST(ZstdFramesTest, TextShrinksAndReadsBackWhole) {
  const std::string plain = text(kZstdFramePlainBytes * 3 + 12345);
  const std::string stored = compress(plain);
  EXPECT_LT(stored.size(), plain.size() / 3);
  auto reader = ZstdFrameReader::open(std::make_unique<MemoryReader>(stored));
  ASSERT_TRUE(reader);
  EXPECT_EQ((*reader)->size(), plain.size());
  EXPECT_EQ(read_range(stored, 0, plain.size()), plain);
}

TEST(ZstdFramesTest, RangesAcrossFrameBoundaries) {
  const std::string plain = text(kZstdFramePlainBytes * 2 + 999);
  const std::string stored = compress(plain);
  for (uint64_t offset : {uint64_t{0}, kZstdFramePlainBytes - 3, kZstdFramePlainBytes,
                          2 * kZstdFramePlainBytes + 500}) {
    EXPECT_EQ(read_range(stored, offset, 10), plain.substr(offset, 10)) << offset;
  }
  EXPECT_EQ(read_range(stored, plain.size() - 5, 100), plain.substr(plain.size() - 5));
  EXPECT_EQ(read_range(stored, plain.size(), 10), "");
}

TEST(ZstdFramesTest, IncompressibleFramesAreStoredAsTheyAre) {
  const std::string plain = noise(kZstdFramePlainBytes + 77);
  const std::string stored = compress(plain);
  EXPECT_LE(stored.size(), plain.size() + 64);  // the index only
  EXPECT_EQ(read_range(stored, 0, plain.size()), plain);
}

TEST(ZstdFramesTest, EmptyBody) {
  const std::string stored = compress("");
  auto reader = ZstdFrameReader::open(std::make_unique<MemoryReader>(stored));
  ASSERT_TRUE(reader);
  EXPECT_EQ((*reader)->size(), 0u);
}

TEST(ZstdFramesTest, DamagedBlobsAreRefused) {
  const std::string plain = text(kZstdFramePlainBytes + 10);
  std::string stored = compress(plain);
  std::string bad_magic = stored;
  bad_magic.back() ^= 1;
  EXPECT_FALSE(ZstdFrameReader::open(std::make_unique<MemoryReader>(bad_magic)));
  EXPECT_FALSE(ZstdFrameReader::open(std::make_unique<MemoryReader>(stored.substr(1))));
  EXPECT_FALSE(ZstdFrameReader::open(std::make_unique<MemoryReader>("CVZ1")));
  std::string bad_frame = stored;
  bad_frame[5] ^= 0x40;  // inside the first compressed frame
  auto reader = ZstdFrameReader::open(std::make_unique<MemoryReader>(bad_frame));
  ASSERT_TRUE(reader);
  std::string out(100, '\0');
  EXPECT_FALSE((*reader)->read_at(0, out)) << "a damaged compressed frame must fail the read";
}

}  // namespace
}  // namespace cv::blob
