// The MetaStore conformance tests (fixture in meta_store_conformance.h). Implementations
// instantiate MetaStoreConformance in their own test files.
#include "meta_store_conformance.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace cv::meta::conformance {
namespace {

// --- users and access keys ---------------------------------------------------------------

User make_user(std::string id_char, std::string name) {
  return User{std::string(64, id_char[0]), std::move(name), "Display " + id_char,
              id_char + "@example.com",    false,           42};
}

TEST_P(MetaStoreConformance, UsersRoundTripAndListByName) {
  User zed = make_user("1", "zed");
  User amy = make_user("2", "amy");
  amy.is_root = true;
  ASSERT_TRUE(store().put_user(zed));
  ASSERT_TRUE(store().put_user(amy));

  auto got = store().get_user(amy.id);
  ASSERT_TRUE(got && got->has_value());
  EXPECT_EQ((*got)->name, "amy");
  EXPECT_EQ((*got)->display_name, amy.display_name);
  EXPECT_EQ((*got)->email, amy.email);
  EXPECT_TRUE((*got)->is_root);
  EXPECT_EQ((*got)->created_ns, 42);

  auto by_name = store().find_user_by_name("zed");
  ASSERT_TRUE(by_name && by_name->has_value());
  EXPECT_EQ((*by_name)->id, zed.id);
  EXPECT_FALSE(store().find_user_by_name("nobody")->has_value());
  EXPECT_FALSE(store().get_user(std::string(64, '9'))->has_value());

  auto users = store().list_users();
  ASSERT_TRUE(users);
  ASSERT_EQ(users->size(), 2u);
  EXPECT_EQ((*users)[0].name, "amy");
  EXPECT_EQ((*users)[1].name, "zed");
}

TEST_P(MetaStoreConformance, PutUserReplacesById) {
  User user = make_user("1", "old-name");
  ASSERT_TRUE(store().put_user(user));
  user.name = "new-name";
  user.email = "changed@example.com";
  ASSERT_TRUE(store().put_user(user));
  EXPECT_FALSE(store().find_user_by_name("old-name")->has_value());
  auto got = store().find_user_by_name("new-name");
  ASSERT_TRUE(got && got->has_value());
  EXPECT_EQ((*got)->email, "changed@example.com");
  EXPECT_EQ(store().list_users()->size(), 1u);
}

TEST_P(MetaStoreConformance, UserNameIsUnique) {
  ASSERT_TRUE(store().put_user(make_user("1", "same")));
  auto second = store().put_user(make_user("2", "same"));
  EXPECT_FALSE(second);
  EXPECT_FALSE(store().get_user(std::string(64, '2'))->has_value());
}

TEST_P(MetaStoreConformance, AccessKeysCrud) {
  std::string binary_secret("\x00\x01\xffsealed", 9);
  ASSERT_TRUE(store().put_access_key(AccessKey{"CVKEYB", std::string(64, '1'), binary_secret, 7}));
  ASSERT_TRUE(store().put_access_key(AccessKey{"CVKEYA", std::string(64, '1'), "s2", 8}));
  ASSERT_TRUE(store().put_access_key(AccessKey{"CVKEYC", std::string(64, '2'), "s3", 9}));

  auto got = store().get_access_key("CVKEYB");
  ASSERT_TRUE(got && got->has_value());
  EXPECT_EQ((*got)->user_id, std::string(64, '1'));
  EXPECT_EQ((*got)->sealed_secret, binary_secret);
  EXPECT_EQ((*got)->created_ns, 7);
  EXPECT_FALSE(store().get_access_key("CVNOPE")->has_value());

  auto of_user = store().list_access_keys(std::string(64, '1'));
  ASSERT_TRUE(of_user);
  ASSERT_EQ(of_user->size(), 2u);
  EXPECT_EQ((*of_user)[0].access_key_id, "CVKEYA");
  EXPECT_EQ((*of_user)[1].access_key_id, "CVKEYB");
  auto all = store().list_access_keys("");
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[2].access_key_id, "CVKEYC");

  ASSERT_TRUE(store().put_access_key(AccessKey{"CVKEYA", std::string(64, '1'), "rotated", 10}));
  EXPECT_EQ((*store().get_access_key("CVKEYA"))->sealed_secret, "rotated");

  ASSERT_TRUE(store().delete_access_key("CVKEYA"));
  EXPECT_FALSE(store().get_access_key("CVKEYA")->has_value());
  EXPECT_EQ(error_of(store().delete_access_key("CVKEYA")), ErrorCode::kInvalidAccessKeyId);
  EXPECT_EQ(store().list_access_keys(std::string(64, '1'))->size(), 1u);
}

// --- buckets ------------------------------------------------------------------------------

TEST_P(MetaStoreConformance, CreateBucketConflicts) {
  create_bucket("photos");
  EXPECT_EQ(error_of(store().create_bucket(Bucket{"photos", kOwner, "us-east-1", 2})),
            ErrorCode::kBucketAlreadyOwnedByYou);
  EXPECT_EQ(error_of(store().create_bucket(Bucket{"photos", kOtherOwner, "us-east-1", 2})),
            ErrorCode::kBucketAlreadyExists);
  auto bucket = store().get_bucket("photos");
  ASSERT_TRUE(bucket && bucket->has_value());
  EXPECT_EQ((*bucket)->owner_id, kOwner);
  EXPECT_EQ((*bucket)->region, "us-east-1");
  EXPECT_EQ((*bucket)->created_ns, 1);
  EXPECT_FALSE(store().get_bucket("nothing")->has_value());
}

TEST_P(MetaStoreConformance, ListBucketsByName) {
  create_bucket("zeta");
  create_bucket("alpha");
  create_bucket("mid", kOtherOwner);
  auto buckets = store().list_buckets();
  ASSERT_TRUE(buckets);
  ASSERT_EQ(buckets->size(), 3u);
  EXPECT_EQ((*buckets)[0].name, "alpha");
  EXPECT_EQ((*buckets)[1].name, "mid");
  EXPECT_EQ((*buckets)[2].name, "zeta");
}

TEST_P(MetaStoreConformance, DeleteBucketChecksExistenceAndEmptiness) {
  EXPECT_EQ(error_of(store().delete_bucket("missing")), ErrorCode::kNoSuchBucket);
  create_bucket("b");
  ASSERT_TRUE(store().put_object(make_object("b", "k")));
  EXPECT_EQ(error_of(store().delete_bucket("b")), ErrorCode::kBucketNotEmpty);
  ASSERT_TRUE(store().delete_object("b", "k", ""));
  ASSERT_TRUE(store().create_upload(make_upload("b", "big", "upload-1")));
  EXPECT_EQ(error_of(store().delete_bucket("b")), ErrorCode::kBucketNotEmpty);
  ASSERT_TRUE(store().abort_upload("b", "upload-1"));
  ASSERT_TRUE(store().delete_bucket("b"));
  EXPECT_FALSE(store().get_bucket("b")->has_value());
  EXPECT_EQ(error_of(store().delete_bucket("b")), ErrorCode::kNoSuchBucket);
}

TEST_P(MetaStoreConformance, DeleteBucketRemovesConfigs) {
  create_bucket("b");
  ASSERT_TRUE(store().put_bucket_config("b", "cors", "<CORSConfiguration/>"));
  ASSERT_TRUE(store().delete_bucket("b"));
  create_bucket("b");
  auto config = store().get_bucket_config("b", "cors");
  ASSERT_TRUE(config);
  EXPECT_FALSE(config->has_value());
}

TEST_P(MetaStoreConformance, BucketConfigs) {
  create_bucket("b");
  EXPECT_FALSE(store().get_bucket_config("b", "cors")->has_value());
  ASSERT_TRUE(store().put_bucket_config("b", "cors", "first"));
  ASSERT_TRUE(store().put_bucket_config("b", "lifecycle", "rules"));
  ASSERT_TRUE(store().put_bucket_config("b", "cors", "second"));
  EXPECT_EQ(store().get_bucket_config("b", "cors")->value(), "second");
  EXPECT_EQ(store().get_bucket_config("b", "lifecycle")->value(), "rules");
  ASSERT_TRUE(store().delete_bucket_config("b", "cors"));
  EXPECT_FALSE(store().get_bucket_config("b", "cors")->has_value());
  EXPECT_TRUE(store().get_bucket_config("b", "lifecycle")->has_value());
  EXPECT_TRUE(store().delete_bucket_config("b", "cors"));  // already gone: still fine

  EXPECT_EQ(error_of(store().put_bucket_config("none", "cors", "x")), ErrorCode::kNoSuchBucket);
  EXPECT_EQ(error_of(store().get_bucket_config("none", "cors")), ErrorCode::kNoSuchBucket);
  EXPECT_EQ(error_of(store().delete_bucket_config("none", "cors")), ErrorCode::kNoSuchBucket);
}

TEST_P(MetaStoreConformance, CreateBucketWritesItsInitialConfigsWithIt) {
  Bucket bucket{"b", "owner", "us-east-1", 1};
  bucket.configs = {{"public-access-block", "all on"}, {"ownership", "enforced"}};
  ASSERT_TRUE(store().create_bucket(bucket));
  EXPECT_EQ(store().get_bucket_config("b", "public-access-block")->value(), "all on");
  EXPECT_EQ(store().get_bucket_config("b", "ownership")->value(), "enforced");
  EXPECT_TRUE(store().get_bucket("b")->value().configs.empty());
  // A refused creation writes none of its configs.
  Bucket again{"b", "someone-else", "us-east-1", 2};
  again.configs = {{"public-access-block", "replaced"}};
  EXPECT_EQ(error_of(store().create_bucket(again)), ErrorCode::kBucketAlreadyExists);
  EXPECT_EQ(store().get_bucket_config("b", "public-access-block")->value(), "all on");
}

TEST_P(MetaStoreConformance, BucketWithConfigsReadsEveryDocumentByKind) {
  Bucket bucket{"b", "owner", "us-east-1", 7};
  bucket.configs = {{"public-access-block", "all on"}};
  ASSERT_TRUE(store().create_bucket(bucket));
  ASSERT_TRUE(store().put_bucket_config("b", "versioning", "Enabled"));
  ASSERT_TRUE(store().put_bucket_config("b", "cors", "rules"));
  create_bucket("other");
  ASSERT_TRUE(store().put_bucket_config("other", "lifecycle", "not b's"));
  auto read = store().get_bucket_with_configs("b");
  ASSERT_TRUE(read && read->has_value());
  EXPECT_EQ((*read)->owner_id, "owner");
  EXPECT_EQ((*read)->created_ns, 7);
  const StringPairs expected = {
      {"cors", "rules"}, {"public-access-block", "all on"}, {"versioning", "Enabled"}};
  EXPECT_EQ((*read)->configs, expected);
  ASSERT_TRUE(store().delete_bucket_config("b", "cors"));
  EXPECT_EQ(store().get_bucket_with_configs("b")->value().configs.size(), 2u);
  EXPECT_FALSE(store().get_bucket_with_configs("none")->has_value());
  // Another bucket's documents are not mixed in; a new bucket of a deleted one's name starts
  // with none.
  ASSERT_TRUE(store().delete_bucket_config("b", "versioning"));
  ASSERT_TRUE(store().delete_bucket_config("b", "public-access-block"));
  ASSERT_TRUE(store().delete_bucket("b"));
  create_bucket("b");
  EXPECT_TRUE(store().get_bucket_with_configs("b")->value().configs.empty());
}

TEST_P(MetaStoreConformance, AccountConfigsAreOnePerKind) {
  EXPECT_FALSE(store().get_account_config("public-access-block")->has_value());
  ASSERT_TRUE(store().put_account_config("public-access-block", "first"));
  ASSERT_TRUE(store().put_account_config("other", "x"));
  ASSERT_TRUE(store().put_account_config("public-access-block", "second"));
  EXPECT_EQ(store().get_account_config("public-access-block")->value(), "second");
  EXPECT_EQ(store().get_account_config("other")->value(), "x");
  ASSERT_TRUE(store().delete_account_config("public-access-block"));
  EXPECT_FALSE(store().get_account_config("public-access-block")->has_value());
  EXPECT_TRUE(store().delete_account_config("public-access-block"));  // absent: still fine
  EXPECT_EQ(store().get_account_config("other")->value(), "x");
}

TEST_P(MetaStoreConformance, BucketUsageCountsCurrentVersions) {
  create_bucket("b");
  create_bucket("other");
  auto empty = store().bucket_usage("b");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->objects, 0u);
  EXPECT_EQ(empty->bytes, 0u);
  ASSERT_TRUE(store().put_object(make_object("b", "one", "12345")));
  ASSERT_TRUE(store().put_object(make_object("b", "two", "123")));
  ASSERT_TRUE(store().put_object(make_object("b", "two", "1234567")));  // replaces
  ASSERT_TRUE(store().put_object(make_object("other", "x", "123456789")));
  auto usage = store().bucket_usage("b");
  ASSERT_TRUE(usage);
  EXPECT_EQ(usage->objects, 2u);
  EXPECT_EQ(usage->bytes, 12u);
  EXPECT_EQ(error_of(store().bucket_usage("none")), ErrorCode::kNoSuchBucket);
}

// --- objects ------------------------------------------------------------------------------

TEST_P(MetaStoreConformance, ObjectRoundTripsEveryField) {
  create_bucket("b");
  ObjectVersion object = make_object("b", "dir/file.bin", std::string("\x00\x01\x02\xff", 4));
  object.etag = "abcdef0123456789abcdef0123456789-2";
  object.mtime_ns = 1'234'567'890'123'456'789;
  object.storage_class = "REDUCED_REDUNDANCY";
  object.content_type = "application/octet-stream";
  object.headers = {{"cache-control", "no-cache"}, {"content-disposition", "attachment"}};
  object.user_metadata = {{"color", "blue"}, {"utf8", "caf\xc3\xa9 \"quoted\""}};
  object.tags = {{"env", "prod"}, {"team", "a&b"}};
  object.checksum_algorithm = "CRC32C";
  object.checksum_value = "AAAAAA==-2";
  object.parts_count = 2;
  ASSERT_TRUE(store().put_object(object));

  auto got = store().get_object("b", "dir/file.bin", "");
  ASSERT_TRUE(got && got->has_value());
  const ObjectVersion& read = **got;
  EXPECT_EQ(read.bucket, "b");
  EXPECT_EQ(read.key, "dir/file.bin");
  EXPECT_EQ(read.version_id, "null");
  EXPECT_FALSE(read.is_delete_marker);
  EXPECT_EQ(read.size, 4u);
  EXPECT_EQ(read.etag, object.etag);
  EXPECT_EQ(read.mtime_ns, object.mtime_ns);
  EXPECT_EQ(read.owner_id, kOwner);
  EXPECT_EQ(read.storage_class, "REDUCED_REDUNDANCY");
  EXPECT_EQ(read.content_type, "application/octet-stream");
  EXPECT_EQ(read.headers, object.headers);
  EXPECT_EQ(read.user_metadata, object.user_metadata);
  EXPECT_EQ(read.tags, object.tags);
  EXPECT_EQ(read.checksum_algorithm, "CRC32C");
  EXPECT_EQ(read.checksum_value, "AAAAAA==-2");
  EXPECT_EQ(read.parts_count, 2u);
  EXPECT_EQ(read.inline_data, std::string("\x00\x01\x02\xff", 4));
  EXPECT_TRUE(read.blobs.empty());

  auto by_version = store().get_object("b", "dir/file.bin", "null");
  ASSERT_TRUE(by_version && by_version->has_value());
  EXPECT_EQ((*by_version)->etag, object.etag);
  EXPECT_FALSE(store().get_object("b", "dir/file.bin", "v-unknown")->has_value());
  EXPECT_FALSE(store().get_object("b", "dir/other", "")->has_value());
}

TEST_P(MetaStoreConformance, BlobObjectRoundTrip) {
  create_bucket("b");
  ASSERT_TRUE(store().put_object(make_blob_object("b", "big", {"blob-1", "blob-2"})));
  auto got = store().get_object("b", "big", "");
  ASSERT_TRUE(got && got->has_value());
  ASSERT_EQ((*got)->blobs.size(), 2u);
  EXPECT_EQ((*got)->blobs[0].blob_id, "blob-1");
  EXPECT_EQ((*got)->blobs[1].blob_id, "blob-2");
  EXPECT_EQ((*got)->blobs[1].size, 1024u);
  EXPECT_TRUE((*got)->inline_data.empty());
  EXPECT_TRUE(store().blob_in_use("blob-1").value());
  EXPECT_TRUE(store().blob_in_use("blob-2").value());
  EXPECT_FALSE(store().blob_in_use("blob-3").value());
  EXPECT_TRUE(garbage().empty());
}

TEST_P(MetaStoreConformance, PutObjectNeedsBucket) {
  EXPECT_EQ(error_of(store().put_object(make_object("none", "k"))), ErrorCode::kNoSuchBucket);
}

TEST_P(MetaStoreConformance, ReplacingAnObjectRecordsItsBlobsAsGarbage) {
  create_bucket("b");
  ASSERT_TRUE(store().put_object(make_blob_object("b", "k", {"old-1", "old-2"})));
  ASSERT_TRUE(store().put_object(make_blob_object("b", "k", {"new-1"})));
  EXPECT_EQ(garbage(), (std::vector<std::string>{"old-1", "old-2"}));
  EXPECT_FALSE(store().blob_in_use("old-1").value());
  EXPECT_TRUE(store().blob_in_use("new-1").value());
  auto got = store().get_object("b", "k", "");
  ASSERT_TRUE(got && got->has_value());
  ASSERT_EQ((*got)->blobs.size(), 1u);
  EXPECT_EQ((*got)->blobs[0].blob_id, "new-1");

  // Replacing with an inline body drops the blob too.
  ASSERT_TRUE(store().put_object(make_object("b", "k", "small")));
  EXPECT_EQ(garbage(), (std::vector<std::string>{"new-1", "old-1", "old-2"}));
  EXPECT_EQ((*store().get_object("b", "k", ""))->inline_data, "small");
}

TEST_P(MetaStoreConformance, ReplacementKeepingABlobDoesNotCollectIt) {
  create_bucket("b");
  ASSERT_TRUE(store().put_object(make_blob_object("b", "k", {"kept", "dropped"})));
  ObjectVersion metadata_change = make_blob_object("b", "k", {"kept"});
  metadata_change.content_type = "image/png";
  ASSERT_TRUE(store().put_object(metadata_change));
  EXPECT_EQ(garbage(), (std::vector<std::string>{"dropped"}));
  EXPECT_TRUE(store().blob_in_use("kept").value());
}

TEST_P(MetaStoreConformance, DeleteObjectIsIdempotentAndCollectsBlobs) {
  create_bucket("b");
  ASSERT_TRUE(store().put_object(make_blob_object("b", "k", {"blob-a"})));
  ASSERT_TRUE(store().put_object(make_object("b", "keep")));
  auto deleted = store().delete_object("b", "k", "");
  ASSERT_TRUE(deleted);
  EXPECT_TRUE(deleted->existed);
  EXPECT_EQ(deleted->version_id, "null");
  EXPECT_FALSE(store().get_object("b", "k", "")->has_value());
  EXPECT_EQ(garbage(), (std::vector<std::string>{"blob-a"}));
  EXPECT_FALSE(store().blob_in_use("blob-a").value());

  auto again = store().delete_object("b", "k", "");
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->existed);
  auto never = store().delete_object("b", "never-existed", "");
  ASSERT_TRUE(never);
  EXPECT_FALSE(never->existed);
  EXPECT_TRUE(store().get_object("b", "keep", "")->has_value());
  EXPECT_EQ(error_of(store().delete_object("none", "k", "")), ErrorCode::kNoSuchBucket);
}

TEST_P(MetaStoreConformance, DeleteObjectByVersionId) {
  create_bucket("b");
  ASSERT_TRUE(store().put_object(make_object("b", "k")));
  auto wrong = store().delete_object("b", "k", "v-other");
  ASSERT_TRUE(wrong);
  EXPECT_FALSE(wrong->existed);
  EXPECT_TRUE(store().get_object("b", "k", "")->has_value());
  auto right = store().delete_object("b", "k", "null");
  ASSERT_TRUE(right);
  EXPECT_TRUE(right->existed);
  EXPECT_FALSE(store().get_object("b", "k", "")->has_value());
}

TEST_P(MetaStoreConformance, ObjectTags) {
  create_bucket("b");
  ObjectVersion object = make_object("b", "k");
  object.tags = {{"a", "1"}};
  ASSERT_TRUE(store().put_object(object));
  ASSERT_TRUE(store().put_object_tags("b", "k", "", {{"x", "9"}, {"y", ""}}));
  auto got = store().get_object("b", "k", "");
  ASSERT_TRUE(got && got->has_value());
  EXPECT_EQ((*got)->tags, (StringPairs{{"x", "9"}, {"y", ""}}));
  EXPECT_EQ((*got)->inline_data, "body");  // the rest is untouched

  ASSERT_TRUE(store().put_object_tags("b", "k", "null", {}));
  EXPECT_TRUE((*store().get_object("b", "k", ""))->tags.empty());

  EXPECT_EQ(error_of(store().put_object_tags("b", "missing", "", {{"a", "b"}})),
            ErrorCode::kNoSuchKey);
  EXPECT_EQ(error_of(store().put_object_tags("b", "k", "v-missing", {{"a", "b"}})),
            ErrorCode::kNoSuchKey);
  EXPECT_EQ(error_of(store().put_object_tags("none", "k", "", {{"a", "b"}})),
            ErrorCode::kNoSuchBucket);
}

TEST_P(MetaStoreConformance, KeysAreBytes) {
  create_bucket("b");
  std::string with_nul("a\0b", 3);
  ASSERT_TRUE(store().put_object(make_object("b", with_nul, "nul")));
  ASSERT_TRUE(store().put_object(make_object("b", "a", "plain")));
  EXPECT_EQ((*store().get_object("b", with_nul, ""))->inline_data, "nul");
  EXPECT_EQ((*store().get_object("b", "a", ""))->inline_data, "plain");
  auto page = list("b", "", "");
  ASSERT_EQ(page.objects.size(), 2u);
  EXPECT_EQ(page.objects[0].key, "a");
  EXPECT_EQ(page.objects[1].key, with_nul);
}

// --- listing ------------------------------------------------------------------------------

TEST_P(MetaStoreConformance, ListWithPrefix) {
  create_bucket("b");
  create_bucket("c");
  put_keys("b", {"apple", "apricot", "banana", "ap", "a"});
  put_keys("c", {"apple-in-other-bucket"});
  auto page = list("b", "ap", "");
  std::vector<std::string> keys;
  for (const auto& object : page.objects) keys.push_back(object.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"ap", "apple", "apricot"}));
  EXPECT_TRUE(page.common_prefixes.empty());
  EXPECT_FALSE(page.truncated);
  EXPECT_EQ(page.last_entry, "apricot");
  EXPECT_TRUE(list("b", "zzz", "").objects.empty());
}

TEST_P(MetaStoreConformance, ListEntriesCarryListingFieldsButNoBody) {
  create_bucket("b");
  ObjectVersion object = make_object("b", "k", "payload");
  object.content_type = "image/jpeg";
  object.mtime_ns = 99;
  ASSERT_TRUE(store().put_object(object));
  ASSERT_TRUE(store().put_object(make_blob_object("b", "m", {"x"})));
  auto page = list("b", "", "");
  ASSERT_EQ(page.objects.size(), 2u);
  const ObjectVersion& entry = page.objects[0];
  EXPECT_EQ(entry.bucket, "b");
  EXPECT_EQ(entry.key, "k");
  EXPECT_EQ(entry.size, 7u);
  EXPECT_EQ(entry.etag, object.etag);
  EXPECT_EQ(entry.content_type, "image/jpeg");
  EXPECT_EQ(entry.mtime_ns, 99);
  EXPECT_EQ(entry.owner_id, kOwner);
  EXPECT_EQ(entry.storage_class, "STANDARD");
  EXPECT_TRUE(entry.inline_data.empty());
  EXPECT_TRUE(page.objects[1].blobs.empty());
}

TEST_P(MetaStoreConformance, ListGroupsNestedFoldersByDelimiter) {
  create_bucket("b");
  put_keys("b", {"a/b/c", "a/b/d", "a/e", "a/f/", "f", "g/h", "g/i/j", "top"});

  auto root = list("b", "", "/");
  std::vector<std::string> keys;
  for (const auto& object : root.objects) keys.push_back(object.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"f", "top"}));
  EXPECT_EQ(root.common_prefixes, (std::vector<std::string>{"a/", "g/"}));
  EXPECT_EQ(root.last_entry, "top");
  EXPECT_FALSE(root.truncated);

  auto folder = list("b", "a/", "/");
  keys.clear();
  for (const auto& object : folder.objects) keys.push_back(object.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"a/e"}));
  EXPECT_EQ(folder.common_prefixes, (std::vector<std::string>{"a/b/", "a/f/"}));
  EXPECT_EQ(folder.last_entry, "a/f/");

  auto nested = list("b", "a/b/", "/");
  EXPECT_EQ(nested.objects.size(), 2u);
  EXPECT_TRUE(nested.common_prefixes.empty());

  // A multi-character delimiter.
  auto dashes = list("b", "", "/b");
  EXPECT_EQ(dashes.common_prefixes, (std::vector<std::string>{"a/b"}));
  EXPECT_EQ(dashes.objects.size(), 6u);
}

TEST_P(MetaStoreConformance, ListUsesByteOrder) {
  create_bucket("b");
  // '!' and '.' sort below '/', so "a!" and "a.b" come before the folder "a/".
  std::vector<std::string> keys = {"a/x",         "a!",   "a.b",          "a", "B",     "b",
                                   "caf\xc3\xa9", "cafe", "\xe4\xb8\xad", "z", "a/y/z", "a0",
                                   "~tilde",      "\x7f"};
  put_keys("b", keys);
  std::vector<std::string> sorted = keys;
  std::sort(sorted.begin(), sorted.end());  // std::string compares as unsigned bytes
  auto page = list("b", "", "");
  std::vector<std::string> listed;
  for (const auto& object : page.objects) listed.push_back(object.key);
  EXPECT_EQ(listed, sorted);

  auto grouped = list("b", "a", "/");
  std::vector<std::string> objects;
  for (const auto& object : grouped.objects) objects.push_back(object.key);
  EXPECT_EQ(objects, (std::vector<std::string>{"a", "a!", "a.b", "a0"}));
  EXPECT_EQ(grouped.common_prefixes, (std::vector<std::string>{"a/"}));
  EXPECT_EQ(grouped.last_entry, "a0");

  // Paging one entry at a time keeps byte order across the prefix.
  std::vector<std::string> one_by_one;
  std::string start_after;
  for (int i = 0; i < 10; ++i) {
    auto step = list("b", "a", "/", start_after, 1);
    for (const auto& object : step.objects) one_by_one.push_back(object.key);
    for (const auto& common : step.common_prefixes) one_by_one.push_back(common);
    start_after = step.last_entry;
    if (!step.truncated) break;
  }
  EXPECT_EQ(one_by_one, (std::vector<std::string>{"a", "a!", "a.b", "a/", "a0"}));
}

TEST_P(MetaStoreConformance, ListPagesThrough2500Keys) {
  create_bucket("b");
  std::vector<std::string> keys;
  for (int i = 0; i < 2500; ++i) keys.push_back("key-" + std::to_string(i * 7919 % 10007));
  put_keys("b", keys);
  std::sort(keys.begin(), keys.end());

  auto first = list("b", "", "", "", 1000);
  EXPECT_EQ(first.objects.size(), 1000u);
  EXPECT_TRUE(first.truncated);
  EXPECT_EQ(first.last_entry, keys[999]);

  size_t pages = 0;
  auto entries = list_all("b", "", "", 1000, &pages);
  EXPECT_EQ(pages, 3u);
  EXPECT_EQ(entries, keys);
}

TEST_P(MetaStoreConformance, ListPagesWithDelimiterEndingOnPrefixes) {
  create_bucket("b");
  std::vector<std::string> keys;
  std::set<std::string> expected;
  char name[32];
  for (int folder = 0; folder < 120; ++folder) {
    for (int file = 0; file < 15; ++file) {
      std::snprintf(name, sizeof name, "photos/%03d/img%02d.jpg", folder, file);
      keys.push_back(name);
    }
    std::snprintf(name, sizeof name, "photos/%03d/", folder);
    expected.insert(name);
  }
  for (int file = 0; file < 700; ++file) {
    std::snprintf(name, sizeof name, "photos/%03d.jpg", file);
    keys.push_back(name);
    expected.insert(name);
  }
  keys.push_back("elsewhere/x");
  put_keys("b", keys);
  ASSERT_EQ(keys.size(), 2501u);

  for (uint32_t max_keys : {1000u, 7u, 1u}) {
    size_t pages = 0;
    size_t ending_on_prefix = 0;
    auto entries = list_all("b", "photos/", "/", max_keys, &pages, &ending_on_prefix);
    EXPECT_EQ(entries, std::vector<std::string>(expected.begin(), expected.end()))
        << "max_keys=" << max_keys;
    EXPECT_EQ(pages, (expected.size() + max_keys - 1) / max_keys);
    if (max_keys < 100) {
      EXPECT_GT(ending_on_prefix, 0u);
    }
  }
}

TEST_P(MetaStoreConformance, ListStartAfterACommonPrefixSkipsItsGroup) {
  create_bucket("b");
  put_keys("b", {"a/1", "a/2", "a/3/4", "a0", "b/1", "c"});
  auto page = list("b", "", "/", "a/");
  std::vector<std::string> keys;
  for (const auto& object : page.objects) keys.push_back(object.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"a0", "c"}));
  EXPECT_EQ(page.common_prefixes, (std::vector<std::string>{"b/"}));

  // Without a delimiter "a/" is just a key position.
  auto flat = list("b", "", "", "a/");
  ASSERT_FALSE(flat.objects.empty());
  EXPECT_EQ(flat.objects[0].key, "a/1");

  // A start_after below the prefix starts at the prefix; one past everything is empty.
  auto below = list("b", "b/", "/", "a");
  ASSERT_EQ(below.objects.size(), 1u);
  EXPECT_EQ(below.objects[0].key, "b/1");
  auto after = list("b", "", "/", "zzz");
  EXPECT_TRUE(after.objects.empty());
  EXPECT_TRUE(after.common_prefixes.empty());
  EXPECT_FALSE(after.truncated);
}

TEST_P(MetaStoreConformance, ListMaxKeysBoundaries) {
  create_bucket("b");
  put_keys("b", {"k1", "k2", "k3"});
  auto zero = list("b", "", "", "", 0);
  EXPECT_TRUE(zero.objects.empty());
  EXPECT_TRUE(zero.common_prefixes.empty());
  EXPECT_FALSE(zero.truncated);

  auto exact = list("b", "", "", "", 3);
  EXPECT_EQ(exact.objects.size(), 3u);
  EXPECT_FALSE(exact.truncated);

  auto short_page = list("b", "", "", "", 2);
  EXPECT_EQ(short_page.objects.size(), 2u);
  EXPECT_TRUE(short_page.truncated);
  EXPECT_EQ(short_page.last_entry, "k2");
}

TEST_P(MetaStoreConformance, ListSeesDeletesAndPrefixesWithHighBytes) {
  create_bucket("b");
  put_keys("b", {"\xff\xff/a", "\xff\xff/b", "\xff\xffz", "x"});
  ASSERT_TRUE(store().delete_object("b", "x", ""));
  auto page = list("b", "\xff\xff", "/");
  ASSERT_EQ(page.objects.size(), 1u);
  EXPECT_EQ(page.objects[0].key, "\xff\xffz");
  EXPECT_EQ(page.common_prefixes, (std::vector<std::string>{"\xff\xff/"}));
  auto all = list("b", "", "");
  EXPECT_EQ(all.objects.size(), 3u);
}

TEST_P(MetaStoreConformance, ListNeedsBucket) {
  EXPECT_EQ(error_of(store().list_objects(ListObjectsQuery{"none", "", "", "", 10})),
            ErrorCode::kNoSuchBucket);
}

// --- multipart uploads --------------------------------------------------------------------

TEST_P(MetaStoreConformance, CreateAndGetUpload) {
  create_bucket("b");
  MultipartUpload upload = make_upload("b", "movie.mp4", "up-1", 77);
  upload.object.headers = {{"cache-control", "max-age=60"}};
  upload.object.user_metadata = {{"camera", "x100"}};
  upload.object.tags = {{"k", "v"}};
  upload.object.storage_class = "STANDARD_IA";
  upload.object.checksum_algorithm = "SHA256";
  ASSERT_TRUE(store().create_upload(upload));

  auto got = store().get_upload("b", "up-1");
  ASSERT_TRUE(got && got->has_value());
  const MultipartUpload& read = **got;
  EXPECT_EQ(read.upload_id, "up-1");
  EXPECT_EQ(read.bucket, "b");
  EXPECT_EQ(read.key, "movie.mp4");
  EXPECT_EQ(read.initiated_ns, 77);
  EXPECT_EQ(read.owner_id, kOwner);
  EXPECT_EQ(read.object.content_type, "video/mp4");
  EXPECT_EQ(read.object.headers, upload.object.headers);
  EXPECT_EQ(read.object.user_metadata, upload.object.user_metadata);
  EXPECT_EQ(read.object.tags, upload.object.tags);
  EXPECT_EQ(read.object.storage_class, "STANDARD_IA");
  EXPECT_EQ(read.object.checksum_algorithm, "SHA256");

  EXPECT_FALSE(store().get_upload("other", "up-1")->has_value());
  EXPECT_FALSE(store().get_upload("b", "up-2")->has_value());
  EXPECT_EQ(error_of(store().create_upload(make_upload("none", "k", "up-3"))),
            ErrorCode::kNoSuchBucket);
}

TEST_P(MetaStoreConformance, PutPartReplacesAndCollectsTheOldBlob) {
  create_bucket("b");
  ASSERT_TRUE(store().create_upload(make_upload("b", "k", "up")));
  ASSERT_TRUE(store().put_part(make_part("up", 1, "part-blob-old")));
  ASSERT_TRUE(store().put_part(make_part("up", 2, std::nullopt)));
  EXPECT_TRUE(store().blob_in_use("part-blob-old").value());
  Part replacement = make_part("up", 1, "part-blob-new");
  replacement.etag = "new-etag";
  replacement.checksum_value = "c2hh";
  ASSERT_TRUE(store().put_part(replacement));
  EXPECT_EQ(garbage(), (std::vector<std::string>{"part-blob-old"}));
  EXPECT_TRUE(store().blob_in_use("part-blob-new").value());

  auto parts = store().get_parts("up");
  ASSERT_TRUE(parts);
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].part_number, 1u);
  EXPECT_EQ((*parts)[0].etag, "new-etag");
  EXPECT_EQ((*parts)[0].checksum_value, "c2hh");
  ASSERT_TRUE((*parts)[0].blob.has_value());
  EXPECT_EQ((*parts)[0].blob->blob_id, "part-blob-new");
  EXPECT_EQ((*parts)[1].part_number, 2u);
  EXPECT_FALSE((*parts)[1].blob.has_value());
  EXPECT_EQ((*parts)[1].inline_data, std::string(1024, 'p'));
  EXPECT_EQ((*parts)[1].size, 1024u);

  EXPECT_EQ(error_of(store().put_part(make_part("no-upload", 1, "x"))), ErrorCode::kNoSuchUpload);
  EXPECT_EQ(error_of(store().get_parts("no-upload")), ErrorCode::kNoSuchUpload);
}

TEST_P(MetaStoreConformance, ListPartsPages) {
  create_bucket("b");
  ASSERT_TRUE(store().create_upload(make_upload("b", "k", "up")));
  for (uint32_t n = 25; n >= 1; --n) {
    ASSERT_TRUE(store().put_part(make_part("up", n * 2, "blob-" + std::to_string(n))));
  }
  std::vector<uint32_t> seen;
  uint32_t marker = 0;
  std::vector<bool> truncation;
  for (int page_count = 0; page_count < 10; ++page_count) {
    auto page = store().list_parts("up", marker, 10);
    ASSERT_TRUE(page);
    for (const Part& part : page->parts) {
      seen.push_back(part.part_number);
      EXPECT_TRUE(part.inline_data.empty());
      ASSERT_TRUE(part.blob.has_value());
    }
    truncation.push_back(page->truncated);
    if (!page->parts.empty()) {
      EXPECT_EQ(page->next_part_number_marker, page->parts.back().part_number);
    }
    if (!page->truncated) break;
    marker = page->next_part_number_marker;
  }
  std::vector<uint32_t> expected;
  for (uint32_t n = 1; n <= 25; ++n) expected.push_back(n * 2);
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(truncation, (std::vector<bool>{true, true, false}));

  auto from_middle = store().list_parts("up", 15, 2);
  ASSERT_TRUE(from_middle);
  ASSERT_EQ(from_middle->parts.size(), 2u);
  EXPECT_EQ(from_middle->parts[0].part_number, 16u);
  auto none = store().list_parts("up", 0, 0);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->parts.empty());
  EXPECT_FALSE(none->truncated);
  EXPECT_EQ(error_of(store().list_parts("nope", 0, 10)), ErrorCode::kNoSuchUpload);
}

TEST_P(MetaStoreConformance, ListUploadsOrderPrefixDelimiterAndMarkers) {
  create_bucket("b");
  create_bucket("other");
  ASSERT_TRUE(store().create_upload(make_upload("b", "videos/b.mp4", "u-3", 30)));
  ASSERT_TRUE(store().create_upload(make_upload("b", "videos/a.mp4", "u-9", 20)));
  ASSERT_TRUE(store().create_upload(make_upload("b", "videos/a.mp4", "u-1", 10)));
  ASSERT_TRUE(store().create_upload(make_upload("b", "videos/a.mp4", "u-5", 20)));
  ASSERT_TRUE(store().create_upload(make_upload("b", "videos/raw/c.mov", "u-7", 5)));
  ASSERT_TRUE(store().create_upload(make_upload("b", "notes.txt", "u-2", 1)));
  ASSERT_TRUE(store().create_upload(make_upload("other", "videos/z", "u-8", 1)));

  auto ids_of = [](const ListUploadsPage& page) {
    std::vector<std::string> ids;
    for (const auto& upload : page.uploads) ids.push_back(upload.upload_id);
    return ids;
  };
  auto all = store().list_uploads(ListUploadsQuery{"b", "", "", "", "", 1000});
  ASSERT_TRUE(all);
  EXPECT_EQ(ids_of(*all), (std::vector<std::string>{"u-2", "u-1", "u-5", "u-9", "u-3", "u-7"}));
  EXPECT_FALSE(all->truncated);
  EXPECT_EQ(all->uploads[0].object.content_type, "video/mp4");

  auto folder = store().list_uploads(ListUploadsQuery{"b", "videos/", "/", "", "", 1000});
  ASSERT_TRUE(folder);
  EXPECT_EQ(ids_of(*folder), (std::vector<std::string>{"u-1", "u-5", "u-9", "u-3"}));
  EXPECT_EQ(folder->common_prefixes, (std::vector<std::string>{"videos/raw/"}));

  // Page one upload at a time with the markers the previous page returned.
  std::vector<std::string> paged;
  ListUploadsQuery query{"b", "", "", "", "", 1};
  for (int i = 0; i < 20; ++i) {
    auto page = store().list_uploads(query);
    ASSERT_TRUE(page);
    auto ids = ids_of(*page);
    paged.insert(paged.end(), ids.begin(), ids.end());
    if (!page->truncated) break;
    EXPECT_FALSE(page->next_key_marker.empty());
    query.key_marker = page->next_key_marker;
    query.upload_id_marker = page->next_upload_id_marker;
  }
  EXPECT_EQ(paged, ids_of(*all));

  // A key marker alone skips every upload of that key.
  auto after_key = store().list_uploads(ListUploadsQuery{"b", "", "", "videos/a.mp4", "", 1000});
  ASSERT_TRUE(after_key);
  EXPECT_EQ(ids_of(*after_key), (std::vector<std::string>{"u-3", "u-7"}));

  auto empty = store().list_uploads(ListUploadsQuery{"b", "", "", "", "", 0});
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->uploads.empty());
  EXPECT_FALSE(empty->truncated);
  EXPECT_EQ(error_of(store().list_uploads(ListUploadsQuery{"none", "", "", "", "", 10})),
            ErrorCode::kNoSuchBucket);
}

TEST_P(MetaStoreConformance, CompleteUploadStoresObjectAndCollectsUnusedParts) {
  create_bucket("b");
  ASSERT_TRUE(store().put_object(make_blob_object("b", "big", {"previous-blob"})));
  ASSERT_TRUE(store().create_upload(make_upload("b", "big", "up")));
  ASSERT_TRUE(store().put_part(make_part("up", 1, "p1")));
  ASSERT_TRUE(store().put_part(make_part("up", 2, "p2")));
  ASSERT_TRUE(store().put_part(make_part("up", 3, "p3")));

  ObjectVersion object = make_blob_object("b", "big", {"p1", "p2"});
  object.etag = "00112233445566778899aabbccddeeff-2";
  object.parts_count = 2;
  ASSERT_TRUE(store().complete_upload("up", object));

  auto got = store().get_object("b", "big", "");
  ASSERT_TRUE(got && got->has_value());
  EXPECT_EQ((*got)->etag, object.etag);
  EXPECT_EQ((*got)->parts_count, 2u);
  ASSERT_EQ((*got)->blobs.size(), 2u);
  EXPECT_EQ((*got)->blobs[0].blob_id, "p1");
  EXPECT_FALSE(store().get_upload("b", "up")->has_value());
  EXPECT_EQ(error_of(store().get_parts("up")), ErrorCode::kNoSuchUpload);
  EXPECT_TRUE(store().list_uploads(ListUploadsQuery{"b", "", "", "", "", 10})->uploads.empty());
  EXPECT_EQ(garbage(), (std::vector<std::string>{"p3", "previous-blob"}));
  EXPECT_TRUE(store().blob_in_use("p1").value());
  EXPECT_TRUE(store().blob_in_use("p2").value());
  EXPECT_FALSE(store().blob_in_use("p3").value());

  EXPECT_EQ(error_of(store().complete_upload("up", object)), ErrorCode::kNoSuchUpload);
}

TEST_P(MetaStoreConformance, CompleteUploadFailures) {
  create_bucket("b");
  EXPECT_EQ(error_of(store().complete_upload("never", make_object("b", "k"))),
            ErrorCode::kNoSuchUpload);
  ASSERT_TRUE(store().create_upload(make_upload("b", "k", "up")));
  // The upload belongs to another key.
  EXPECT_EQ(error_of(store().complete_upload("up", make_object("b", "other-key"))),
            ErrorCode::kNoSuchUpload);
  EXPECT_TRUE(store().get_upload("b", "up")->has_value());
  EXPECT_FALSE(store().get_object("b", "other-key", "")->has_value());
}

TEST_P(MetaStoreConformance, AbortUploadCollectsPartsAndForgetsTheUpload) {
  create_bucket("b");
  ASSERT_TRUE(store().create_upload(make_upload("b", "k", "up")));
  ASSERT_TRUE(store().put_part(make_part("up", 1, "a1")));
  ASSERT_TRUE(store().put_part(make_part("up", 2, "a2")));
  ASSERT_TRUE(store().put_part(make_part("up", 3, std::nullopt)));
  EXPECT_EQ(error_of(store().abort_upload("other", "up")), ErrorCode::kNoSuchUpload);
  ASSERT_TRUE(store().abort_upload("b", "up"));
  EXPECT_EQ(garbage(), (std::vector<std::string>{"a1", "a2"}));
  EXPECT_FALSE(store().get_upload("b", "up")->has_value());
  EXPECT_EQ(error_of(store().abort_upload("b", "up")), ErrorCode::kNoSuchUpload);
  EXPECT_EQ(error_of(store().put_part(make_part("up", 1, "late"))), ErrorCode::kNoSuchUpload);
  EXPECT_EQ(error_of(store().list_parts("up", 0, 10)), ErrorCode::kNoSuchUpload);
  EXPECT_EQ(error_of(store().complete_upload("up", make_object("b", "k"))),
            ErrorCode::kNoSuchUpload);
  EXPECT_FALSE(store().blob_in_use("late").value());
}

// --- garbage ------------------------------------------------------------------------------

TEST_P(MetaStoreConformance, TakeAndForgetGarbage) {
  create_bucket("b");
  for (int i = 0; i < 5; ++i) {
    std::string id = "g" + std::to_string(i);
    ASSERT_TRUE(store().put_object(make_blob_object("b", "k" + std::to_string(i), {id})));
    ASSERT_TRUE(store().delete_object("b", "k" + std::to_string(i), ""));
  }
  auto some = store().take_garbage(3);
  ASSERT_TRUE(some);
  EXPECT_EQ(some->size(), 3u);
  // Taking does not remove: the same blobs come back until forgotten.
  auto again = store().take_garbage(3);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *some);
  EXPECT_EQ(store().take_garbage(0)->size(), 0u);

  ASSERT_TRUE(store().forget_garbage(*some));
  ASSERT_TRUE(store().forget_garbage({"unknown-blob"}));
  ASSERT_TRUE(store().forget_garbage({}));
  auto rest = store().take_garbage(100);
  ASSERT_TRUE(rest);
  EXPECT_EQ(rest->size(), 2u);
  for (const std::string& id : *rest) {
    EXPECT_EQ(std::count(some->begin(), some->end(), id), 0);
  }
  ASSERT_TRUE(store().forget_garbage(*rest));
  EXPECT_TRUE(store().take_garbage(100)->empty());
}

TEST_P(MetaStoreConformance, BlobInUseSeesObjectsAndParts) {
  create_bucket("b");
  ASSERT_TRUE(store().put_object(make_blob_object("b", "k", {"object-blob"})));
  ASSERT_TRUE(store().create_upload(make_upload("b", "k", "up")));
  ASSERT_TRUE(store().put_part(make_part("up", 1, "part-blob")));
  EXPECT_TRUE(store().blob_in_use("object-blob").value());
  EXPECT_TRUE(store().blob_in_use("part-blob").value());
  EXPECT_FALSE(store().blob_in_use("stranger").value());
}

// --- concurrency --------------------------------------------------------------------------

TEST_P(MetaStoreConformance, ConcurrentWritersAndReaders) {
  create_bucket("b");
  constexpr int kThreads = 8;
  constexpr int kPerThread = 50;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        std::string key = "t" + std::to_string(t) + "/" + std::to_string(i);
        if (!store().put_object(make_object("b", key, key))) ++failures;
        auto read = store().get_object("b", key, "");
        if (!read || !read->has_value() || (*read)->inline_data != key) ++failures;
        if (i % 10 == 0 && !store().list_objects(ListObjectsQuery{"b", "", "", "/", 100})) {
          ++failures;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(store().bucket_usage("b")->objects, static_cast<uint64_t>(kThreads * kPerThread));
}

TEST_P(MetaStoreConformance, ConcurrentConflictingCreatesHaveOneWinner) {
  constexpr int kThreads = 16;
  std::atomic<int> created{0};
  std::atomic<int> owned{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      auto result = store().create_bucket(Bucket{"contested", kOwner, "us-east-1", 1});
      if (result) {
        ++created;
      } else if (result.error().code == ErrorCode::kBucketAlreadyOwnedByYou) {
        ++owned;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(owned.load(), kThreads - 1);
}

}  // namespace
}  // namespace cv::meta::conformance
