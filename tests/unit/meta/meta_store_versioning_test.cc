// The MetaStore conformance tests for versioning (fixture in meta_store_conformance.h):
// version histories, delete markers, the "null" version under a suspended bucket,
// list_object_versions and usage. Version ids here sort by creation, as the vault's do,
// except where a test checks that order comes from writes, not ids.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "meta_store_conformance.h"

namespace cv::meta::conformance {
namespace {

ObjectVersion make_version(std::string bucket, std::string key, std::string version_id,
                           std::string body = "body") {
  ObjectVersion object = make_object(std::move(bucket), std::move(key), std::move(body));
  object.version_id = std::move(version_id);
  return object;
}

ObjectVersion make_blob_version(std::string bucket, std::string key, std::string version_id,
                                const std::vector<std::string>& blob_ids) {
  ObjectVersion object = make_blob_object(std::move(bucket), std::move(key), blob_ids);
  object.version_id = std::move(version_id);
  return object;
}

ObjectVersion make_delete_marker(std::string bucket, std::string key, std::string version_id) {
  ObjectVersion marker;
  marker.bucket = std::move(bucket);
  marker.key = std::move(key);
  marker.version_id = std::move(version_id);
  marker.is_delete_marker = true;
  marker.mtime_ns = 1'700'000'000'000'000'000;
  marker.owner_id = kOwner;
  return marker;
}

// (key, version_id, is_latest, is_delete_marker) of a listed version.
using VersionEntry = std::tuple<std::string, std::string, bool, bool>;

std::vector<VersionEntry> entries_of(const std::vector<ObjectVersion>& versions) {
  std::vector<VersionEntry> entries;
  for (const ObjectVersion& v : versions) {
    entries.emplace_back(v.key, v.version_id, v.is_latest, v.is_delete_marker);
  }
  return entries;
}

ListVersionsPage list_versions(MetaStore& store, ListVersionsQuery query) {
  auto page = store.list_object_versions(query);
  EXPECT_TRUE(page) << page.error().message;
  return page ? *page : ListVersionsPage{};
}

ListVersionsQuery versions_query(std::string bucket, std::string prefix = {},
                                 std::string delimiter = {}, uint32_t max_keys = 1000) {
  ListVersionsQuery query;
  query.bucket = std::move(bucket);
  query.prefix = std::move(prefix);
  query.delimiter = std::move(delimiter);
  query.max_keys = max_keys;
  return query;
}

// Every version of `key`, newest first.
std::vector<std::string> version_ids(MetaStore& store, const std::string& bucket,
                                     const std::string& key) {
  ListVersionsQuery query = versions_query(bucket, key);
  std::vector<std::string> ids;
  for (const ObjectVersion& v : list_versions(store, query).versions) {
    if (v.key == key) ids.push_back(v.version_id);
  }
  return ids;
}

std::string current_version_id(MetaStore& store, const std::string& bucket,
                               const std::string& key) {
  auto got = store.get_object(bucket, key, "");
  EXPECT_TRUE(got);
  if (!got || !got->has_value()) return "<none>";
  EXPECT_TRUE((*got)->is_latest);
  return (*got)->version_id;
}

std::vector<std::string> listed_keys(const ListObjectsPage& page) {
  std::vector<std::string> keys;
  for (const auto& object : page.objects) keys.push_back(object.key);
  return keys;
}

// --- histories ------------------------------------------------------------------------------

TEST_P(MetaStoreConformance, VersionsAccumulateAndTheNewestIsCurrent) {
  create_bucket("b");
  ASSERT_TRUE(store().put_object(make_version("b", "k", "v1", "first")));
  ASSERT_TRUE(store().put_object(make_version("b", "k", "v2", "second")));
  ASSERT_TRUE(store().put_object(make_version("b", "k", "v3", "third")));

  auto current = store().get_object("b", "k", "");
  ASSERT_TRUE(current && current->has_value());
  EXPECT_EQ((*current)->version_id, "v3");
  EXPECT_EQ((*current)->inline_data, "third");
  EXPECT_TRUE((*current)->is_latest);

  auto old = store().get_object("b", "k", "v1");
  ASSERT_TRUE(old && old->has_value());
  EXPECT_EQ((*old)->inline_data, "first");
  EXPECT_FALSE((*old)->is_latest);
  EXPECT_EQ((*store().get_object("b", "k", "v2"))->inline_data, "second");
  EXPECT_FALSE(store().get_object("b", "k", "v4")->has_value());

  EXPECT_EQ(version_ids(store(), "b", "k"), (std::vector<std::string>{"v3", "v2", "v1"}));
  auto page = list("b", "", "");
  ASSERT_EQ(page.objects.size(), 1u);
  EXPECT_EQ(page.objects[0].version_id, "v3");
  EXPECT_EQ(page.objects[0].size, 5u);
  EXPECT_TRUE(page.objects[0].is_latest);
}

TEST_P(MetaStoreConformance, VersionOrderIsWriteOrderNotIdOrder) {
  create_bucket("b");
  // "null" sorts between these ids; "v9" before "v1" in writes.
  ASSERT_TRUE(store().put_object(make_version("b", "k", "v9")));
  ASSERT_TRUE(store().put_object(make_version("b", "k", "null")));
  ASSERT_TRUE(store().put_object(make_version("b", "k", "a1")));
  EXPECT_EQ(version_ids(store(), "b", "k"), (std::vector<std::string>{"a1", "null", "v9"}));
  EXPECT_EQ(current_version_id(store(), "b", "k"), "a1");
  ASSERT_TRUE(store().delete_object("b", "k", "a1"));
  EXPECT_EQ(current_version_id(store(), "b", "k"), "null");
  ASSERT_TRUE(store().delete_object("b", "k", "null"));
  EXPECT_EQ(current_version_id(store(), "b", "k"), "v9");
}

TEST_P(MetaStoreConformance, DeletingANoncurrentVersionLeavesTheCurrentOne) {
  create_bucket("b");
  ASSERT_TRUE(store().put_object(make_version("b", "k", "v1")));
  ASSERT_TRUE(store().put_object(make_blob_version("b", "k", "v2", {"blob-v2"})));
  ASSERT_TRUE(store().put_object(make_version("b", "k", "v3", "current")));
  EXPECT_TRUE(garbage().empty());

  auto deleted = store().delete_object("b", "k", "v2");
  ASSERT_TRUE(deleted);
  EXPECT_TRUE(deleted->existed);
  EXPECT_EQ(deleted->version_id, "v2");
  EXPECT_FALSE(deleted->delete_marker);
  EXPECT_EQ(garbage(), (std::vector<std::string>{"blob-v2"}));
  EXPECT_FALSE(store().blob_in_use("blob-v2").value());
  EXPECT_EQ(current_version_id(store(), "b", "k"), "v3");
  EXPECT_EQ((*store().get_object("b", "k", ""))->inline_data, "current");
  EXPECT_EQ(version_ids(store(), "b", "k"), (std::vector<std::string>{"v3", "v1"}));

  auto again = store().delete_object("b", "k", "v2");
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->existed);
  EXPECT_EQ(again->version_id, "v2");
}

TEST_P(MetaStoreConformance, DeletingTheCurrentVersionPromotesThePreviousOne) {
  create_bucket("b");
  ASSERT_TRUE(store().put_object(make_version("b", "k", "v1", "one")));
  ASSERT_TRUE(store().put_object(make_version("b", "k", "v2", "two")));
  ASSERT_TRUE(store().put_object(make_blob_version("b", "k", "v3", {"blob-v3"})));

  auto deleted = store().delete_object("b", "k", "v3");
  ASSERT_TRUE(deleted);
  EXPECT_TRUE(deleted->existed);
  EXPECT_EQ(garbage(), (std::vector<std::string>{"blob-v3"}));
  auto current = store().get_object("b", "k", "");
  ASSERT_TRUE(current && current->has_value());
  EXPECT_EQ((*current)->version_id, "v2");
  EXPECT_EQ((*current)->inline_data, "two");
  EXPECT_TRUE((*current)->is_latest);
  ASSERT_EQ(list("b", "", "").objects.size(), 1u);
  EXPECT_EQ(list("b", "", "").objects[0].version_id, "v2");

  // Without a version id the current version goes, and the next one takes its place.
  auto unversioned = store().delete_object("b", "k", "");
  ASSERT_TRUE(unversioned);
  EXPECT_EQ(unversioned->version_id, "v2");
  EXPECT_EQ(current_version_id(store(), "b", "k"), "v1");
  ASSERT_TRUE(store().delete_object("b", "k", "v1"));
  EXPECT_FALSE(store().get_object("b", "k", "")->has_value());
  EXPECT_TRUE(version_ids(store(), "b", "k").empty());
  EXPECT_TRUE(list("b", "", "").objects.empty());
  ASSERT_TRUE(store().delete_bucket("b"));
}

TEST_P(MetaStoreConformance, RewritingAnExistingVersionIdMakesItCurrent) {
  create_bucket("b");
  ASSERT_TRUE(store().put_object(make_blob_version("b", "k", "v1", {"old-v1"})));
  ASSERT_TRUE(store().put_object(make_version("b", "k", "v2")));
  ASSERT_TRUE(store().put_object(make_blob_version("b", "k", "v1", {"new-v1"})));
  EXPECT_EQ(version_ids(store(), "b", "k"), (std::vector<std::string>{"v1", "v2"}));
  EXPECT_EQ(current_version_id(store(), "b", "k"), "v1");
  EXPECT_EQ(garbage(), (std::vector<std::string>{"old-v1"}));
  EXPECT_TRUE(store().blob_in_use("new-v1").value());
}

// --- the null version (suspended buckets) -------------------------------------------------

TEST_P(MetaStoreConformance, NullVersionReplacementKeepsTheOtherVersions) {
  create_bucket("b");
  // Unversioned history, then versioning enabled, then suspended.
  ASSERT_TRUE(store().put_object(make_blob_version("b", "k", "null", {"null-old"})));
  ASSERT_TRUE(store().put_object(make_blob_version("b", "k", "v1", {"blob-v1"})));
  ASSERT_TRUE(store().put_object(make_blob_version("b", "k", "v2", {"blob-v2"})));
  EXPECT_EQ(version_ids(store(), "b", "k"), (std::vector<std::string>{"v2", "v1", "null"}));

  ASSERT_TRUE(store().put_object(make_blob_version("b", "k", "null", {"null-new"})));
  EXPECT_EQ(version_ids(store(), "b", "k"), (std::vector<std::string>{"null", "v2", "v1"}));
  auto current = store().get_object("b", "k", "");
  ASSERT_TRUE(current && current->has_value());
  EXPECT_EQ((*current)->version_id, "null");
  ASSERT_EQ((*current)->blobs.size(), 1u);
  EXPECT_EQ((*current)->blobs[0].blob_id, "null-new");
  EXPECT_EQ(garbage(), (std::vector<std::string>{"null-old"}));
  for (const char* kept : {"blob-v1", "blob-v2", "null-new"}) {
    EXPECT_TRUE(store().blob_in_use(kept).value()) << kept;
  }
  EXPECT_EQ((*store().get_object("b", "k", "v1"))->blobs[0].blob_id, "blob-v1");
  EXPECT_FALSE((*store().get_object("b", "k", "v2"))->is_latest);

  // The null version's place is when it was last written: deleting it promotes v2.
  ASSERT_TRUE(store().delete_object("b", "k", "null"));
  EXPECT_EQ(current_version_id(store(), "b", "k"), "v2");
  EXPECT_EQ(garbage(), (std::vector<std::string>{"null-new", "null-old"}));
}

TEST_P(MetaStoreConformance, NullReplacementWhenTheNullVersionIsCurrent) {
  create_bucket("b");
  ASSERT_TRUE(store().put_object(make_version("b", "k", "v1")));
  ASSERT_TRUE(store().put_object(make_blob_version("b", "k", "null", {"n1"})));
  ASSERT_TRUE(store().put_object(make_blob_version("b", "k", "null", {"n2"})));
  EXPECT_EQ(version_ids(store(), "b", "k"), (std::vector<std::string>{"null", "v1"}));
  EXPECT_EQ(garbage(), (std::vector<std::string>{"n1"}));
  // A suspended bucket's DELETE: a null delete marker replaces the null version.
  ASSERT_TRUE(store().put_object(make_delete_marker("b", "k", "null")));
  EXPECT_EQ(version_ids(store(), "b", "k"), (std::vector<std::string>{"null", "v1"}));
  EXPECT_EQ(garbage(), (std::vector<std::string>{"n1", "n2"}));
  auto current = store().get_object("b", "k", "");
  ASSERT_TRUE(current && current->has_value());
  EXPECT_TRUE((*current)->is_delete_marker);
  EXPECT_TRUE(list("b", "", "").objects.empty());
}

// --- delete markers -----------------------------------------------------------------------

TEST_P(MetaStoreConformance, DeleteMarkerHidesTheKeyButGetReturnsIt) {
  create_bucket("b");
  ASSERT_TRUE(store().put_object(make_version("b", "k", "v1", "data")));
  ASSERT_TRUE(store().put_object(make_version("b", "other", "v1")));
  ASSERT_TRUE(store().put_object(make_delete_marker("b", "k", "v2")));

  auto current = store().get_object("b", "k", "");
  ASSERT_TRUE(current && current->has_value());
  EXPECT_EQ((*current)->version_id, "v2");
  EXPECT_TRUE((*current)->is_delete_marker);
  EXPECT_TRUE((*current)->is_latest);
  EXPECT_EQ((*current)->size, 0u);
  EXPECT_TRUE((*current)->inline_data.empty());
  auto by_id = store().get_object("b", "k", "v2");
  ASSERT_TRUE(by_id && by_id->has_value());
  EXPECT_TRUE((*by_id)->is_delete_marker);
  EXPECT_EQ((*store().get_object("b", "k", "v1"))->inline_data, "data");

  EXPECT_EQ(listed_keys(list("b", "", "")), (std::vector<std::string>{"other"}));
  EXPECT_EQ(listed_keys(list("b", "k", "")), (std::vector<std::string>{}));
  auto usage = store().bucket_usage("b");
  ASSERT_TRUE(usage);
  EXPECT_EQ(usage->objects, 1u);
  // Only a delete marker and noncurrent versions remain: the bucket is still not empty.
  ASSERT_TRUE(store().delete_object("b", "other", "v1"));
  EXPECT_EQ(error_of(store().delete_bucket("b")), ErrorCode::kBucketNotEmpty);
}

TEST_P(MetaStoreConformance, DeletingTheDeleteMarkerBringsTheObjectBack) {
  create_bucket("b");
  ASSERT_TRUE(store().put_object(make_version("b", "k", "v1", "back")));
  ASSERT_TRUE(store().put_object(make_delete_marker("b", "k", "v2")));
  ASSERT_TRUE(list("b", "", "").objects.empty());

  auto deleted = store().delete_object("b", "k", "v2");
  ASSERT_TRUE(deleted);
  EXPECT_TRUE(deleted->existed);
  EXPECT_EQ(deleted->version_id, "v2");
  EXPECT_TRUE(deleted->delete_marker);
  EXPECT_TRUE(garbage().empty());

  auto current = store().get_object("b", "k", "");
  ASSERT_TRUE(current && current->has_value());
  EXPECT_EQ((*current)->version_id, "v1");
  EXPECT_FALSE((*current)->is_delete_marker);
  EXPECT_TRUE((*current)->is_latest);
  EXPECT_EQ((*current)->inline_data, "back");
  EXPECT_EQ(listed_keys(list("b", "", "")), (std::vector<std::string>{"k"}));
}

TEST_P(MetaStoreConformance, StackedDeleteMarkers) {
  create_bucket("b");
  ASSERT_TRUE(store().put_object(make_version("b", "k", "v1")));
  ASSERT_TRUE(store().put_object(make_delete_marker("b", "k", "v2")));
  ASSERT_TRUE(store().put_object(make_delete_marker("b", "k", "v3")));
  // Removing the newest marker uncovers the older marker: the key stays hidden.
  ASSERT_TRUE(store().delete_object("b", "k", "v3"));
  EXPECT_TRUE((*store().get_object("b", "k", ""))->is_delete_marker);
  EXPECT_TRUE(list("b", "", "").objects.empty());
  // Removing the older (noncurrent) marker first leaves the current one in place.
  ASSERT_TRUE(store().put_object(make_delete_marker("b", "k", "v4")));
  ASSERT_TRUE(store().delete_object("b", "k", "v2"));
  EXPECT_EQ(current_version_id(store(), "b", "k"), "v4");
  EXPECT_EQ(version_ids(store(), "b", "k"), (std::vector<std::string>{"v4", "v1"}));
}

TEST_P(MetaStoreConformance, TagsOfANoncurrentVersion) {
  create_bucket("b");
  ASSERT_TRUE(store().put_object(make_version("b", "k", "v1")));
  ASSERT_TRUE(store().put_object(make_version("b", "k", "v2")));
  ASSERT_TRUE(store().put_object_tags("b", "k", "v1", {{"old", "yes"}}));
  EXPECT_EQ((*store().get_object("b", "k", "v1"))->tags, (StringPairs{{"old", "yes"}}));
  EXPECT_TRUE((*store().get_object("b", "k", ""))->tags.empty());
  EXPECT_EQ(current_version_id(store(), "b", "k"), "v2");
}

TEST_P(MetaStoreConformance, CompletingAnUploadAddsAVersion) {
  create_bucket("b");
  ASSERT_TRUE(store().put_object(make_blob_version("b", "k", "v1", {"single"})));
  ASSERT_TRUE(store().create_upload(make_upload("b", "k", "up")));
  ASSERT_TRUE(store().put_part(make_part("up", 1, "p1")));
  ObjectVersion object = make_blob_version("b", "k", "v2", {"p1"});
  object.parts_count = 1;
  ASSERT_TRUE(store().complete_upload("up", object));
  EXPECT_EQ(version_ids(store(), "b", "k"), (std::vector<std::string>{"v2", "v1"}));
  EXPECT_EQ(current_version_id(store(), "b", "k"), "v2");
  EXPECT_TRUE(garbage().empty());
  EXPECT_TRUE(store().blob_in_use("single").value());
}

// --- list_objects over histories ------------------------------------------------------------

TEST_P(MetaStoreConformance, ListObjectsNeverShowsNoncurrentVersionsOrDeletedKeys) {
  create_bucket("b");
  ASSERT_TRUE(store().put_object(make_version("b", "a", "v1", "old")));
  ASSERT_TRUE(store().put_object(make_version("b", "a", "v2", "newer")));
  ASSERT_TRUE(store().put_object(make_version("b", "b", "v1")));
  ASSERT_TRUE(store().put_object(make_delete_marker("b", "b", "v2")));
  ASSERT_TRUE(store().put_object(make_version("b", "c", "null")));
  ASSERT_TRUE(store().put_object(make_delete_marker("b", "d", "v1")));  // only a marker

  auto page = list("b", "", "");
  EXPECT_EQ(listed_keys(page), (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(page.objects[0].version_id, "v2");
  EXPECT_EQ(page.objects[0].size, 5u);
  EXPECT_EQ(page.last_entry, "c");
  for (uint32_t max_keys : {1u, 2u, 3u}) {
    EXPECT_EQ(list_all("b", "", "", max_keys), (std::vector<std::string>{"a", "c"}))
        << "max_keys=" << max_keys;
  }
  auto first = list("b", "", "", "", 1);
  EXPECT_TRUE(first.truncated);
  // After "c" only hidden keys follow: the page is not truncated.
  auto last = list("b", "", "", "a", 1);
  EXPECT_EQ(listed_keys(last), (std::vector<std::string>{"c"}));
  EXPECT_FALSE(last.truncated);
}

TEST_P(MetaStoreConformance, FolderOfDeletedKeysIsNotACommonPrefix) {
  create_bucket("b");
  put_keys("b", {"a/1", "dir2/z", "e", "mix/live"});
  for (const char* key : {"dir/x", "dir/y", "dir/sub/z", "mix/dead", "z/gone"}) {
    ASSERT_TRUE(store().put_object(make_version("b", key, "v1")));
    ASSERT_TRUE(store().put_object(make_delete_marker("b", key, "v2")));
  }
  // A folder holding only a marker with no older version.
  ASSERT_TRUE(store().put_object(make_delete_marker("b", "dir3/only-marker", "v1")));

  auto root = list("b", "", "/");
  EXPECT_EQ(listed_keys(root), (std::vector<std::string>{"e"}));
  EXPECT_EQ(root.common_prefixes, (std::vector<std::string>{"a/", "dir2/", "mix/"}));
  EXPECT_EQ(root.last_entry, "mix/");
  EXPECT_FALSE(root.truncated);
  for (uint32_t max_keys : {1u, 2u, 3u, 4u}) {
    EXPECT_EQ(list_all("b", "", "/", max_keys),
              (std::vector<std::string>{"a/", "dir2/", "e", "mix/"}))
        << "max_keys=" << max_keys;
  }
  // The page ending on "mix/" is the last one: only "z/", all deleted, follows.
  auto tail = list("b", "", "/", "e", 1);
  EXPECT_EQ(tail.common_prefixes, (std::vector<std::string>{"mix/"}));
  EXPECT_FALSE(tail.truncated);
  // The page ending on "a/" is truncated: "dir/" does not count, "dir2/" does.
  auto head = list("b", "", "/", "", 1);
  EXPECT_EQ(head.common_prefixes, (std::vector<std::string>{"a/"}));
  EXPECT_TRUE(head.truncated);

  auto inside = list("b", "dir/", "/");
  EXPECT_TRUE(inside.objects.empty());
  EXPECT_TRUE(inside.common_prefixes.empty());
  EXPECT_FALSE(inside.truncated);
  EXPECT_EQ(listed_keys(list("b", "mix/", "/")), (std::vector<std::string>{"mix/live"}));
}

// --- list_object_versions -----------------------------------------------------------------

TEST_P(MetaStoreConformance, ListVersionsOrderAndIsLatest) {
  create_bucket("b");
  create_bucket("other");
  ASSERT_TRUE(store().put_object(make_version("b", "c/x", "v1")));
  ASSERT_TRUE(store().put_object(make_version("b", "a", "v1", "a-one")));
  ASSERT_TRUE(store().put_object(make_version("b", "b", "null")));
  ASSERT_TRUE(store().put_object(make_version("b", "a", "v2", "a-two!")));
  ASSERT_TRUE(store().put_object(make_version("b", "c/x", "v2")));
  ASSERT_TRUE(store().put_object(make_delete_marker("b", "a", "v3")));
  ASSERT_TRUE(store().put_object(make_version("other", "a", "v9")));

  auto page = list_versions(store(), versions_query("b"));
  EXPECT_EQ(entries_of(page.versions), (std::vector<VersionEntry>{
                                           {"a", "v3", true, true},
                                           {"a", "v2", false, false},
                                           {"a", "v1", false, false},
                                           {"b", "null", true, false},
                                           {"c/x", "v2", true, false},
                                           {"c/x", "v1", false, false},
                                       }));
  EXPECT_FALSE(page.truncated);
  EXPECT_TRUE(page.common_prefixes.empty());
  EXPECT_EQ(page.next_key_marker, "c/x");
  EXPECT_EQ(page.next_version_id_marker, "v1");
  const ObjectVersion& a2 = page.versions[1];
  EXPECT_EQ(a2.bucket, "b");
  EXPECT_EQ(a2.size, 6u);
  EXPECT_EQ(a2.etag, make_object("b", "a").etag);
  EXPECT_EQ(a2.owner_id, kOwner);
  EXPECT_EQ(a2.content_type, "text/plain");
  EXPECT_EQ(a2.storage_class, "STANDARD");
  EXPECT_TRUE(a2.inline_data.empty());
  EXPECT_EQ(page.versions[0].size, 0u);

  auto prefixed = list_versions(store(), versions_query("b", "c/"));
  EXPECT_EQ(entries_of(prefixed.versions), (std::vector<VersionEntry>{
                                               {"c/x", "v2", true, false},
                                               {"c/x", "v1", false, false},
                                           }));
  EXPECT_TRUE(list_versions(store(), versions_query("b", "zzz")).versions.empty());
}

TEST_P(MetaStoreConformance, ListVersionsPagesThroughTheMiddleOfAKey) {
  create_bucket("b");
  ASSERT_TRUE(store().put_object(make_version("b", "j", "v1")));
  for (const char* id : {"v1", "v2", "v3", "v4", "v5"}) {
    ASSERT_TRUE(store().put_object(make_version("b", "k", id)));
  }
  ASSERT_TRUE(store().put_object(make_delete_marker("b", "k", "v6")));
  ASSERT_TRUE(store().put_object(make_version("b", "l", "null")));
  std::vector<VersionEntry> all = entries_of(list_versions(store(), versions_query("b")).versions);
  ASSERT_EQ(all.size(), 8u);

  // The first page ends in the middle of k.
  auto first = list_versions(store(), versions_query("b", "", "", 3));
  EXPECT_EQ(entries_of(first.versions), (std::vector<VersionEntry>{
                                            {"j", "v1", true, false},
                                            {"k", "v6", true, true},
                                            {"k", "v5", false, false},
                                        }));
  EXPECT_TRUE(first.truncated);
  EXPECT_EQ(first.next_key_marker, "k");
  EXPECT_EQ(first.next_version_id_marker, "v5");
  ListVersionsQuery query = versions_query("b", "", "", 3);
  query.key_marker = first.next_key_marker;
  query.version_id_marker = first.next_version_id_marker;
  auto second = list_versions(store(), query);
  EXPECT_EQ(entries_of(second.versions), (std::vector<VersionEntry>{
                                             {"k", "v4", false, false},
                                             {"k", "v3", false, false},
                                             {"k", "v2", false, false},
                                         }));
  EXPECT_TRUE(second.truncated);

  // Every page size reassembles the whole listing, with full pages until the last.
  for (uint32_t max_keys = 1; max_keys <= 9; ++max_keys) {
    std::vector<VersionEntry> paged;
    ListVersionsQuery step = versions_query("b", "", "", max_keys);
    for (int pages = 0; pages < 20; ++pages) {
      auto page = list_versions(store(), step);
      auto entries = entries_of(page.versions);
      paged.insert(paged.end(), entries.begin(), entries.end());
      if (!page.truncated) break;
      EXPECT_EQ(page.versions.size(), max_keys);
      step.key_marker = page.next_key_marker;
      step.version_id_marker = page.next_version_id_marker;
    }
    EXPECT_EQ(paged, all) << "max_keys=" << max_keys;
  }

  // Markers given directly: after the current version, after a noncurrent one, after the
  // oldest, a key marker alone, and a version id that no longer exists.
  auto after = [&](std::string key_marker, std::string version_id_marker) {
    ListVersionsQuery q = versions_query("b");
    q.key_marker = std::move(key_marker);
    q.version_id_marker = std::move(version_id_marker);
    std::vector<std::string> listed;
    for (const auto& v : list_versions(store(), q).versions) {
      listed.push_back(v.key + "@" + v.version_id);
    }
    return listed;
  };
  EXPECT_EQ(after("k", "v6"),
            (std::vector<std::string>{"k@v5", "k@v4", "k@v3", "k@v2", "k@v1", "l@null"}));
  EXPECT_EQ(after("k", "v3"), (std::vector<std::string>{"k@v2", "k@v1", "l@null"}));
  EXPECT_EQ(after("k", "v1"), (std::vector<std::string>{"l@null"}));
  EXPECT_EQ(after("k", ""), (std::vector<std::string>{"l@null"}));
  EXPECT_EQ(after("k", "v-gone"), (std::vector<std::string>{"l@null"}));
  EXPECT_EQ(after("j", "v1").front(), "k@v6");
  EXPECT_EQ(after("a", "").size(), 8u);  // a key marker below every key
  EXPECT_TRUE(after("l", "null").empty());
  // A version id marker without a key marker is ignored.
  EXPECT_EQ(after("", "v3").size(), 8u);
}

TEST_P(MetaStoreConformance, ListVersionsWithDelimiter) {
  create_bucket("b");
  ASSERT_TRUE(store().put_object(make_version("b", "photos/2024/a", "v1")));
  ASSERT_TRUE(store().put_object(make_version("b", "photos/2024/a", "v2")));
  ASSERT_TRUE(store().put_object(make_version("b", "photos/2024/b", "v1")));
  ASSERT_TRUE(store().put_object(make_version("b", "photos/x.jpg", "v1")));
  ASSERT_TRUE(store().put_object(make_delete_marker("b", "photos/x.jpg", "v2")));
  ASSERT_TRUE(store().put_object(make_delete_marker("b", "photos/gone/y", "v1")));
  ASSERT_TRUE(store().put_object(make_version("b", "photos/z", "null")));
  ASSERT_TRUE(store().put_object(make_version("b", "other", "v1")));

  auto page = list_versions(store(), versions_query("b", "photos/", "/"));
  // Unlike list_objects, a folder of delete markers is a common prefix: markers are versions.
  EXPECT_EQ(page.common_prefixes, (std::vector<std::string>{"photos/2024/", "photos/gone/"}));
  EXPECT_EQ(entries_of(page.versions), (std::vector<VersionEntry>{
                                           {"photos/x.jpg", "v2", true, true},
                                           {"photos/x.jpg", "v1", false, false},
                                           {"photos/z", "null", true, false},
                                       }));
  EXPECT_FALSE(page.truncated);

  // One entry per page: a page ending on a common prefix resumes after its whole group.
  std::vector<std::string> paged;
  ListVersionsQuery step = versions_query("b", "photos/", "/", 1);
  for (int pages = 0; pages < 20; ++pages) {
    auto one = list_versions(store(), step);
    ASSERT_EQ(one.versions.size() + one.common_prefixes.size(), 1u);
    if (!one.common_prefixes.empty()) {
      paged.push_back(one.common_prefixes[0]);
      EXPECT_EQ(one.next_key_marker, one.common_prefixes[0]);
      EXPECT_TRUE(one.next_version_id_marker.empty());
    } else {
      paged.push_back(one.versions[0].key + "@" + one.versions[0].version_id);
    }
    if (!one.truncated) break;
    step.key_marker = one.next_key_marker;
    step.version_id_marker = one.next_version_id_marker;
  }
  EXPECT_EQ(paged, (std::vector<std::string>{"photos/2024/", "photos/gone/", "photos/x.jpg@v2",
                                             "photos/x.jpg@v1", "photos/z@null"}));

  auto root = list_versions(store(), versions_query("b", "", "/"));
  EXPECT_EQ(root.common_prefixes, (std::vector<std::string>{"photos/"}));
  EXPECT_EQ(entries_of(root.versions), (std::vector<VersionEntry>{{"other", "v1", true, false}}));
}

TEST_P(MetaStoreConformance, ListVersionsBoundaries) {
  create_bucket("b");
  ASSERT_TRUE(store().put_object(make_version("b", "k", "v1")));
  auto zero = list_versions(store(), versions_query("b", "", "", 0));
  EXPECT_TRUE(zero.versions.empty());
  EXPECT_FALSE(zero.truncated);
  auto empty_bucket_page = list_versions(store(), versions_query("b", "nothing/"));
  EXPECT_TRUE(empty_bucket_page.versions.empty());
  EXPECT_TRUE(empty_bucket_page.next_key_marker.empty());
  EXPECT_EQ(error_of(store().list_object_versions(versions_query("none"))),
            ErrorCode::kNoSuchBucket);
}

TEST_P(MetaStoreConformance, ListVersionsKeysAreBytes) {
  create_bucket("b");
  std::string with_nul("k\0x", 3);
  ASSERT_TRUE(store().put_object(make_version("b", "k", "v1")));
  ASSERT_TRUE(store().put_object(make_version("b", with_nul, "v1")));
  ASSERT_TRUE(store().put_object(make_version("b", "k", "v2")));
  ASSERT_TRUE(store().put_object(make_version("b", "\xff", "v1")));
  auto page = list_versions(store(), versions_query("b"));
  EXPECT_EQ(entries_of(page.versions), (std::vector<VersionEntry>{
                                           {"k", "v2", true, false},
                                           {"k", "v1", false, false},
                                           {with_nul, "v1", true, false},
                                           {"\xff", "v1", true, false},
                                       }));
  // Resuming inside "k" does not spill into "k\0x" early or skip it.
  ListVersionsQuery query = versions_query("b");
  query.key_marker = "k";
  query.version_id_marker = "v2";
  EXPECT_EQ(
      entries_of(list_versions(store(), query).versions),
      (std::vector<VersionEntry>{
          {"k", "v1", false, false}, {with_nul, "v1", true, false}, {"\xff", "v1", true, false}}));
}

// --- usage and concurrency ----------------------------------------------------------------

TEST_P(MetaStoreConformance, BucketUsageCountsEveryVersion) {
  create_bucket("b");
  auto empty = store().bucket_usage("b");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->versions, 0u);
  EXPECT_EQ(empty->version_bytes, 0u);
  ASSERT_TRUE(store().put_object(make_version("b", "hidden", "v1", "12345")));
  ASSERT_TRUE(store().put_object(make_version("b", "hidden", "v2", "1234567")));
  ASSERT_TRUE(store().put_object(make_delete_marker("b", "hidden", "v3")));
  ASSERT_TRUE(store().put_object(make_version("b", "shown", "v1", "12")));
  ASSERT_TRUE(store().put_object(make_version("b", "shown", "v2", "123")));
  ASSERT_TRUE(store().put_object(make_version("b", "null-key", "null", "1")));
  ASSERT_TRUE(store().put_object(make_version("b", "null-key", "null", "1234")));  // replaces
  auto usage = store().bucket_usage("b");
  ASSERT_TRUE(usage);
  EXPECT_EQ(usage->objects, 2u);  // shown@v2, null-key@null
  EXPECT_EQ(usage->bytes, 7u);
  EXPECT_EQ(usage->versions, 6u);  // delete marker included, replaced null not
  EXPECT_EQ(usage->version_bytes, 5u + 7u + 0u + 2u + 3u + 4u);
}

TEST_P(MetaStoreConformance, ConcurrentVersionWritesKeepOneCurrentVersionPerKey) {
  create_bucket("b");
  constexpr int kThreads = 8;
  constexpr int kPerThread = 25;
  std::vector<ObjectVersion> versions;
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kPerThread; ++i) {
      std::string key = "k" + std::to_string(i % 3);
      std::string id = "t" + std::to_string(t) + "-" + std::to_string(i);
      versions.push_back(i % 5 == 4 ? make_delete_marker("b", key, id)
                                    : make_version("b", key, id));
    }
  }
  put_all(versions, kThreads);
  auto page = list_versions(store(), versions_query("b"));
  ASSERT_EQ(page.versions.size(), versions.size());
  std::string previous_key;
  for (const ObjectVersion& v : page.versions) {
    bool first_of_key = v.key != previous_key;
    EXPECT_EQ(v.is_latest, first_of_key) << v.key << "@" << v.version_id;
    if (first_of_key) {
      EXPECT_EQ(current_version_id(store(), "b", v.key), v.version_id);
    }
    previous_key = v.key;
  }
  EXPECT_EQ(store().bucket_usage("b")->versions, versions.size());
}

}  // namespace
}  // namespace cv::meta::conformance
