// MetaStore conformance cases for issue 14's S3 behaviours (fixture in
// meta_store_conformance.h): conditional writes checked in the committing transaction, and the
// checksum fields (type, part checksums) of versions and uploads.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "meta_store_conformance.h"

namespace cv::meta::conformance {
namespace {

WriteCondition if_none_match() { return WriteCondition{.if_none_match = true}; }
WriteCondition if_match(std::string etag) { return WriteCondition{.if_match = std::move(etag)}; }

TEST_P(MetaStoreConformance, IfNoneMatchWritesOnlyAnAbsentKey) {
  create_bucket("b");
  ASSERT_TRUE(store().put_object(make_object("b", "k", "one"), std::nullopt, if_none_match()));
  ObjectVersion second = make_object("b", "k", "two");
  second.etag = "ffffffffffffffffffffffffffffffff";
  EXPECT_EQ(error_of(store().put_object(second, std::nullopt, if_none_match())),
            ErrorCode::kPreconditionFailed);
  auto current = store().get_object("b", "k", "");
  ASSERT_TRUE(current && *current);
  EXPECT_EQ((*current)->inline_data, "one");  // nothing of the refused write is left
}

TEST_P(MetaStoreConformance, IfNoneMatchTreatsADeleteMarkerAsAbsent) {
  create_bucket("b");
  ObjectVersion object = make_object("b", "k");
  object.version_id = "v1";
  ASSERT_TRUE(store().put_object(object));
  ObjectVersion marker = make_object("b", "k", "");
  marker.version_id = "v2";
  marker.is_delete_marker = true;
  ASSERT_TRUE(store().put_object(marker));
  ObjectVersion again = make_object("b", "k", "again");
  again.version_id = "v3";
  EXPECT_TRUE(store().put_object(again, std::nullopt, if_none_match()));
}

TEST_P(MetaStoreConformance, IfMatchNeedsTheCurrentEtag) {
  create_bucket("b");
  EXPECT_EQ(error_of(store().put_object(make_object("b", "k"), std::nullopt,
                                        if_match("0123456789abcdef0123456789abcdef"))),
            ErrorCode::kNoSuchKey);
  ASSERT_TRUE(store().put_object(make_object("b", "k", "one")));
  EXPECT_EQ(error_of(store().put_object(make_object("b", "k", "two"), std::nullopt,
                                        if_match("00000000000000000000000000000000"))),
            ErrorCode::kPreconditionFailed);
  EXPECT_TRUE(store().put_object(make_object("b", "k", "three"), std::nullopt,
                                 if_match("0123456789abcdef0123456789abcdef")));
  auto current = store().get_object("b", "k", "");
  ASSERT_TRUE(current && *current);
  EXPECT_EQ((*current)->inline_data, "three");
}

TEST_P(MetaStoreConformance, ConcurrentIfNoneMatchWritersHaveOneWinner) {
  create_bucket("b");
  constexpr int kWriters = 16;
  for (int round = 0; round < 5; ++round) {
    const std::string key = "race" + std::to_string(round);
    std::atomic<int> won{0};
    std::atomic<int> refused{0};
    std::vector<std::thread> writers;
    for (int i = 0; i < kWriters; ++i) {
      writers.emplace_back([&, i] {
        auto put = store().put_object(make_object("b", key, "writer" + std::to_string(i)),
                                      std::nullopt, if_none_match());
        if (put) {
          ++won;
        } else if (put.error().code == ErrorCode::kPreconditionFailed) {
          ++refused;
        }
      });
    }
    for (auto& writer : writers) writer.join();
    EXPECT_EQ(won.load(), 1) << key;
    EXPECT_EQ(refused.load(), kWriters - 1) << key;
  }
}

TEST_P(MetaStoreConformance, ConditionalCompletionChecksTheKeyAndTheUpload) {
  create_bucket("b");
  ASSERT_TRUE(store().put_object(make_object("b", "k", "existing")));
  ASSERT_TRUE(store().create_upload(make_upload("b", "k", "u1")));
  ASSERT_TRUE(store().put_part(make_part("u1", 1, "blob-u1")));
  ObjectVersion completed = make_blob_object("b", "k", {"blob-u1"});
  completed.parts_count = 1;
  EXPECT_EQ(error_of(store().complete_upload("u1", completed, std::nullopt, if_none_match())),
            ErrorCode::kPreconditionFailed);
  // The refused completion left the upload in place: it can still complete.
  EXPECT_TRUE(store().get_upload("b", "u1")->has_value());
  // An upload aborted before the conditional completion commits is a conflict.
  ASSERT_TRUE(store().abort_upload("b", "u1"));
  EXPECT_EQ(error_of(store().complete_upload("u1", completed, std::nullopt,
                                             if_match("0123456789abcdef0123456789abcdef"))),
            ErrorCode::kConditionalRequestConflict);
  // Without a condition, a vanished upload stays NoSuchUpload.
  EXPECT_EQ(error_of(store().complete_upload("u1", completed)), ErrorCode::kNoSuchUpload);
}

TEST_P(MetaStoreConformance, ChecksumTypeAndPartChecksumsRoundTrip) {
  create_bucket("b");
  ObjectVersion object = make_blob_object("b", "mp", {"p1", "p2", "p3"});
  object.parts_count = 3;
  object.checksum_algorithm = "CRC32";
  object.checksum_value = "AAAAAA==-3";
  object.checksum_type = "COMPOSITE";
  object.part_checksums = {"AQIDBA==", "", "BQYHCA=="};
  ASSERT_TRUE(store().put_object(object));
  for (int pass = 0; pass < 2; ++pass) {
    auto got = store().get_object("b", "mp", "");
    ASSERT_TRUE(got && *got);
    EXPECT_EQ((*got)->checksum_type, "COMPOSITE");
    EXPECT_EQ((*got)->part_checksums, object.part_checksums);
    auto versions = store().key_versions("b", "mp");
    ASSERT_TRUE(versions);
    ASSERT_EQ(versions->size(), 1u);
    EXPECT_EQ(versions->front().part_checksums, object.part_checksums);
    reopen();
  }
  ObjectVersion simple = make_object("b", "simple");
  simple.checksum_algorithm = "CRC64NVME";
  simple.checksum_value = "AAAAAAAAAAA=";
  simple.checksum_type = "FULL_OBJECT";
  ASSERT_TRUE(store().put_object(simple));
  auto got = store().get_object("b", "simple", "");
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->checksum_type, "FULL_OBJECT");
  EXPECT_TRUE((*got)->part_checksums.empty());
}

TEST_P(MetaStoreConformance, UploadKeepsItsChecksumType) {
  create_bucket("b");
  MultipartUpload upload = make_upload("b", "k", "u1");
  upload.object.checksum_algorithm = "CRC32C";
  upload.object.checksum_type = "FULL_OBJECT";
  ASSERT_TRUE(store().create_upload(upload));
  auto got = store().get_upload("b", "u1");
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->object.checksum_algorithm, "CRC32C");
  EXPECT_EQ((*got)->object.checksum_type, "FULL_OBJECT");
  auto page = store().list_uploads(ListUploadsQuery{.bucket = "b"});
  ASSERT_TRUE(page);
  ASSERT_EQ(page->uploads.size(), 1u);
  EXPECT_EQ(page->uploads[0].object.checksum_type, "FULL_OBJECT");
}

}  // namespace
}  // namespace cv::meta::conformance
