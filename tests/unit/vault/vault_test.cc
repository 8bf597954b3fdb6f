#include "vault/vault.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/encoding.h"
#include "core/hash.h"
#include "vault/temp_vault.h"
#include "workers/garbage_collector.h"

namespace cv::vault {
namespace {

namespace fs = std::filesystem;

class VaultTest : public ::testing::Test {
 protected:
  static VaultOptions small_options() {
    VaultOptions options;
    options.inline_threshold = 1024;
    options.min_part_size = 100;
    return options;
  }
  void SetUp() override { ASSERT_TRUE(vault_->create_bucket("bucket", "owner")); }

  Result<meta::ObjectVersion> put(const std::string& key, const std::string& body,
                                  BodyCheck check = {}, std::optional<uint64_t> size = {}) {
    StringSource source(body);
    PutObjectInput input{"bucket", key, {}, &source, size ? size : body.size(), std::move(check)};
    return vault_->put_object(input);
  }

  std::string read(const std::string& key, uint64_t offset = 0, uint64_t length = UINT64_MAX) {
    auto object = vault_->get_object("bucket", key).value();
    auto body = vault_->open_body(object, offset, std::min(length, object.size - offset)).value();
    return read_all(*body, 1 << 30).value();
  }

  size_t blob_count() { return blobs_->list().value().size(); }

  SystemClock clock_;
  testing::TempVault temp_{clock_, small_options()};
  Vault* vault_ = &temp_.vault();
  blob::BlobStore* blobs_ = &temp_.blobs();
  const fs::path& dir_ = temp_.dir();
};

TEST_F(VaultTest, SmallBodiesStayInlineLargeOnesBecomeBlobs) {
  const std::string small(100, 's');
  const std::string large(5000, 'L');
  auto a = put("small", small);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->etag, hex_encode(md5(small)));
  EXPECT_EQ(blob_count(), 0u);
  ASSERT_TRUE(put("large", large));
  EXPECT_EQ(blob_count(), 1u);
  EXPECT_EQ(read("small"), small);
  EXPECT_EQ(read("large"), large);
  EXPECT_EQ(read("large", 4990), std::string(10, 'L'));
}

TEST_F(VaultTest, ReadableBodyChecksOnceAndOpensAnyRange) {
  const std::string body(3000, 'r');
  ASSERT_TRUE(put("k", body));
  const auto object = vault_->get_object("bucket", "k").value();
  const auto readable = vault_->readable_body(object, nullptr);
  ASSERT_TRUE(readable) << readable.error().message;
  EXPECT_EQ(read_all(*readable->open(0, 3000).value(), 1 << 20).value(), body);
  EXPECT_EQ(read_all(*readable->open(2990, 10).value(), 1 << 20).value(), std::string(10, 'r'));
  // An archived version has no readable body until restored; HEAD's check (the customer key
  // alone) still passes.
  StringSource source(body);
  PutObjectInput input{"bucket", "cold", {}, &source, body.size(), {}};
  input.attributes.storage_class = "GLACIER";
  ASSERT_TRUE(vault_->put_object(input));
  const auto archived = vault_->get_object("bucket", "cold").value();
  EXPECT_EQ(vault_->readable_body(archived, nullptr).error().code, ErrorCode::kInvalidObjectState);
  EXPECT_EQ(vault_->open_body(archived, 0, 10).error().code, ErrorCode::kInvalidObjectState);
  EXPECT_TRUE(vault_->check_customer_key(archived, nullptr));
}

TEST_F(VaultTest, UnknownLengthSpillsToBlobPastThreshold) {
  const std::string body(3000, 'u');
  StringSource source(body);
  PutObjectInput input{"bucket", "k", {}, &source, std::nullopt, {}};
  ASSERT_TRUE(vault_->put_object(input));
  EXPECT_EQ(blob_count(), 1u);
  EXPECT_EQ(read("k"), body);
}

TEST_F(VaultTest, ShortBodyAndFailedCheckLeaveNothing) {
  auto short_body = put("k", std::string(2000, 'x'), {}, 3000);
  ASSERT_FALSE(short_body);
  EXPECT_EQ(short_body.error().code, ErrorCode::kIncompleteBody);
  auto bad = put("k", std::string(2000, 'x'),
                 [](const BodyDigests&) -> Status { return fail(ErrorCode::kBadDigest); });
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kBadDigest);
  EXPECT_EQ(vault_->get_object("bucket", "k").error().code, ErrorCode::kNoSuchKey);
  EXPECT_EQ(blob_count(), 0u);
  EXPECT_TRUE(fs::is_empty(dir_ / "tmp"));
}

TEST_F(VaultTest, ErrorsForMissingBucketsAndBadNames) {
  StringSource source("x");
  PutObjectInput input{"nobucket", "k", {}, &source, 1, {}};
  EXPECT_EQ(vault_->put_object(input).error().code, ErrorCode::kNoSuchBucket);
  EXPECT_EQ(vault_->create_bucket("Bad_Name", "o").error().code, ErrorCode::kInvalidBucketName);
  EXPECT_EQ(vault_->create_bucket("bucket", "owner").error().code,
            ErrorCode::kBucketAlreadyOwnedByYou);
  EXPECT_EQ(put(std::string(1025, 'k'), "x").error().code, ErrorCode::kKeyTooLongError);
}

TEST_F(VaultTest, OverwrittenBlobsAreCollectedOnTheSecondPass) {
  ASSERT_TRUE(put("k", std::string(5000, 'a')));
  ASSERT_TRUE(put("k", std::string(5000, 'b')));
  EXPECT_EQ(blob_count(), 2u);
  workers::GarbageCollector collector(*vault_);
  EXPECT_EQ(collector.run_once().value(), 0u);  // first sighting: kept
  EXPECT_EQ(collector.run_once().value(), 1u);
  EXPECT_EQ(blob_count(), 1u);
  EXPECT_EQ(read("k"), std::string(5000, 'b'));
}

TEST_F(VaultTest, SweepRemovesOrphansButKeepsLiveBlobs) {
  ASSERT_TRUE(put("live", std::string(5000, 'a')));
  auto writer = blobs_->create().value();
  ASSERT_TRUE(writer->append("orphan"));
  ASSERT_TRUE(writer->commit());
  EXPECT_EQ(blob_count(), 2u);
  EXPECT_EQ(vault_->sweep_orphans().value(), 1u);
  EXPECT_EQ(blob_count(), 1u);
  EXPECT_EQ(read("live"), std::string(5000, 'a'));
}

TEST_F(VaultTest, MultipartCompletion) {
  auto upload = vault_->create_upload("bucket", "mp", {}).value();
  const std::string p1(150, '1'), p2(150, '2'), p3(10, '3');
  for (auto [n, data] : {std::pair{1u, p1}, {2u, p2}, {3u, p3}}) {
    StringSource source(data);
    ASSERT_TRUE(vault_->upload_part("bucket", "mp", upload.upload_id, n, source, data.size(),
                                    ChecksumAlgorithm::kNone, {}));
  }
  const auto parts = vault_->list_parts("bucket", "mp", upload.upload_id, 0, 1000).value();
  ASSERT_EQ(parts.parts.size(), 3u);
  std::vector<CompletedPart> done;
  for (const auto& p : parts.parts) done.push_back({p.part_number, "\"" + p.etag + "\"", ""});
  // Out of order and unknown parts are refused.
  EXPECT_EQ(
      vault_->complete_upload("bucket", "mp", upload.upload_id, {done[1], done[0]}).error().code,
      ErrorCode::kInvalidPartOrder);
  EXPECT_EQ(
      vault_->complete_upload("bucket", "mp", upload.upload_id, {{1, "\"nope\"", ""}}).error().code,
      ErrorCode::kInvalidPart);
  // A part that was never uploaded is refused.
  EXPECT_EQ(vault_->complete_upload("bucket", "mp", upload.upload_id, {done[2], {4, "x", ""}})
                .error()
                .code,
            ErrorCode::kInvalidPart);
  auto object = vault_->complete_upload("bucket", "mp", upload.upload_id, done);
  ASSERT_TRUE(object) << object.error().message;
  const std::string etag_input = md5(p1) + md5(p2) + md5(p3);
  EXPECT_EQ(object->etag, hex_encode(md5(etag_input)) + "-3");
  EXPECT_EQ(read("mp"), p1 + p2 + p3);
  EXPECT_EQ(read("mp", 140, 20), std::string(10, '1') + std::string(10, '2'));
  EXPECT_EQ(vault_->abort_upload("bucket", "mp", upload.upload_id).error().code,
            ErrorCode::kNoSuchUpload);
}

TEST_F(VaultTest, EntityTooSmall) {
  auto upload = vault_->create_upload("bucket", "mp", {}).value();
  std::vector<CompletedPart> done;
  for (uint32_t n : {1u, 2u}) {
    StringSource source("tiny");
    auto part = vault_->upload_part("bucket", "mp", upload.upload_id, n, source, 4,
                                    ChecksumAlgorithm::kNone, {});
    ASSERT_TRUE(part);
    done.push_back({n, part->etag, ""});
  }
  EXPECT_EQ(vault_->complete_upload("bucket", "mp", upload.upload_id, done).error().code,
            ErrorCode::kEntityTooSmall);
}

TEST_F(VaultTest, BucketNames) {
  EXPECT_TRUE(is_valid_bucket_name("my-bucket.2026"));
  EXPECT_FALSE(is_valid_bucket_name("ab"));
  EXPECT_FALSE(is_valid_bucket_name("UPPER"));
  EXPECT_FALSE(is_valid_bucket_name("a..b"));
  EXPECT_FALSE(is_valid_bucket_name("192.168.1.1"));
  EXPECT_FALSE(is_valid_bucket_name("-abc"));
  EXPECT_FALSE(is_valid_bucket_name("xn--abc"));
  EXPECT_FALSE(is_valid_bucket_name(std::string(64, 'a')));
}

}  // namespace
}  // namespace cv::vault

namespace cv::vault {
namespace {

TEST_F(VaultTest, DeletedBucketIsNotServedFromCache) {
  ASSERT_TRUE(vault_->get_bucket("bucket"));  // cached
  ASSERT_TRUE(vault_->delete_bucket("bucket"));
  EXPECT_EQ(vault_->get_bucket("bucket").error().code, ErrorCode::kNoSuchBucket);
  ASSERT_TRUE(vault_->create_bucket("bucket", "someone-else"));
  EXPECT_EQ(vault_->get_bucket("bucket").value().owner_id, "someone-else");
}

}  // namespace
}  // namespace cv::vault

namespace cv::vault {
namespace {

// Delivers a large body in uneven pieces, as the network does.
class UnevenSource final : public ByteSource {
 public:
  explicit UnevenSource(uint64_t size) : size_(size) {}
  Result<size_t> read(std::span<char> out) override {
    const size_t step = 1 + (offset_ * 7919) % 150000;
    const size_t n = static_cast<size_t>(std::min<uint64_t>({out.size(), step, size_ - offset_}));
    for (size_t i = 0; i < n; ++i) out[i] = static_cast<char>((offset_ + i) * 31 % 251);
    offset_ += n;
    return n;
  }

 private:
  uint64_t size_;
  uint64_t offset_ = 0;
};

TEST_F(VaultTest, LargeBodiesArePipelinedAndIntact) {
  const uint64_t size = (9 << 20) + 12345;  // over the pipelining threshold, not whole MiBs
  std::string expected(size, '\0');
  for (uint64_t i = 0; i < size; ++i) expected[i] = static_cast<char>(i * 31 % 251);
  UnevenSource source(size);
  PutObjectInput input{"bucket", "big", {}, &source, size, {}};
  auto object = vault_->put_object(input);
  ASSERT_TRUE(object) << object.error().message;
  EXPECT_EQ(object->etag, hex_encode(md5(expected)));
  EXPECT_EQ(read("big"), expected);
}

TEST_F(VaultTest, PipelinedBodyCutShortLeavesNothing) {
  UnevenSource source(6 << 20);
  PutObjectInput input{"bucket", "big", {}, &source, 8 << 20, {}};
  EXPECT_EQ(vault_->put_object(input).error().code, ErrorCode::kIncompleteBody);
  EXPECT_EQ(blob_count(), 0u);
  EXPECT_TRUE(fs::is_empty(dir_ / "tmp"));
}

}  // namespace
}  // namespace cv::vault
