// The MetaStore conformance tests for access control lists (fixture in
// meta_store_conformance.h): an object version's ACL document is stored with the version,
// replaced alone by put_object_acl, and carried by a multipart upload to its object. Bucket
// ACLs and ownership controls are bucket configurations (BucketConfigs covers those).
#include <gtest/gtest.h>

#include <string>

#include "meta_store_conformance.h"

namespace cv::meta::conformance {
namespace {

const std::string kAclA = "<AccessControlPolicy>a</AccessControlPolicy>";
const std::string kAclB = "<AccessControlPolicy>b</AccessControlPolicy>";

ObjectVersion stored(MetaStore& store, const std::string& bucket, const std::string& key,
                     const std::string& version_id = {}) {
  auto got = store.get_object(bucket, key, version_id);
  EXPECT_TRUE(got && got->has_value());
  return got && got->has_value() ? **got : ObjectVersion{};
}

TEST_P(MetaStoreConformance, ObjectAclIsStoredWithTheVersion) {
  create_bucket("b");
  ObjectVersion with_acl = make_object("b", "granted");
  with_acl.acl = kAclA;
  ASSERT_TRUE(store().put_object(with_acl));
  ASSERT_TRUE(store().put_object(make_object("b", "default")));

  EXPECT_EQ(stored(store(), "b", "granted").acl, kAclA);
  EXPECT_EQ(stored(store(), "b", "default").acl, "");
  reopen();
  EXPECT_EQ(stored(store(), "b", "granted").acl, kAclA);
  // A new version of the key comes with its own ACL (none: the default).
  ASSERT_TRUE(store().put_object(make_object("b", "granted", "new body")));
  EXPECT_EQ(stored(store(), "b", "granted").acl, "");
}

TEST_P(MetaStoreConformance, PutObjectAclReplacesOnlyTheAclOfOneVersion) {
  create_bucket("b");
  ObjectVersion v1 = make_object("b", "k", "one");
  v1.version_id = "v1";
  v1.tags = {{"t", "1"}};
  ObjectVersion v2 = make_object("b", "k", "two");
  v2.version_id = "v2";
  ASSERT_TRUE(store().put_object(v1));
  ASSERT_TRUE(store().put_object(v2));

  ASSERT_TRUE(store().put_object_acl("b", "k", "", kAclA));  // the current version: v2
  EXPECT_EQ(stored(store(), "b", "k", "v2").acl, kAclA);
  EXPECT_EQ(stored(store(), "b", "k", "v1").acl, "");

  ASSERT_TRUE(store().put_object_acl("b", "k", "v1", kAclB));
  const ObjectVersion after = stored(store(), "b", "k", "v1");
  EXPECT_EQ(after.acl, kAclB);
  EXPECT_EQ(after.inline_data, "one");
  EXPECT_EQ(after.tags, v1.tags);
  EXPECT_EQ(after.mtime_ns, v1.mtime_ns);
  EXPECT_FALSE(after.is_latest);  // its place in the history stays
  EXPECT_EQ(stored(store(), "b", "k").version_id, "v2");

  ASSERT_TRUE(store().put_object_acl("b", "k", "v2", ""));  // back to the default
  EXPECT_EQ(stored(store(), "b", "k", "v2").acl, "");
}

TEST_P(MetaStoreConformance, PutObjectAclNeedsBucketKeyAndVersion) {
  EXPECT_EQ(error_of(store().put_object_acl("none", "k", "", kAclA)), ErrorCode::kNoSuchBucket);
  create_bucket("b");
  EXPECT_EQ(error_of(store().put_object_acl("b", "k", "", kAclA)), ErrorCode::kNoSuchKey);
  ASSERT_TRUE(store().put_object(make_object("b", "k")));
  EXPECT_EQ(error_of(store().put_object_acl("b", "k", "v9", kAclA)), ErrorCode::kNoSuchVersion);
  EXPECT_EQ(stored(store(), "b", "k").acl, "");
}

TEST_P(MetaStoreConformance, UploadCarriesItsAclToTheCompletedObject) {
  create_bucket("b");
  MultipartUpload upload = make_upload("b", "big", "up");
  upload.object.acl = kAclA;
  ASSERT_TRUE(store().create_upload(upload));
  auto got = store().get_upload("b", "up");
  ASSERT_TRUE(got && got->has_value());
  EXPECT_EQ((*got)->object.acl, kAclA);
  ASSERT_TRUE(store().put_part(make_part("up", 1, "p1")));

  ObjectVersion object = make_blob_object("b", "big", {"p1"});
  object.acl = (*got)->object.acl;
  object.parts_count = 1;
  ASSERT_TRUE(store().complete_upload("up", object));
  EXPECT_EQ(stored(store(), "b", "big").acl, kAclA);
}

}  // namespace
}  // namespace cv::meta::conformance
