// The MetaStore conformance tests for master key rotation (fixture in
// meta_store_conformance.h): reseal_master_secrets visits every secret sealed under the
// master key once, leaves everything else alone, and commits in atomic batches.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "meta_store_conformance.h"

namespace cv::meta::conformance {
namespace {

using Kind = MetaStore::SealedSecret::Kind;

// Helpers over the store under test (the fixture's store()).
void add_key(MetaStore& store, const std::string& id, const std::string& sealed) {
  ASSERT_TRUE(store.put_access_key(AccessKey{id, kOwner, sealed, 1}));
}

void add_object(MetaStore& store, const std::string& key, EncryptionMode mode,
                const std::string& wrapped, const std::string& version_id = "null") {
  ObjectVersion object = make_object("b", key, "sealed body bytes");
  object.version_id = version_id;
  object.encryption.mode = mode;
  object.encryption.wrapped_key = wrapped;
  if (mode == EncryptionMode::kCustomer) object.encryption.customer_key_md5 = "bWQ1";
  ASSERT_TRUE(store.put_object(object));
}

void add_upload(MetaStore& store, const std::string& id, EncryptionMode mode,
                const std::string& wrapped) {
  MultipartUpload upload;
  upload.upload_id = id;
  upload.bucket = "b";
  upload.key = "up-" + id;
  upload.initiated_ns = 1;
  upload.owner_id = kOwner;
  upload.object.encryption.mode = mode;
  upload.object.encryption.wrapped_key = wrapped;
  ASSERT_TRUE(store.create_upload(upload));
}

std::string key_secret(MetaStore& store, const std::string& id) {
  auto key = store.get_access_key(id);
  EXPECT_TRUE(key && *key);
  return key && *key ? (*key)->sealed_secret : "";
}

Encryption object_encryption(MetaStore& store, const std::string& key,
                             const std::string& version_id = "") {
  auto object = store.get_object("b", key, version_id);
  EXPECT_TRUE(object && *object);
  return object && *object ? (*object)->encryption : Encryption{};
}

Encryption upload_encryption(MetaStore& store, const std::string& id) {
  auto upload = store.get_upload("b", id);
  EXPECT_TRUE(upload && *upload);
  return upload && *upload ? (*upload)->object.encryption : Encryption{};
}

// Prefixes what it is given with "new:" and records what it saw.
struct Recorder {
  std::vector<MetaStore::SealedSecret> seen;
  MetaStore::ResealFunction function() {
    return [this](const MetaStore::SealedSecret& secret) -> Result<std::string> {
      seen.push_back(secret);
      return "new:" + secret.sealed;
    };
  }
};

TEST_P(MetaStoreConformance, ResealVisitsEveryMasterSealedSecretOnceAndLeavesTheRest) {
  create_bucket("b");
  add_key(store(), "AKIA1", std::string("\0sealed-1\xff", 10));
  add_key(store(), "AKIA2", "sealed-2");
  ASSERT_TRUE(store().put_bucket_config("b", "versioning", "Enabled"));
  add_object(store(), "s3-object", EncryptionMode::kS3, "wrapped-old", "v1");
  add_object(store(), "s3-object", EncryptionMode::kS3, "wrapped-new", "v2");  // v1 is noncurrent
  add_object(store(), "sse-c-object", EncryptionMode::kCustomer, "customer-wrapped");
  add_object(store(), "plain-object", EncryptionMode::kNone, "");
  add_upload(store(), "u-s3", EncryptionMode::kS3, "upload-wrapped");
  add_upload(store(), "u-c", EncryptionMode::kCustomer, "upload-customer-wrapped");
  add_upload(store(), "u-plain", EncryptionMode::kNone, "");

  Recorder recorder;
  auto visited = store().reseal_master_secrets(recorder.function(), 2);
  ASSERT_TRUE(visited) << visited.error().message;
  EXPECT_EQ(*visited, 5u);
  ASSERT_EQ(recorder.seen.size(), 5u);
  std::map<Kind, std::multiset<std::string>> by_kind;
  for (const auto& secret : recorder.seen) by_kind[secret.kind].insert(secret.sealed);
  EXPECT_EQ(by_kind[Kind::kAccessKeySecret],
            (std::multiset<std::string>{std::string("\0sealed-1\xff", 10), "sealed-2"}));
  EXPECT_EQ(by_kind[Kind::kObjectDataKey],
            (std::multiset<std::string>{"wrapped-old", "wrapped-new"}));
  EXPECT_EQ(by_kind[Kind::kUploadDataKey], (std::multiset<std::string>{"upload-wrapped"}));
  // Access keys are named by their id (their seal's context).
  std::set<std::string> key_owners;
  for (const auto& secret : recorder.seen) {
    if (secret.kind == Kind::kAccessKeySecret) key_owners.insert(secret.owner);
  }
  EXPECT_EQ(key_owners, (std::set<std::string>{"AKIA1", "AKIA2"}));

  EXPECT_EQ(key_secret(store(), "AKIA1"), "new:" + std::string("\0sealed-1\xff", 10));
  EXPECT_EQ(key_secret(store(), "AKIA2"), "new:sealed-2");
  EXPECT_EQ(object_encryption(store(), "s3-object", "v1").wrapped_key, "new:wrapped-old");
  EXPECT_EQ(object_encryption(store(), "s3-object", "v2").wrapped_key, "new:wrapped-new");
  EXPECT_EQ(object_encryption(store(), "s3-object", "v2").mode, EncryptionMode::kS3);
  const Encryption customer = object_encryption(store(), "sse-c-object");
  EXPECT_EQ(customer.wrapped_key, "customer-wrapped");
  EXPECT_EQ(customer.customer_key_md5, "bWQ1");
  EXPECT_EQ(object_encryption(store(), "plain-object").mode, EncryptionMode::kNone);
  EXPECT_EQ(upload_encryption(store(), "u-s3").wrapped_key, "new:upload-wrapped");
  EXPECT_EQ(upload_encryption(store(), "u-c").wrapped_key, "upload-customer-wrapped");
  EXPECT_EQ(upload_encryption(store(), "u-plain").mode, EncryptionMode::kNone);
  // The objects are otherwise untouched: bodies, currency.
  auto current = store().get_object("b", "s3-object", "");
  ASSERT_TRUE(current && *current);
  EXPECT_EQ((*current)->version_id, "v2");
  EXPECT_EQ((*current)->inline_data, "sealed body bytes");
}

TEST_P(MetaStoreConformance, ResealKeepsTheRestoreStateOfAnArchivedVersion) {
  create_bucket("b");
  ObjectVersion object = make_blob_object("b", "archived", {"blob-1"});
  object.storage_class = "GLACIER";
  object.encryption.mode = EncryptionMode::kS3;
  object.encryption.wrapped_key = "wrapped";
  object.restore = Restore{.ongoing = false, .expiry_ns = 99, .days = 2};
  object.restore->blobs.push_back(BlobRef{.blob_id = "restored", .size = 1024});
  ASSERT_TRUE(store().put_object(object));
  Recorder recorder;
  ASSERT_EQ(store().reseal_master_secrets(recorder.function(), 10).value_or(0), 1u);
  auto read = store().get_object("b", "archived", "");
  ASSERT_TRUE(read && *read);
  EXPECT_EQ((*read)->encryption.wrapped_key, "new:wrapped");
  ASSERT_TRUE((*read)->restore.has_value());
  EXPECT_EQ((*read)->restore->expiry_ns, 99);
  ASSERT_EQ((*read)->restore->blobs.size(), 1u);
  EXPECT_EQ((*read)->restore->blobs[0].blob_id, "restored");
  EXPECT_EQ((*read)->blobs.at(0).blob_id, "blob-1");
}

TEST_P(MetaStoreConformance, ResealAFailureKeepsCommittedBatchesAndRollsBackItsOwn) {
  create_bucket("b");
  for (int i = 1; i <= 5; ++i)
    add_key(store(), "AKIA" + std::to_string(i), "old-" + std::to_string(i));
  int calls = 0;
  auto failing = [&](const MetaStore::SealedSecret& secret) -> Result<std::string> {
    if (++calls == 4) return fail(ErrorCode::kInternalError, "reseal failed");
    return "new:" + secret.sealed;
  };
  auto outcome = store().reseal_master_secrets(failing, 2);
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().message, "reseal failed");
  // Batch {1,2} committed; batch {3,4} failed as a whole; 5 was never reached.
  EXPECT_EQ(key_secret(store(), "AKIA1"), "new:old-1");
  EXPECT_EQ(key_secret(store(), "AKIA2"), "new:old-2");
  EXPECT_EQ(key_secret(store(), "AKIA3"), "old-3");
  EXPECT_EQ(key_secret(store(), "AKIA4"), "old-4");
  EXPECT_EQ(key_secret(store(), "AKIA5"), "old-5");
  // Running again (as a resumed rotation does) reaches every secret.
  Recorder recorder;
  ASSERT_EQ(store().reseal_master_secrets(recorder.function(), 2).value_or(0), 5u);
  EXPECT_EQ(key_secret(store(), "AKIA1"), "new:new:old-1");
  EXPECT_EQ(key_secret(store(), "AKIA5"), "new:old-5");
}

TEST_P(MetaStoreConformance,
       ResealReturningTheSameBytesChangesNothingAndAnEmptyStoreVisitsNothing) {
  Recorder empty;
  EXPECT_EQ(store().reseal_master_secrets(empty.function(), 3).value_or(99), 0u);
  create_bucket("b");
  add_key(store(), "AKIA1", "same");
  add_object(store(), "k", EncryptionMode::kS3, "same-wrapped");
  auto identity = [](const MetaStore::SealedSecret& secret) -> Result<std::string> {
    return secret.sealed;
  };
  EXPECT_EQ(store().reseal_master_secrets(identity, 1).value_or(0), 2u);
  EXPECT_EQ(key_secret(store(), "AKIA1"), "same");
  EXPECT_EQ(object_encryption(store(), "k").wrapped_key, "same-wrapped");
}

TEST_P(MetaStoreConformance, ResealManyObjectsAcrossBatchBoundaries) {
  create_bucket("b");
  std::vector<ObjectVersion> objects;
  for (int i = 0; i < 37; ++i) {
    ObjectVersion object = make_object("b", "k" + std::to_string(i));
    // Every third object is plain: they do not count against the secrets.
    if (i % 3 != 0) {
      object.encryption.mode = EncryptionMode::kS3;
      object.encryption.wrapped_key = "w" + std::to_string(i);
    }
    objects.push_back(object);
  }
  put_all(objects);
  Recorder recorder;
  ASSERT_EQ(store().reseal_master_secrets(recorder.function(), 5).value_or(0), 24u);
  std::set<std::string> seen;
  for (const auto& secret : recorder.seen) seen.insert(secret.sealed);
  EXPECT_EQ(seen.size(), 24u);  // each once
  for (int i = 0; i < 37; ++i) {
    const Encryption encryption = object_encryption(store(), "k" + std::to_string(i));
    if (i % 3 == 0) {
      EXPECT_EQ(encryption.mode, EncryptionMode::kNone);
    } else {
      EXPECT_EQ(encryption.wrapped_key, "new:w" + std::to_string(i));
    }
  }
}

}  // namespace
}  // namespace cv::meta::conformance
