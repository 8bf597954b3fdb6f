// The MetaStore conformance tests for how bodies are kept (fixture in
// meta_store_conformance.h): encryption, blob codecs, restored copies, upload encryption.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "meta_store_conformance.h"

namespace cv::meta::conformance {
namespace {

TEST_P(MetaStoreConformance, EncryptionAndBlobCodecsRoundTrip) {
  create_bucket("b");
  ObjectVersion object = make_blob_object("b", "k", {"blob-1", "blob-2"});
  object.blobs[1].stored_size = 77;
  object.blobs[1].codec = "zstd";
  object.encryption.mode = EncryptionMode::kCustomer;
  object.encryption.wrapped_key = std::string("\0\x01wrapped\xff", 10);
  object.encryption.customer_key_md5 = "bWQ1";
  ASSERT_TRUE(store().put_object(object));

  auto read = store().get_object("b", "k", "");
  ASSERT_TRUE(read && *read);
  const ObjectVersion& got = **read;
  ASSERT_EQ(got.blobs.size(), 2u);
  EXPECT_EQ(got.blobs[0].stored_size, 0u);
  EXPECT_EQ(got.blobs[0].codec, "");
  EXPECT_EQ(got.blobs[1].stored_size, 77u);
  EXPECT_EQ(got.blobs[1].codec, "zstd");
  EXPECT_EQ(got.encryption.mode, EncryptionMode::kCustomer);
  EXPECT_EQ(got.encryption.wrapped_key, object.encryption.wrapped_key);
  EXPECT_EQ(got.encryption.customer_key_md5, "bWQ1");
  EXPECT_FALSE(got.restore.has_value());
}

TEST_P(MetaStoreConformance, PlainObjectsHaveNoEncryption) {
  create_bucket("b");
  ASSERT_TRUE(store().put_object(make_object("b", "k")));
  auto read = store().get_object("b", "k", "");
  ASSERT_TRUE(read && *read);
  EXPECT_EQ((*read)->encryption.mode, EncryptionMode::kNone);
  EXPECT_TRUE((*read)->encryption.wrapped_key.empty());
}

TEST_P(MetaStoreConformance, RestoredCopyBlobsAreReferencedUntilTheVersionGoes) {
  create_bucket("b");
  ObjectVersion object = make_blob_object("b", "k", {"archived"});
  object.storage_class = "GLACIER";
  object.restore = Restore{.ongoing = false, .expiry_ns = 42, .days = 3};
  object.restore->blobs.push_back(BlobRef{.blob_id = "restored", .size = 1024});
  ASSERT_TRUE(store().put_object(object));
  auto read = store().get_object("b", "k", "");
  ASSERT_TRUE(read && *read);
  ASSERT_TRUE((*read)->restore.has_value());
  EXPECT_EQ((*read)->restore->expiry_ns, 42);
  EXPECT_EQ((*read)->restore->days, 3);
  ASSERT_EQ((*read)->restore->blobs.size(), 1u);
  EXPECT_EQ((*read)->restore->blobs[0].blob_id, "restored");
  EXPECT_TRUE(*store().blob_in_use("restored"));

  ASSERT_TRUE(store().delete_object("b", "k", ""));
  EXPECT_FALSE(*store().blob_in_use("restored"));
  auto garbage = store().take_garbage(10);
  ASSERT_TRUE(garbage);
  EXPECT_NE(std::find(garbage->begin(), garbage->end(), "restored"), garbage->end());
  EXPECT_NE(std::find(garbage->begin(), garbage->end(), "archived"), garbage->end());
}

TEST_P(MetaStoreConformance, UploadsKeepTheirEncryption) {
  create_bucket("b");
  MultipartUpload upload;
  upload.upload_id = "u1";
  upload.bucket = "b";
  upload.key = "k";
  upload.owner_id = kOwner;
  upload.object.encryption.mode = EncryptionMode::kS3;
  upload.object.encryption.wrapped_key = "sealed-key";
  auto created = store().create_upload(upload);
  ASSERT_TRUE(created) << created.error().message;
  auto read = store().get_upload("b", "u1");
  ASSERT_TRUE(read && *read);
  EXPECT_EQ((*read)->object.encryption.mode, EncryptionMode::kS3);
  EXPECT_EQ((*read)->object.encryption.wrapped_key, "sealed-key");
}

}  // namespace
}  // namespace cv::meta::conformance
