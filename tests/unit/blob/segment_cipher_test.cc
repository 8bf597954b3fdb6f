#include "blob/segment_cipher.h"

#include <gtest/gtest.h>

namespace cv::blob {
namespace {

const std::string kKey(kDataKeyBytes, 'k');
const std::string kPrefix(kNoncePrefixBytes, 'n');

std::string pattern(size_t size) {
  std::string out(size, '\0');
  for (size_t i = 0; i < size; ++i) out[i] = static_cast<char>(i * 131 % 251);
  return out;
}

// Seals a whole body segment by segment.
std::string seal_body(SegmentCipher& cipher, std::string_view plain) {
  std::string out;
  const uint64_t count = segment_count(plain.size());
  for (uint64_t i = 0; i < count; ++i) {
    const std::string_view piece = plain.substr(i * kPlainSegmentBytes, kPlainSegmentBytes);
    cipher.seal(i, piece, i + 1 == count, out);
  }
  return out;
}

Result<std::string> open_body(SegmentCipher& cipher, std::string_view sealed, uint64_t plain_size) {
  std::string out;
  const uint64_t count = segment_count(plain_size);
  for (uint64_t i = 0; i < count; ++i) {
    const std::string_view piece = sealed.substr(i * kSealedSegmentBytes, kSealedSegmentBytes);
    out += CV_TRY(cipher.open(i, piece, i + 1 == count));
  }
  return out;
}

TEST(SegmentCipher, Sizes) {
  EXPECT_EQ(segment_count(0), 1u);
  EXPECT_EQ(sealed_size(0), kSegmentTagBytes);
  EXPECT_EQ(sealed_size(kPlainSegmentBytes), kSealedSegmentBytes);
  EXPECT_EQ(sealed_size(kPlainSegmentBytes + 1), kPlainSegmentBytes + 1 + 2 * kSegmentTagBytes);
  const auto range = segments_for_range(kPlainSegmentBytes - 10, 20);
  EXPECT_EQ(range.first, 0u);
  EXPECT_EQ(range.last, 1u);
  EXPECT_EQ(range.offset_in_first, kPlainSegmentBytes - 10);
  EXPECT_EQ(segments_for_range(3 * kPlainSegmentBytes, 1).first, 3u);
}

TEST(SegmentCipher, RoundTripsAndHidesThePlaintext) {
  SegmentCipher cipher(kKey, kPrefix);
  for (size_t size :
       {size_t{0}, size_t{1}, size_t{kPlainSegmentBytes}, size_t{3 * kPlainSegmentBytes + 77}}) {
    const std::string plain = pattern(size);
    const std::string sealed = seal_body(cipher, plain);
    ASSERT_EQ(sealed.size(), sealed_size(size));
    if (size >= 64) {
      EXPECT_EQ(sealed.find(plain.substr(0, 64)), std::string::npos);
    }
    EXPECT_EQ(open_body(cipher, sealed, size).value(), plain);
  }
}

TEST(SegmentCipher, OneSegmentOpensAlone) {
  SegmentCipher cipher(kKey, kPrefix);
  const std::string plain = pattern(5 * kPlainSegmentBytes);
  const std::string sealed = seal_body(cipher, plain);
  const std::string third =
      cipher.open(2, sealed.substr(2 * kSealedSegmentBytes, kSealedSegmentBytes), false).value();
  EXPECT_EQ(third, plain.substr(2 * kPlainSegmentBytes, kPlainSegmentBytes));
}

TEST(SegmentCipher, TamperingFailsLoudly) {
  SegmentCipher cipher(kKey, kPrefix);
  const std::string plain = pattern(2 * kPlainSegmentBytes + 5);
  const std::string sealed = seal_body(cipher, plain);
  // A flipped bit anywhere.
  for (size_t at : {size_t{0}, size_t{kPlainSegmentBytes + 3}, sealed.size() - 1}) {
    std::string flipped = sealed;
    flipped[at] ^= 0x01;
    EXPECT_EQ(open_body(cipher, flipped, plain.size()).error().code, ErrorCode::kInternalError);
  }
  // Swapped segments.
  std::string swapped = sealed.substr(kSealedSegmentBytes, kSealedSegmentBytes) +
                        sealed.substr(0, kSealedSegmentBytes) +
                        sealed.substr(2 * kSealedSegmentBytes);
  EXPECT_FALSE(open_body(cipher, swapped, plain.size()));
  // Truncation: the first segment presented as the last one.
  EXPECT_FALSE(cipher.open(0, sealed.substr(0, kSealedSegmentBytes), true));
  // Another key or another object's nonce prefix.
  SegmentCipher other_key(std::string(kDataKeyBytes, 'x'), kPrefix);
  EXPECT_FALSE(open_body(other_key, sealed, plain.size()));
  SegmentCipher other_prefix(kKey, std::string(kNoncePrefixBytes, 'p'));
  EXPECT_FALSE(open_body(other_prefix, sealed, plain.size()));
  // Wrong sizes are refused, not read past.
  EXPECT_FALSE(cipher.open(0, "short", true));
  EXPECT_FALSE(cipher.open(0, sealed.substr(0, kSealedSegmentBytes - 1), false));
}

TEST(SegmentCipher, RejectsBadKeysAndSegments) {
  EXPECT_THROW(SegmentCipher("short", kPrefix), std::invalid_argument);
  EXPECT_THROW(SegmentCipher(kKey, "p"), std::invalid_argument);
  SegmentCipher cipher(kKey, kPrefix);
  std::string out;
  EXPECT_THROW(cipher.seal(0, "not a full segment", false, out), std::invalid_argument);
}

}  // namespace
}  // namespace cv::blob
