// Vault::copy_object and Vault::copy_part: directives, copies onto the same key, version
// sources, encryption re-keying, the caller's checks on the source and the errors of a source
// that is missing or cannot be read.
#include <gtest/gtest.h>

#include <string>

#include "core/encoding.h"
#include "core/hash.h"
#include "vault/temp_vault.h"
#include "vault/vault.h"

namespace cv::vault {
namespace {

using meta::EncryptionMode;

CustomerKey customer(char fill) {
  const std::string key(32, fill);
  return CustomerKey{key, base64_encode(md5(key))};
}

class VaultCopyTest : public ::testing::Test {
 protected:
  static VaultOptions small_options() {
    VaultOptions options;
    options.inline_threshold = 1024;
    options.min_part_size = 100;
    return options;
  }
  void SetUp() override {
    ASSERT_TRUE(vault_->create_bucket("src", "owner"));
    ASSERT_TRUE(vault_->create_bucket("dst", "owner"));
  }

  Result<meta::ObjectVersion> put(const std::string& bucket, const std::string& key,
                                  const std::string& body, meta::ObjectVersion attributes = {},
                                  EncryptionRequest encryption = {}) {
    StringSource source(body);
    PutObjectInput input{bucket, key, std::move(attributes), &source, body.size(), {}};
    input.encryption = std::move(encryption);
    return vault_->put_object(input);
  }

  // The whole body of the current (or the named) version.
  Result<std::string> read(const std::string& bucket, const std::string& key,
                           const CustomerKey* with = nullptr, const std::string& version = {}) {
    const auto object = CV_TRY(vault_->get_object(bucket, key, version));
    auto body = CV_TRY(vault_->open_body(object, 0, object.size, with));
    return read_all(*body, 1 << 30);
  }

  static CopyObjectRequest copy_of(const std::string& bucket, const std::string& key,
                                   const std::string& to_bucket, const std::string& to_key) {
    CopyObjectRequest request;
    request.source.bucket = bucket;
    request.source.key = key;
    request.bucket = to_bucket;
    request.key = to_key;
    return request;
  }

  static meta::ObjectVersion described(const std::string& type, const std::string& meta_value) {
    meta::ObjectVersion attributes;
    attributes.content_type = type;
    attributes.headers = {{"cache-control", "max-age=" + meta_value}};
    attributes.user_metadata = {{"color", meta_value}};
    attributes.tags = {{"tier", meta_value}};
    return attributes;
  }

  SystemClock clock_;
  testing::TempVault temp_{clock_, small_options(), std::string(32, 'M')};
  Vault* vault_ = &temp_.vault();
};

TEST_F(VaultCopyTest, CopyDirectiveKeepsTheSourcesMetadataAndTags) {
  ASSERT_TRUE(put("src", "a", std::string(3000, 'x'), described("text/plain", "red")));
  auto request = copy_of("src", "a", "dst", "b");
  // With kCopy, what the request brings for these is not used.
  request.attributes = described("image/png", "blue");
  request.attributes.owner_id = "copier";
  const auto copied = vault_->copy_object(request);
  ASSERT_TRUE(copied) << copied.error().message;
  EXPECT_EQ(copied->source_version_id, "null");
  const auto copy = vault_->get_object("dst", "b").value();
  EXPECT_EQ(copy.content_type, "text/plain");
  EXPECT_EQ(copy.user_metadata, (meta::StringPairs{{"color", "red"}}));
  EXPECT_EQ(copy.headers, (meta::StringPairs{{"cache-control", "max-age=red"}}));
  EXPECT_EQ(copy.tags, (meta::StringPairs{{"tier", "red"}}));
  EXPECT_EQ(copy.owner_id, "copier");  // the caller decides the owner
  EXPECT_EQ(copy.etag, copied->object.etag);
  EXPECT_EQ(read("dst", "b").value(), std::string(3000, 'x'));
  // The outbox names the copy as a copy.
  const auto events = vault_->events(0, 100).value();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().name, "s3:ObjectCreated:Copy");
  EXPECT_EQ(events.back().key, "b");
}

TEST_F(VaultCopyTest, ReplaceDirectivesTakeTheRequestsMetadataAndTags) {
  ASSERT_TRUE(put("src", "a", "body", described("text/plain", "red")));
  auto request = copy_of("src", "a", "dst", "b");
  request.attributes = described("image/png", "blue");
  request.metadata = CopyDirective::kReplace;
  ASSERT_TRUE(vault_->copy_object(request));
  auto copy = vault_->get_object("dst", "b").value();
  EXPECT_EQ(copy.content_type, "image/png");
  EXPECT_EQ(copy.user_metadata, (meta::StringPairs{{"color", "blue"}}));
  EXPECT_EQ(copy.tags, (meta::StringPairs{{"tier", "red"}}));  // tagging stays kCopy
  request.tagging = CopyDirective::kReplace;
  ASSERT_TRUE(vault_->copy_object(request));
  copy = vault_->get_object("dst", "b").value();
  EXPECT_EQ(copy.tags, (meta::StringPairs{{"tier", "blue"}}));
}

TEST_F(VaultCopyTest, SameKeyNeedsAChangeAndReplaceIsOne) {
  ASSERT_TRUE(put("src", "a", "body", described("text/plain", "red")));
  auto request = copy_of("src", "a", "src", "a");
  EXPECT_EQ(vault_->copy_object(request).error().code, ErrorCode::kInvalidRequest);
  EXPECT_EQ(vault_->get_object("src", "a").value().content_type, "text/plain");  // untouched
  request.metadata = CopyDirective::kReplace;
  request.attributes.content_type = "application/json";
  request.attributes.user_metadata = {{"color", "green"}};
  const auto copied = vault_->copy_object(request);
  ASSERT_TRUE(copied) << copied.error().message;
  const auto now = vault_->get_object("src", "a").value();
  EXPECT_EQ(now.content_type, "application/json");
  EXPECT_EQ(now.user_metadata, (meta::StringPairs{{"color", "green"}}));
  EXPECT_EQ(read("src", "a").value(), "body");
  // A storage class or an encryption asked for is a change too.
  auto to_ia = copy_of("src", "a", "src", "a");
  to_ia.storage_class = "STANDARD_IA";
  ASSERT_TRUE(vault_->copy_object(to_ia));
  EXPECT_EQ(vault_->get_object("src", "a").value().storage_class, "STANDARD_IA");
  auto encrypt = copy_of("src", "a", "src", "a");
  encrypt.encryption.mode = EncryptionMode::kS3;
  ASSERT_TRUE(vault_->copy_object(encrypt));
  EXPECT_EQ(vault_->get_object("src", "a").value().encryption.mode, EncryptionMode::kS3);
}

TEST_F(VaultCopyTest, ANamedVersionCopiesOntoItsOwnKey) {
  ASSERT_TRUE(vault_->set_versioning("src", Versioning::kEnabled));
  const auto first = put("src", "a", "first").value();
  ASSERT_TRUE(put("src", "a", "second"));
  auto request = copy_of("src", "a", "src", "a");
  request.source.version_id = first.version_id;
  const auto restored = vault_->copy_object(request);
  ASSERT_TRUE(restored) << restored.error().message;
  EXPECT_EQ(restored->source_version_id, first.version_id);
  EXPECT_NE(restored->object.version_id, first.version_id);
  EXPECT_EQ(read("src", "a").value(), "first");
  EXPECT_EQ(vault_->key_versions("src", "a").value().size(), 3u);
}

TEST_F(VaultCopyTest, RekeysEncryption) {
  const CustomerKey old_key = customer('a');
  const CustomerKey new_key = customer('b');
  const std::string body(5000, 'q');
  ASSERT_TRUE(put("src", "a", body, {}, EncryptionRequest{EncryptionMode::kCustomer, old_key}));
  // The source's key must come: none, or another, is refused before anything is written.
  auto request = copy_of("src", "a", "dst", "b");
  request.encryption = EncryptionRequest{EncryptionMode::kCustomer, new_key};
  EXPECT_EQ(vault_->copy_object(request).error().code, ErrorCode::kInvalidRequest);
  request.source.customer_key = new_key;
  EXPECT_EQ(vault_->copy_object(request).error().code, ErrorCode::kAccessDenied);
  EXPECT_EQ(vault_->get_object("dst", "b").error().code, ErrorCode::kNoSuchKey);
  // SSE-C under one key to SSE-C under another.
  request.source.customer_key = old_key;
  ASSERT_TRUE(vault_->copy_object(request));
  EXPECT_EQ(read("dst", "b", &new_key).value(), body);
  EXPECT_EQ(read("dst", "b", &old_key).error().code, ErrorCode::kAccessDenied);
  // SSE-C to SSE-S3, and SSE-S3 to plain (no default encryption on dst).
  request.encryption = EncryptionRequest{EncryptionMode::kS3, std::nullopt};
  request.key = "c";
  ASSERT_TRUE(vault_->copy_object(request));
  EXPECT_EQ(vault_->get_object("dst", "c").value().encryption.mode, EncryptionMode::kS3);
  EXPECT_EQ(read("dst", "c").value(), body);
  auto plain = copy_of("dst", "c", "dst", "d");
  ASSERT_TRUE(vault_->copy_object(plain));
  EXPECT_EQ(vault_->get_object("dst", "d").value().encryption.mode, EncryptionMode::kNone);
  EXPECT_EQ(read("dst", "d").value(), body);
}

TEST_F(VaultCopyTest, AMissingSourceFailsAsTheLookupDoes) {
  EXPECT_EQ(vault_->copy_object(copy_of("src", "nothing", "dst", "b")).error().code,
            ErrorCode::kNoSuchKey);
  EXPECT_EQ(vault_->copy_object(copy_of("nobucket", "a", "dst", "b")).error().code,
            ErrorCode::kNoSuchBucket);
  ASSERT_TRUE(vault_->set_versioning("src", Versioning::kEnabled));
  ASSERT_TRUE(put("src", "a", "body"));
  auto request = copy_of("src", "a", "dst", "b");
  request.source.version_id = "0000000000000000nosuchversion";
  EXPECT_EQ(vault_->copy_object(request).error().code, ErrorCode::kNoSuchVersion);
  // A caller that may not read the source learns nothing of it.
  request.source.lookup_error = Error{ErrorCode::kAccessDenied, "Access Denied"};
  EXPECT_EQ(vault_->copy_object(request).error().code, ErrorCode::kAccessDenied);
  // A current delete marker is no source.
  ASSERT_TRUE(vault_->delete_object("src", "a"));
  EXPECT_EQ(vault_->copy_object(copy_of("src", "a", "dst", "b")).error().code,
            ErrorCode::kNoSuchKey);
  EXPECT_EQ(vault_->get_object("dst", "b").error().code, ErrorCode::kNoSuchKey);
}

TEST_F(VaultCopyTest, ChecksRunInOrderBeforeAnythingIsWritten) {
  meta::ObjectVersion archived;
  archived.storage_class = "GLACIER";
  ASSERT_TRUE(put("src", "cold", "frozen", archived));
  std::vector<std::string> ran;
  auto request = copy_of("src", "cold", "dst", "b");
  request.source.admit = [&](const meta::ObjectVersion& object) -> Status {
    ran.push_back("admit:" + object.key);
    return {};
  };
  request.source.preconditions = [&](const meta::ObjectVersion&) -> Status {
    ran.push_back("preconditions");
    return fail(ErrorCode::kPreconditionFailed);
  };
  // An archived version is not readable: the preconditions never run.
  EXPECT_EQ(vault_->copy_object(request).error().code, ErrorCode::kInvalidObjectState);
  EXPECT_EQ(ran, (std::vector<std::string>{"admit:cold"}));
  ASSERT_TRUE(put("src", "warm", "readable"));
  request.source.key = "warm";
  EXPECT_EQ(vault_->copy_object(request).error().code, ErrorCode::kPreconditionFailed);
  EXPECT_EQ(ran, (std::vector<std::string>{"admit:cold", "admit:warm", "preconditions"}));
  // A refusal by admit ends it first.
  request.source.admit = [](const meta::ObjectVersion&) -> Status {
    return fail(ErrorCode::kAccessDenied);
  };
  EXPECT_EQ(vault_->copy_object(request).error().code, ErrorCode::kAccessDenied);
  EXPECT_EQ(vault_->get_object("dst", "b").error().code, ErrorCode::kNoSuchKey);
}

TEST_F(VaultCopyTest, CopyPartTakesARangeOfTheSource) {
  std::string body;
  for (int i = 0; i < 300; ++i) body += static_cast<char>('a' + i % 26);
  ASSERT_TRUE(put("src", "a", body));
  const auto upload = vault_->create_upload("dst", "mp", {}).value();
  CopyPartRequest request;
  request.source.bucket = "src";
  request.source.key = "a";
  request.bucket = "dst";
  request.key = "mp";
  request.upload_id = upload.upload_id;
  request.part_number = 1;
  request.range = CopyRange{10, 309};
  EXPECT_EQ(vault_->copy_part(request).error().code, ErrorCode::kInvalidRange);
  request.range = CopyRange{10, 209};
  const auto first = vault_->copy_part(request);
  ASSERT_TRUE(first) << first.error().message;
  request.part_number = 2;
  request.range.reset();
  const auto second = vault_->copy_part(request).value();
  ASSERT_TRUE(vault_->complete_upload("dst", "mp", upload.upload_id,
                                      {{1, first->etag, ""}, {2, second.etag, ""}}));
  EXPECT_EQ(read("dst", "mp").value(), body.substr(10, 200) + body);
}

}  // namespace
}  // namespace cv::vault
