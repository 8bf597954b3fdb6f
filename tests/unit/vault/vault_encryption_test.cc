// Encryption at rest through the Vault: SSE-S3, SSE-C and bucket default encryption for
// inline, blob and multipart bodies; what lands on disk; keys and their errors; damage.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "blob/local/local_blob_store.h"
#include "core/encoding.h"
#include "core/hash.h"
#include "meta/sqlite/sqlite_meta_store.h"
#include "vault/body_encryption.h"
#include "vault/vault.h"

namespace cv::vault {
namespace {

namespace fs = std::filesystem;
using meta::EncryptionMode;

std::string random_text(size_t size, uint32_t seed) {
  std::mt19937 generator(seed);
  std::string out(size, '\0');
  for (char& c : out) c = static_cast<char>(generator());
  return out;
}

CustomerKey customer(char fill) {
  const std::string key(32, fill);
  return CustomerKey{key, base64_encode(md5(key))};
}

EncryptionRequest sse_s3() { return EncryptionRequest{EncryptionMode::kS3, std::nullopt}; }
EncryptionRequest sse_c(const CustomerKey& key) {
  return EncryptionRequest{EncryptionMode::kCustomer, key};
}

class VaultEncryptionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cv-vault-sse-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    meta_ = meta::open_sqlite_meta_store({.path = dir_ / "meta.db"}).value();
    blobs_ = blob::open_local_blob_store(dir_).value();
    VaultOptions options;
    options.inline_threshold = 1024;
    options.min_part_size = 100;
    vault_ = std::make_unique<Vault>(*meta_, *blobs_, clock_, options, std::string(32, 'M'));
    ASSERT_TRUE(vault_->create_bucket("bucket", "owner"));
  }
  void TearDown() override {
    vault_.reset();
    meta_.reset();
    blobs_.reset();
    fs::remove_all(dir_);
  }

  Result<meta::ObjectVersion> put(const std::string& key, const std::string& body,
                                  EncryptionRequest encryption = {}) {
    StringSource source(body);
    PutObjectInput input{"bucket", key, {}, &source, body.size(), {}};
    input.encryption = std::move(encryption);
    return vault_->put_object(input);
  }

  Result<std::string> read(const std::string& key, uint64_t offset = 0,
                           uint64_t length = UINT64_MAX, const CustomerKey* with = nullptr) {
    auto object = CV_TRY(vault_->get_object("bucket", key));
    auto body =
        CV_TRY(vault_->open_body(object, offset, std::min(length, object.size - offset), with));
    return read_all(*body, 1 << 30);
  }

  // Every byte the store keeps: the database files and every blob.
  std::string everything_on_disk() {
    std::string all;
    for (const auto& entry : fs::recursive_directory_iterator(dir_)) {
      if (!entry.is_regular_file()) continue;
      std::ifstream file(entry.path(), std::ios::binary);
      all.append(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
    }
    return all;
  }

  fs::path only_blob_file() {
    std::vector<fs::path> found;
    for (const auto& entry : fs::recursive_directory_iterator(dir_ / "blobs")) {
      if (entry.is_regular_file()) found.push_back(entry.path());
    }
    EXPECT_EQ(found.size(), 1u);
    return found.empty() ? fs::path() : found[0];
  }

  fs::path dir_;
  SystemClock clock_;
  std::unique_ptr<meta::MetaStore> meta_;
  std::unique_ptr<blob::BlobStore> blobs_;
  std::unique_ptr<Vault> vault_;
};

TEST_F(VaultEncryptionTest, SseS3InlineAndBlobBodiesAreSealedAndReadBack) {
  const std::string small = random_text(300, 1);
  const std::string large = random_text(200'000, 2);
  auto a = put("small", small, sse_s3());
  auto b = put("large", large, sse_s3());
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->encryption.mode, EncryptionMode::kS3);
  EXPECT_EQ(a->etag, hex_encode(md5(small)));  // SSE-S3 ETags are the plaintext's MD5, as S3
  auto stored_small = vault_->get_object("bucket", "small").value();
  EXPECT_EQ(stored_small.inline_data.size(), sealed_piece_size(small.size()));
  EXPECT_EQ(stored_small.encryption.mode, EncryptionMode::kS3);
  EXPECT_NE(stored_small.encryption.wrapped_key.size(), 0u);
  auto stored_large = vault_->get_object("bucket", "large").value();
  ASSERT_EQ(stored_large.blobs.size(), 1u);
  EXPECT_EQ(stored_large.blobs[0].size, large.size());
  EXPECT_EQ(stored_large.blobs[0].stored_size, sealed_piece_size(large.size()));
  EXPECT_EQ(fs::file_size(only_blob_file()), sealed_piece_size(large.size()));

  EXPECT_EQ(read("small").value(), small);
  EXPECT_EQ(read("large").value(), large);
  EXPECT_EQ(read("large", 65530, 20).value(), large.substr(65530, 20));
  EXPECT_EQ(read("small", 299, 1).value(), small.substr(299));

  const std::string disk = everything_on_disk();
  EXPECT_EQ(disk.find(small.substr(100, 48)), std::string::npos);
  EXPECT_EQ(disk.find(large.substr(100'000, 48)), std::string::npos);
  // The search itself works: a plain object's bytes are found.
  const std::string plain = random_text(300, 3);
  ASSERT_TRUE(put("plain", plain));
  EXPECT_NE(everything_on_disk().find(plain.substr(100, 48)), std::string::npos);
}

TEST_F(VaultEncryptionTest, UnknownLengthBodiesSpillingToBlobsAreSealed) {
  const std::string body = random_text(5000, 4);
  StringSource source(body);
  PutObjectInput input{"bucket", "k", {}, &source, std::nullopt, {}};
  input.encryption = sse_s3();
  ASSERT_TRUE(vault_->put_object(input));
  auto stored = vault_->get_object("bucket", "k").value();
  ASSERT_EQ(stored.blobs.size(), 1u);
  EXPECT_EQ(stored.blobs[0].stored_size, sealed_piece_size(body.size()));
  EXPECT_EQ(read("k").value(), body);
  EXPECT_EQ(everything_on_disk().find(body.substr(2000, 48)), std::string::npos);
}

TEST_F(VaultEncryptionTest, EmptyBodiesEncryptToo) {
  auto object = put("empty", "", sse_s3());
  ASSERT_TRUE(object);
  auto stored = vault_->get_object("bucket", "empty").value();
  EXPECT_EQ(stored.size, 0u);
  EXPECT_EQ(stored.inline_data.size(), sealed_piece_size(0));
  EXPECT_EQ(read("empty").value(), "");
}

TEST_F(VaultEncryptionTest, MultipartPartsShareTheUploadKeyAndRangesCrossParts) {
  auto upload = vault_->create_upload("bucket", "mp", {}, sse_s3()).value();
  EXPECT_EQ(upload.object.encryption.mode, EncryptionMode::kS3);
  const std::string p1 = random_text(70'000, 5), p2 = random_text(150, 6), p3 = random_text(9, 7);
  std::vector<CompletedPart> done;
  uint32_t number = 0;
  for (const std::string& data : {p1, p2, p3}) {
    StringSource source(data);
    auto part = vault_->upload_part("bucket", "mp", upload.upload_id, ++number, source, data.size(),
                                    ChecksumAlgorithm::kNone, {});
    ASSERT_TRUE(part) << part.error().message;
    EXPECT_EQ(part->etag, hex_encode(md5(data)));
    done.push_back({number, part->etag, ""});
  }
  auto object = vault_->complete_upload("bucket", "mp", upload.upload_id, done);
  ASSERT_TRUE(object) << object.error().message;
  EXPECT_EQ(object->encryption.mode, EncryptionMode::kS3);
  EXPECT_EQ(object->encryption.wrapped_key, upload.object.encryption.wrapped_key);
  auto stored = vault_->get_object("bucket", "mp").value();
  ASSERT_EQ(stored.blobs.size(), 3u);
  EXPECT_EQ(stored.blobs[0].stored_size, sealed_piece_size(p1.size()));
  EXPECT_EQ(stored.blobs[2].stored_size, sealed_piece_size(p3.size()));
  const std::string whole = p1 + p2 + p3;
  EXPECT_EQ(read("mp").value(), whole);
  EXPECT_EQ(read("mp", 65535, 2).value(), whole.substr(65535, 2));
  EXPECT_EQ(read("mp", 69'990, 170).value(), whole.substr(69'990, 170));  // parts 1 to 3
  EXPECT_EQ(read("mp", 70'150, 9).value(), p3);
  EXPECT_EQ(everything_on_disk().find(p1.substr(30'000, 48)), std::string::npos);
}

TEST_F(VaultEncryptionTest, SseCNeedsTheRightKeyAndNeverStoresIt) {
  const CustomerKey key = customer('c');
  const std::string body = random_text(4000, 8);
  auto object = put("secret", body, sse_c(key));
  ASSERT_TRUE(object) << object.error().message;
  EXPECT_EQ(object->encryption.mode, EncryptionMode::kCustomer);
  EXPECT_EQ(object->encryption.customer_key_md5, key.key_md5);
  EXPECT_NE(object->etag, hex_encode(md5(body)));  // not the plaintext's MD5, as S3

  EXPECT_EQ(read("secret", 0, UINT64_MAX, &key).value(), body);
  EXPECT_EQ(read("secret", 100, 10, &key).value(), body.substr(100, 10));
  auto without = read("secret");
  ASSERT_FALSE(without);
  EXPECT_EQ(without.error().code, ErrorCode::kInvalidRequest);
  EXPECT_EQ(without.error().message,
            "The object was stored using a form of Server Side Encryption. The correct "
            "parameters must be provided to retrieve the object.");
  const CustomerKey wrong = customer('w');
  EXPECT_EQ(read("secret", 0, UINT64_MAX, &wrong).error().code, ErrorCode::kAccessDenied);
  // The right MD5 with another key (a forged header) fails to unwrap: still AccessDenied.
  CustomerKey forged = wrong;
  forged.key_md5 = key.key_md5;
  EXPECT_EQ(read("secret", 0, UINT64_MAX, &forged).error().code, ErrorCode::kAccessDenied);
  const auto stored = vault_->get_object("bucket", "secret").value();
  EXPECT_EQ(vault_->check_customer_key(stored, nullptr).error().code, ErrorCode::kInvalidRequest);
  EXPECT_TRUE(vault_->check_customer_key(stored, &key));
  // A key for an object that is not SSE-C.
  ASSERT_TRUE(put("plain", "plain body"));
  EXPECT_EQ(read("plain", 0, UINT64_MAX, &key).error().code, ErrorCode::kInvalidRequest);
  ASSERT_TRUE(put("s3", "s3 body", sse_s3()));
  EXPECT_EQ(read("s3", 0, UINT64_MAX, &key).error().code, ErrorCode::kInvalidRequest);

  const std::string disk = everything_on_disk();
  EXPECT_EQ(disk.find(key.key), std::string::npos);
  EXPECT_EQ(disk.find(body.substr(1000, 48)), std::string::npos);
}

TEST_F(VaultEncryptionTest, SseCMultipartPartsNeedTheUploadKey) {
  const CustomerKey key = customer('u');
  auto upload = vault_->create_upload("bucket", "mp", {}, sse_c(key)).value();
  const std::string data = random_text(200, 9);
  auto upload_part = [&](uint32_t number, const CustomerKey* with) {
    StringSource source(data);
    return vault_->upload_part("bucket", "mp", upload.upload_id, number, source, data.size(),
                               ChecksumAlgorithm::kNone, {}, with);
  };
  auto missing = upload_part(1, nullptr);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kInvalidRequest);
  EXPECT_EQ(missing.error().message,
            "The multipart upload initiate requested encryption. Subsequent part requests must "
            "include the appropriate encryption parameters.");
  const CustomerKey wrong = customer('v');
  auto mismatched = upload_part(1, &wrong);
  ASSERT_FALSE(mismatched);
  EXPECT_EQ(mismatched.error().code, ErrorCode::kInvalidRequest);
  EXPECT_EQ(mismatched.error().message,
            "The provided encryption parameters did not match the ones used originally.");
  auto p1 = upload_part(1, &key);
  auto p2 = upload_part(2, &key);
  ASSERT_TRUE(p1 && p2);
  auto object = vault_->complete_upload("bucket", "mp", upload.upload_id,
                                        {{1, p1->etag, ""}, {2, p2->etag, ""}});
  ASSERT_TRUE(object) << object.error().message;
  EXPECT_EQ(object->encryption.customer_key_md5, key.key_md5);
  EXPECT_EQ(read("mp", 0, UINT64_MAX, &key).value(), data + data);
  EXPECT_EQ(read("mp").error().code, ErrorCode::kInvalidRequest);
  // A plain upload refuses a key.
  auto plain = vault_->create_upload("bucket", "plain-mp", {}).value();
  StringSource source(data);
  EXPECT_EQ(vault_
                ->upload_part("bucket", "plain-mp", plain.upload_id, 1, source, data.size(),
                              ChecksumAlgorithm::kNone, {}, &key)
                .error()
                .code,
            ErrorCode::kInvalidRequest);
}

TEST_F(VaultEncryptionTest, BucketDefaultEncryptionAppliesToWritesThatNameNone) {
  EXPECT_FALSE(vault_->default_encryption("bucket").value().has_value());
  EXPECT_EQ(vault_->default_encryption("nobucket").error().code, ErrorCode::kNoSuchBucket);
  ASSERT_TRUE(vault_->set_default_encryption("bucket", DefaultEncryption{}));
  EXPECT_EQ(vault_->default_encryption("bucket").value()->algorithm, "AES256");
  auto object = put("defaulted", "body under the default");
  ASSERT_TRUE(object);
  EXPECT_EQ(object->encryption.mode, EncryptionMode::kS3);
  EXPECT_EQ(read("defaulted").value(), "body under the default");
  auto upload = vault_->create_upload("bucket", "mp", {}).value();
  EXPECT_EQ(upload.object.encryption.mode, EncryptionMode::kS3);
  // SSE-C asked for explicitly wins over the default.
  const CustomerKey key = customer('d');
  EXPECT_EQ(put("customer", "x", sse_c(key))->encryption.mode, EncryptionMode::kCustomer);
  // The configuration survives a new Vault (it is stored, not only cached).
  Vault again(*meta_, *blobs_, clock_, vault_->options(), std::string(32, 'M'));
  EXPECT_TRUE(again.default_encryption("bucket").value().has_value());
  ASSERT_TRUE(vault_->set_default_encryption("bucket", std::nullopt));
  EXPECT_FALSE(vault_->default_encryption("bucket").value().has_value());
  EXPECT_EQ(put("after", "plain again")->encryption.mode, EncryptionMode::kNone);
  // A bucket deleted and made again starts without the old default.
  ASSERT_TRUE(vault_->create_bucket("other", "owner"));
  ASSERT_TRUE(vault_->set_default_encryption("other", DefaultEncryption{}));
  ASSERT_TRUE(vault_->delete_bucket("other"));
  ASSERT_TRUE(vault_->create_bucket("other", "owner"));
  EXPECT_FALSE(vault_->default_encryption("other").value().has_value());
}

TEST_F(VaultEncryptionTest, WithoutAMasterKeySseS3FailsAndOtherKeysCannotRead) {
  Vault keyless(*meta_, *blobs_, clock_, vault_->options());
  StringSource source("x");
  PutObjectInput input{"bucket", "k", {}, &source, 1, {}};
  input.encryption = sse_s3();
  EXPECT_EQ(keyless.put_object(input).error().code, ErrorCode::kInternalError);
  ASSERT_TRUE(put("k", "sealed under M", sse_s3()));
  Vault other_key(*meta_, *blobs_, clock_, vault_->options(), std::string(32, 'N'));
  const auto object = other_key.get_object("bucket", "k").value();
  EXPECT_EQ(other_key.open_body(object, 0, object.size).error().code, ErrorCode::kInternalError);
}

TEST_F(VaultEncryptionTest, DamagedBlobsFailTheReadInsteadOfReturningWrongBytes) {
  const std::string body = random_text(3 * 65536, 10);
  ASSERT_TRUE(put("k", body, sse_s3()));
  const fs::path file = only_blob_file();
  auto flip = [&](uint64_t offset) {
    std::fstream stream(file, std::ios::in | std::ios::out | std::ios::binary);
    stream.seekg(static_cast<std::streamoff>(offset));
    char byte = 0;
    stream.read(&byte, 1);
    byte = static_cast<char>(byte ^ 1);
    stream.seekp(static_cast<std::streamoff>(offset));
    stream.write(&byte, 1);
  };
  const auto object = vault_->get_object("bucket", "k").value();
  // Damage in the third segment: opening succeeds (the first segment is sound), the stream
  // fails when it gets there.
  flip(8 + 2 * (65536 + 16) + 100);
  auto body_stream = vault_->open_body(object, 0, object.size);
  ASSERT_TRUE(body_stream);
  auto streamed = read_all(**body_stream, 1 << 30);
  ASSERT_FALSE(streamed);
  EXPECT_EQ(streamed.error().code, ErrorCode::kInternalError);
  // Damage in the first segment is found before open_body returns.
  flip(8 + 100);
  auto opened = vault_->open_body(object, 0, object.size);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::kInternalError);
  // A range within the sound middle segment still reads.
  EXPECT_EQ(read("k", 65536, 65536).value(), body.substr(65536, 65536));
}

TEST_F(VaultEncryptionTest, DamagedInlineRowsFailToo) {
  ASSERT_TRUE(put("k", "inline secret body", sse_s3()));
  auto object = vault_->get_object("bucket", "k").value();
  object.inline_data[12] ^= 4;
  auto opened = vault_->open_body(object, 0, object.size);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::kInternalError);
}

TEST_F(VaultEncryptionTest, CopyingReadsPlaintextAndSealsUnderTheNewKey) {
  const CustomerKey key = customer('s');
  const std::string body = random_text(3000, 11);
  ASSERT_TRUE(put("source", body, sse_c(key)));
  const auto source = vault_->get_object("bucket", "source").value();
  auto reader = vault_->open_body(source, 0, source.size, &key).value();
  PutObjectInput input{"bucket", "copy", {}, reader.get(), source.size, {}};
  input.encryption = sse_s3();
  auto copy = vault_->put_object(input);
  ASSERT_TRUE(copy);
  EXPECT_EQ(copy->encryption.mode, EncryptionMode::kS3);
  EXPECT_EQ(copy->etag, hex_encode(md5(body)));
  EXPECT_EQ(read("copy").value(), body);
}

}  // namespace
}  // namespace cv::vault
