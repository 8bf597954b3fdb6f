// The sealed-piece format (body_encryption.h) written by SealingBlobWriter / seal_piece and
// read back through open_piece_reader: round trips, ranges, tampering, wrapping of data keys.
#include "vault/body_encryption.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "blob/local/local_blob_store.h"
#include "core/hash.h"
#include "vault/encryption.h"
#include "vault/piece_reader.h"

namespace cv::vault {
namespace {

namespace fs = std::filesystem;
using blob::kPlainSegmentBytes;

constexpr uint64_t kSegment = kPlainSegmentBytes;

std::string random_text(size_t size, uint32_t seed) {
  std::mt19937 generator(seed);
  std::string out(size, '\0');
  for (char& c : out) c = static_cast<char>(generator());
  return out;
}

class BodyEncryptionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cv-sealed-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    blobs_ = blob::open_local_blob_store(dir_).value();
  }
  void TearDown() override {
    blobs_.reset();
    fs::remove_all(dir_);
  }

  // Writes `plain` through a SealingBlobWriter in appends of `chunk` bytes.
  meta::BlobRef write_sealed(std::string_view plain, size_t chunk, const std::string& key = kKey) {
    SealingBlobWriter writer(blobs_->create().value(), key);
    for (size_t at = 0; at < plain.size(); at += chunk) {
      EXPECT_TRUE(writer.append(plain.substr(at, chunk)));
    }
    EXPECT_EQ(writer.size(), plain.size());
    meta::BlobRef ref;
    ref.blob_id = writer.commit().value();
    ref.size = plain.size();
    ref.stored_size = writer.stored_size();
    return ref;
  }

  Result<std::string> read_range(const meta::BlobRef& ref, uint64_t offset, uint64_t length,
                                 const std::string& key = kKey) {
    StoredPiece piece{.blob = &ref, .inline_bytes = {}, .size = ref.size};
    auto reader = CV_TRY(open_piece_reader(*blobs_, piece, key));
    return read_all_of(*reader, offset, length);
  }

  static Result<std::string> read_all_of(PieceReader& reader, uint64_t offset, uint64_t length) {
    std::string out(length, '\0');
    size_t got = 0;
    while (got < length) {
      const size_t n = CV_TRY(reader.read_at(offset + got, std::span<char>(out).subspan(got)));
      if (n == 0) break;
      got += n;
    }
    out.resize(got);
    return out;
  }

  fs::path blob_path(const std::string& id) {
    for (const auto& entry : fs::recursive_directory_iterator(dir_ / "blobs")) {
      if (entry.path().filename() == id) return entry.path();
    }
    ADD_FAILURE() << "blob file not found: " << id;
    return {};
  }

  void flip_bit(const std::string& id, uint64_t offset) {
    std::fstream file(blob_path(id), std::ios::in | std::ios::out | std::ios::binary);
    file.seekg(static_cast<std::streamoff>(offset));
    char byte = 0;
    file.read(&byte, 1);
    byte = static_cast<char>(byte ^ 0x10);
    file.seekp(static_cast<std::streamoff>(offset));
    file.write(&byte, 1);
  }

  static inline const std::string kKey = std::string(32, 'K');
  fs::path dir_;
  std::unique_ptr<blob::BlobStore> blobs_;
};

TEST_F(BodyEncryptionTest, SealedSizeIsPrefixPlusSegmentsAndTags) {
  EXPECT_EQ(sealed_piece_size(0), 8u + 16u);  // an empty body is one empty last segment
  EXPECT_EQ(sealed_piece_size(1), 8u + 1u + 16u);
  EXPECT_EQ(sealed_piece_size(kSegment), 8u + kSegment + 16u);
  EXPECT_EQ(sealed_piece_size(kSegment + 1), 8u + kSegment + 1u + 32u);
}

TEST_F(BodyEncryptionTest, WriterRoundTripsEverySizeAndChunking) {
  const std::vector<size_t> sizes = {
      0, 1, kSegment - 1, kSegment, kSegment + 1, 2 * kSegment, 3 * kSegment + 17};
  for (size_t size : sizes) {
    const std::string plain = random_text(size, static_cast<uint32_t>(size));
    for (size_t chunk : {size_t{1000}, size_t{kSegment}, size_t{kSegment + 3}, size_t{1 << 20}}) {
      if (chunk == 1000 && size > 2 * kSegment) chunk = 4099;  // keep the test quick
      const meta::BlobRef ref = write_sealed(plain, chunk);
      EXPECT_EQ(ref.stored_size, sealed_piece_size(size)) << size << "/" << chunk;
      EXPECT_EQ(blobs_->open(ref.blob_id).value()->size(), sealed_piece_size(size));
      auto read = read_range(ref, 0, size);
      ASSERT_TRUE(read) << read.error().message << " size " << size << " chunk " << chunk;
      EXPECT_EQ(*read, plain) << size << "/" << chunk;
    }
  }
}

TEST_F(BodyEncryptionTest, TheStoredBytesDoNotContainThePlaintext) {
  const std::string plain = random_text(3 * kSegment, 5);
  const meta::BlobRef ref = write_sealed(plain, 1 << 20);
  std::ifstream file(blob_path(ref.blob_id), std::ios::binary);
  const std::string stored((std::istreambuf_iterator<char>(file)),
                           std::istreambuf_iterator<char>());
  EXPECT_EQ(stored.size(), sealed_piece_size(plain.size()));
  EXPECT_EQ(stored.find(plain.substr(1000, 64)), std::string::npos);
  // Two pieces of the same plaintext under the same key differ (fresh nonce prefixes).
  const meta::BlobRef again = write_sealed(plain, 1 << 20);
  std::ifstream other(blob_path(again.blob_id), std::ios::binary);
  const std::string stored_again((std::istreambuf_iterator<char>(other)),
                                 std::istreambuf_iterator<char>());
  EXPECT_NE(stored.substr(0, 8), stored_again.substr(0, 8));
  EXPECT_NE(stored, stored_again);
}

TEST_F(BodyEncryptionTest, RangesAcrossSegmentBoundaries) {
  const uint64_t size = 4 * kSegment + 100;
  const std::string plain = random_text(size, 9);
  const meta::BlobRef ref = write_sealed(plain, 1 << 20);
  const std::vector<std::pair<uint64_t, uint64_t>> ranges = {
      {0, 1},
      {kSegment - 1, 2},                  // the last byte of one segment and the first of the next
      {kSegment, kSegment},               // exactly one segment
      {kSegment - 10, kSegment + 20},     // three segments
      {3 * kSegment + 5, kSegment + 95},  // into the short last segment, to the end
      {size - 1, 1},
      {17, size - 17},
  };
  for (auto [offset, length] : ranges) {
    auto read = read_range(ref, offset, length);
    ASSERT_TRUE(read) << offset << "+" << length << ": " << read.error().message;
    EXPECT_EQ(*read, plain.substr(offset, length)) << offset << "+" << length;
  }
  // One reader serving many small reads in turn (as a stream does).
  StoredPiece piece{.blob = &ref, .inline_bytes = {}, .size = ref.size};
  auto reader = open_piece_reader(*blobs_, piece, kKey).value();
  std::string streamed;
  char buffer[7000];
  for (uint64_t at = 0;;) {
    const size_t n = reader->read_at(at, buffer).value();
    if (n == 0) break;
    streamed.append(buffer, n);
    at += n;
  }
  EXPECT_EQ(streamed, plain);
  EXPECT_EQ(reader->read_at(size, buffer).value(), 0u);
}

TEST_F(BodyEncryptionTest, InlinePiecesUseTheSameFormat) {
  for (size_t size : {size_t{0}, size_t{10}, size_t{kSegment}, size_t{kSegment + 5}}) {
    const std::string plain = random_text(size, 3);
    const std::string sealed = seal_piece(kKey, plain);
    EXPECT_EQ(sealed.size(), sealed_piece_size(size));
    StoredPiece piece{.blob = nullptr, .inline_bytes = sealed, .size = size};
    auto reader = open_piece_reader(*blobs_, piece, kKey);
    ASSERT_TRUE(reader) << reader.error().message;
    EXPECT_EQ(read_all_of(**reader, 0, size).value(), plain);
    if (size > 12) {
      EXPECT_EQ(read_all_of(**reader, 3, 9).value(), plain.substr(3, 9));
    }
  }
}

TEST_F(BodyEncryptionTest, AFlippedBitFailsOnlyTheRangesThatTouchIt) {
  const std::string plain = random_text(3 * kSegment, 11);
  const meta::BlobRef ref = write_sealed(plain, 1 << 20);
  // A bit in the middle of segment 1 (stored after the prefix and segment 0).
  const uint64_t segment1 = 8 + (kSegment + 16);
  flip_bit(ref.blob_id, segment1 + 500);
  auto damaged = read_range(ref, kSegment + 10, 100);
  ASSERT_FALSE(damaged);
  EXPECT_EQ(damaged.error().code, ErrorCode::kInternalError);
  EXPECT_FALSE(read_range(ref, 0, plain.size()));
  // Segments 0 and 2 still open: a range decrypts only the segments it touches.
  EXPECT_EQ(read_range(ref, 0, kSegment).value(), plain.substr(0, kSegment));
  EXPECT_EQ(read_range(ref, 2 * kSegment, kSegment).value(), plain.substr(2 * kSegment));
}

TEST_F(BodyEncryptionTest, LongReadsShareTheWorkAndStillCatchDamageInEitherHalf) {
  // 9 segments read in one call: decrypted by two threads (this one and a helper).
  const std::string plain = random_text(8 * kSegment + 1234, 15);
  const meta::BlobRef ref = write_sealed(plain, 1 << 20);
  StoredPiece piece{.blob = &ref, .inline_bytes = {}, .size = ref.size};
  for (int round = 0; round < 3; ++round) {  // the helper is reused across reads
    auto reader = open_piece_reader(*blobs_, piece, kKey).value();
    std::string out(plain.size(), '\0');
    ASSERT_EQ(reader->read_at(0, out).value(), plain.size());
    EXPECT_EQ(out, plain);
    std::string middle(6 * kSegment, '\0');
    ASSERT_EQ(reader->read_at(kSegment, middle).value(), middle.size());
    EXPECT_EQ(middle, plain.substr(kSegment, 6 * kSegment));
  }
  const meta::BlobRef first_half = write_sealed(plain, 1 << 20);
  flip_bit(first_half.blob_id, 8 + 1 * (kSegment + 16) + 7);  // segment 1: this thread's
  const meta::BlobRef second_half = write_sealed(plain, 1 << 20);
  flip_bit(second_half.blob_id, 8 + 7 * (kSegment + 16) + 7);  // segment 7: the helper's
  for (const meta::BlobRef* damaged : {&first_half, &second_half}) {
    StoredPiece damaged_piece{.blob = damaged, .inline_bytes = {}, .size = damaged->size};
    auto reader = open_piece_reader(*blobs_, damaged_piece, kKey).value();
    std::string out(plain.size(), '\0');
    auto read = reader->read_at(0, out);
    ASSERT_FALSE(read);
    EXPECT_EQ(read.error().code, ErrorCode::kInternalError);
  }
}

TEST_F(BodyEncryptionTest, DamageToPrefixTagsOrLengthFails) {
  const std::string plain = random_text(2 * kSegment + 9, 12);
  // The nonce prefix: every segment fails.
  meta::BlobRef ref = write_sealed(plain, 1 << 20);
  flip_bit(ref.blob_id, 3);
  EXPECT_FALSE(read_range(ref, 0, 10));
  // The last tag.
  ref = write_sealed(plain, 1 << 20);
  flip_bit(ref.blob_id, sealed_piece_size(plain.size()) - 1);
  EXPECT_FALSE(read_range(ref, plain.size() - 5, 5));
  // A recorded size that does not match what is stored fails at open, before any read.
  ref = write_sealed(plain, 1 << 20);
  meta::BlobRef wrong = ref;
  wrong.size -= 1;
  StoredPiece piece{.blob = &wrong, .inline_bytes = {}, .size = wrong.size};
  auto reader = open_piece_reader(*blobs_, piece, kKey);
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().code, ErrorCode::kInternalError);
  // Truncated inline bytes, and a dropped last segment that ends on a segment boundary.
  const std::string sealed = seal_piece(kKey, plain);
  StoredPiece truncated{.blob = nullptr,
                        .inline_bytes = std::string_view(sealed).substr(0, sealed.size() - 1),
                        .size = plain.size()};
  EXPECT_FALSE(open_piece_reader(*blobs_, truncated, kKey));
  const std::string two_segments = random_text(2 * kSegment, 13);
  const std::string sealed_two = seal_piece(kKey, two_segments);
  StoredPiece first_only{
      .blob = nullptr,
      .inline_bytes = std::string_view(sealed_two).substr(0, sealed_piece_size(kSegment)),
      .size = kSegment};
  auto cut = open_piece_reader(*blobs_, first_only, kKey);
  ASSERT_TRUE(cut);  // sizes agree, but segment 0 was not sealed as the last one
  std::string out(10, '\0');
  EXPECT_FALSE((*cut)->read_at(0, out));
}

TEST_F(BodyEncryptionTest, TheWrongKeyFails) {
  const std::string plain = random_text(1000, 14);
  const meta::BlobRef ref = write_sealed(plain, 1 << 20);
  auto read = read_range(ref, 0, 10, std::string(32, 'X'));
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, ErrorCode::kInternalError);
}

TEST_F(BodyEncryptionTest, PlainPiecesReadAsTheyAre) {
  auto writer = blobs_->create().value();
  ASSERT_TRUE(writer->append("plain bytes"));
  meta::BlobRef ref{.blob_id = writer->commit().value(), .size = 11};
  EXPECT_EQ(read_range(ref, 6, 5, "").value(), "bytes");
  StoredPiece inline_piece{.blob = nullptr, .inline_bytes = "inline", .size = 6};
  auto reader = open_piece_reader(*blobs_, inline_piece, "").value();
  EXPECT_EQ(read_all_of(*reader, 2, 4).value(), "line");
  meta::BlobRef unknown = ref;
  unknown.codec = "lz4";
  EXPECT_FALSE(read_range(unknown, 0, 1, ""));
}

TEST(DataKeys, WrapAndUnwrap) {
  const std::string master(32, 'm');
  const std::string data_key = new_data_key();
  EXPECT_EQ(data_key.size(), 32u);
  EXPECT_NE(new_data_key(), data_key);
  const std::string wrapped = wrap_data_key(meta::EncryptionMode::kS3, master, data_key);
  EXPECT_EQ(wrapped.find(data_key), std::string::npos);
  EXPECT_EQ(unwrap_data_key(meta::EncryptionMode::kS3, master, wrapped).value(), data_key);
  EXPECT_FALSE(unwrap_data_key(meta::EncryptionMode::kS3, std::string(32, 'n'), wrapped));
  // A key wrapped for SSE-S3 does not open as an SSE-C one, even with the same wrapping key.
  EXPECT_FALSE(unwrap_data_key(meta::EncryptionMode::kCustomer, master, wrapped));
  std::string damaged = wrapped;
  damaged[20] ^= 1;
  EXPECT_FALSE(unwrap_data_key(meta::EncryptionMode::kS3, master, damaged));
}

TEST(DataKeys, CustomerEtagsAreNotThePlaintextMd5) {
  const std::string digest = md5("hello");
  const std::string etag = customer_etag(std::string(32, 'a'), digest);
  EXPECT_EQ(etag.size(), 32u);
  EXPECT_EQ(etag, customer_etag(std::string(32, 'a'), digest));
  EXPECT_NE(etag, customer_etag(std::string(32, 'b'), digest));
  EXPECT_NE(etag, "5d41402abc4b2a76b9719d911017c592");  // MD5("hello")
}

TEST(DefaultEncryptionDocument, RoundTripsAndRejectsDamage) {
  DefaultEncryption config;
  config.bucket_key_enabled = true;
  const auto decoded = decode_default_encryption(encode_default_encryption(config));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->algorithm, "AES256");
  EXPECT_TRUE(decoded->bucket_key_enabled);
  EXPECT_FALSE(decode_default_encryption("{"));
  EXPECT_FALSE(decode_default_encryption("{\"bucket_key_enabled\":true}"));
}

}  // namespace
}  // namespace cv::vault
