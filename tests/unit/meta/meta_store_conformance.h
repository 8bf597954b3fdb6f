// The conformance suite every MetaStore implementation passes. The fixture and helpers are
// here; the tests are in meta_store_conformance_test.cc and meta_store_versioning_test.cc
// (same binary, unit_meta). To run the suite against an implementation, instantiate it in
// that implementation's test file:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, MetaStoreConformance,
//                            ::testing::Values(MetaStoreImplementation{"Sqlite", open_fn}),
//                            conformance_test_name);
//
// where open_fn(dir) opens a fresh, empty store keeping its files under `dir` (an empty
// directory the fixture creates and deletes).
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "meta/meta_store.h"

namespace cv::meta::conformance {

// A fresh directory, removed with its contents on destruction.
class ScopedTempDir {
 public:
  ScopedTempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "cv-meta-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ScopedTempDir(const ScopedTempDir&) = delete;
  ScopedTempDir& operator=(const ScopedTempDir&) = delete;
  ~ScopedTempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct MetaStoreImplementation {
  std::string name;
  std::function<std::unique_ptr<MetaStore>(const std::filesystem::path& dir)> open;
};

inline void PrintTo(const MetaStoreImplementation& implementation, std::ostream* out) {
  *out << implementation.name;
}

inline std::string conformance_test_name(
    const ::testing::TestParamInfo<MetaStoreImplementation>& info) {
  return info.param.name;
}

// The error code of a failed Result/Status, kInternalError... never used on success.
template <class R>
ErrorCode error_of(const R& result) {
  return result ? ErrorCode::kInternalError : result.error().code;
}

inline const std::string kOwner = std::string(64, 'a');
inline const std::string kOtherOwner = std::string(64, 'b');

// A small inline object with the listing columns filled.
inline ObjectVersion make_object(std::string bucket, std::string key, std::string body = "body") {
  ObjectVersion object;
  object.bucket = std::move(bucket);
  object.key = std::move(key);
  object.size = body.size();
  object.etag = "0123456789abcdef0123456789abcdef";
  object.mtime_ns = 1'700'000'000'000'000'000;
  object.owner_id = kOwner;
  object.content_type = "text/plain";
  object.inline_data = std::move(body);
  return object;
}

// An object whose body is the given blobs (1 KiB each).
inline ObjectVersion make_blob_object(std::string bucket, std::string key,
                                      const std::vector<std::string>& blob_ids) {
  ObjectVersion object = make_object(std::move(bucket), std::move(key), "");
  object.size = 0;
  for (const std::string& id : blob_ids) {
    object.blobs.push_back(BlobRef{.blob_id = id, .size = 1024});
    object.size += 1024;
  }
  return object;
}

class MetaStoreConformance : public ::testing::TestWithParam<MetaStoreImplementation> {
 protected:
  void SetUp() override {
    store_ = GetParam().open(dir_.path());
    ASSERT_NE(store_, nullptr);
  }
  void TearDown() override { store_.reset(); }

  MetaStore& store() { return *store_; }
  // Closes the store and opens it again on the same files (a restart).
  void reopen() {
    store_.reset();
    store_ = GetParam().open(dir_.path());
    ASSERT_NE(store_, nullptr);
  }

  void create_bucket(const std::string& name, const std::string& owner = kOwner) {
    auto created = store().create_bucket(Bucket{name, owner, "us-east-1", 1});
    ASSERT_TRUE(created) << created.error().message;
  }

  // Puts every object, from several threads so the writes share commits.
  void put_all(const std::vector<ObjectVersion>& objects, size_t threads = 8) {
    std::vector<std::thread> workers;
    std::atomic<size_t> failures{0};
    for (size_t t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        for (size_t i = t; i < objects.size(); i += threads) {
          if (!store().put_object(objects[i])) ++failures;
        }
      });
    }
    for (auto& worker : workers) worker.join();
    ASSERT_EQ(failures.load(), 0u);
  }

  void put_keys(const std::string& bucket, const std::vector<std::string>& keys) {
    std::vector<ObjectVersion> objects;
    objects.reserve(keys.size());
    for (const std::string& key : keys) objects.push_back(make_object(bucket, key));
    put_all(objects);
  }

  ListObjectsPage list(const std::string& bucket, const std::string& prefix,
                       const std::string& delimiter, const std::string& start_after = {},
                       uint32_t max_keys = 1000) {
    auto page =
        store().list_objects(ListObjectsQuery{bucket, prefix, start_after, delimiter, max_keys});
    EXPECT_TRUE(page) << page.error().message;
    return page ? *page : ListObjectsPage{};
  }

  // Pages through a listing; returns every entry (keys and prefixes, in page order) and
  // checks each page's size and last_entry.
  std::vector<std::string> list_all(const std::string& bucket, const std::string& prefix,
                                    const std::string& delimiter, uint32_t max_keys,
                                    size_t* pages = nullptr,
                                    size_t* pages_ending_on_prefix = nullptr) {
    std::vector<std::string> entries;
    std::string start_after;
    for (size_t page_count = 1;; ++page_count) {
      ListObjectsPage page = list(bucket, prefix, delimiter, start_after, max_keys);
      std::vector<std::string> merged;
      for (const auto& object : page.objects) merged.push_back(object.key);
      for (const auto& common : page.common_prefixes) merged.push_back(common);
      std::sort(merged.begin(), merged.end());
      EXPECT_LE(merged.size(), max_keys);
      if (!merged.empty()) {
        EXPECT_EQ(page.last_entry, merged.back());
      }
      if (pages_ending_on_prefix && !page.common_prefixes.empty() &&
          page.last_entry == page.common_prefixes.back()) {
        ++*pages_ending_on_prefix;
      }
      entries.insert(entries.end(), merged.begin(), merged.end());
      if (!page.truncated) {
        if (pages) *pages = page_count;
        return entries;
      }
      EXPECT_EQ(merged.size(), max_keys);
      if (merged.empty() || page_count > 100'000) {
        ADD_FAILURE() << "listing does not advance";
        return entries;
      }
      start_after = page.last_entry;
    }
  }

  MultipartUpload make_upload(const std::string& bucket, const std::string& key,
                              const std::string& upload_id, int64_t initiated_ns = 1) {
    MultipartUpload upload;
    upload.upload_id = upload_id;
    upload.bucket = bucket;
    upload.key = key;
    upload.initiated_ns = initiated_ns;
    upload.owner_id = kOwner;
    upload.object.content_type = "video/mp4";
    return upload;
  }

  static Part make_part(const std::string& upload_id, uint32_t number,
                        std::optional<std::string> blob_id) {
    Part part;
    part.upload_id = upload_id;
    part.part_number = number;
    part.etag = "etag" + std::to_string(number);
    part.size = 1024;
    part.mtime_ns = 5;
    if (blob_id) {
      part.blob = BlobRef{.blob_id = *blob_id, .size = 1024};
    } else {
      part.inline_data = std::string(1024, 'p');
    }
    return part;
  }

  std::vector<std::string> garbage() {
    auto taken = store().take_garbage(100'000);
    EXPECT_TRUE(taken);
    std::vector<std::string> ids = taken ? *taken : std::vector<std::string>{};
    std::sort(ids.begin(), ids.end());
    return ids;
  }

 private:
  ScopedTempDir dir_;
  std::unique_ptr<MetaStore> store_;
};

}  // namespace cv::meta::conformance
