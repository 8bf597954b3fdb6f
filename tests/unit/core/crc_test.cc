#include "core/crc.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "core/encoding.h"
#include "core/hash.h"

namespace cv {
namespace {

uint64_t crc64(std::string_view bytes) {
  Crc64Nvme crc;
  crc.update(bytes);
  return crc.value();
}

std::string random_text(size_t size, uint32_t seed) {
  std::mt19937 generator(seed);
  std::string out(size, '\0');
  for (char& c : out) c = static_cast<char>(generator() & 0xff);
  return out;
}

TEST(Crc64NvmeTest, MatchesTheCatalogueCheckValue) {
  EXPECT_EQ(crc64("123456789"), 0xAE8B14860A799888ull);
  EXPECT_EQ(crc64(""), 0u);
}

TEST(Crc64NvmeTest, MatchesAwsTestVectors) {
  // The base64 values AWS's SDKs test x-amz-checksum-crc64nvme against.
  EXPECT_EQ(base64_encode(crc64_bytes(crc64(""))), "AAAAAAAAAAA=");
  EXPECT_EQ(base64_encode(crc64_bytes(crc64("Hello world"))), "OOJZ0D8xKts=");
  EXPECT_EQ(base64_encode(crc64_bytes(crc64("123456789"))), "rosUhgp5mIg=");
}

TEST(Crc64NvmeTest, IncrementalEqualsOneShotAtEverySplit) {
  const std::string text = random_text(100, 7);
  const uint64_t whole = crc64(text);
  for (size_t split = 0; split <= text.size(); ++split) {
    Crc64Nvme crc;
    crc.update(std::string_view(text).substr(0, split));
    crc.update(std::string_view(text).substr(split));
    EXPECT_EQ(crc.value(), whole) << split;
  }
}

uint64_t crc_of(CrcKind kind, std::string_view bytes) {
  switch (kind) {
    case CrcKind::kCrc32: {
      Crc32 crc;
      crc.update(bytes);
      return crc.value();
    }
    case CrcKind::kCrc32c: {
      Crc32c crc;
      crc.update(bytes);
      return crc.value();
    }
    case CrcKind::kCrc64Nvme:
      return crc64(bytes);
  }
  return 0;
}

class CrcCombineTest : public ::testing::TestWithParam<CrcKind> {};

TEST_P(CrcCombineTest, CombiningEqualsTheCrcOfTheConcatenation) {
  const CrcKind kind = GetParam();
  uint32_t seed = 1;
  for (size_t a_size : {0u, 1u, 7u, 100u, 4096u}) {
    for (size_t b_size : {0u, 1u, 8u, 333u, 70000u}) {
      const std::string a = random_text(a_size, seed++);
      const std::string b = random_text(b_size, seed++);
      EXPECT_EQ(crc_combine(kind, crc_of(kind, a), crc_of(kind, b), b.size()), crc_of(kind, a + b))
          << a_size << "+" << b_size;
    }
  }
}

TEST_P(CrcCombineTest, FoldsManyPartsInOrder) {
  const CrcKind kind = GetParam();
  std::string whole;
  uint64_t combined = 0;
  for (uint32_t part = 0; part < 12; ++part) {
    const std::string piece = random_text(1000 + part * 37, 100 + part);
    combined = crc_combine(kind, combined, crc_of(kind, piece), piece.size());
    whole += piece;
  }
  EXPECT_EQ(combined, crc_of(kind, whole));
}

INSTANTIATE_TEST_SUITE_P(AllKinds, CrcCombineTest,
                         ::testing::Values(CrcKind::kCrc32, CrcKind::kCrc32c, CrcKind::kCrc64Nvme));

}  // namespace
}  // namespace cv
