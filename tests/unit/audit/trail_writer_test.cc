// The trail writer driven step by step: batching into the store, rolling by count and by time,
// the gzipped files, the signed digest chain (empty hours too), backfill, recovery of a
// claimed-but-unwritten file, the trail bucket, and flush through the running thread.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "audit/trail_files.h"
#include "core/encoding.h"
#include "core/hash.h"
#include "trail_test_support.h"

namespace cv::audit::testing {
namespace {

TEST_F(TrailTest, RecordsReachTheStoreInOneBatchPerAppend) {
  writer_->record(event(kTen + 1, "PutObject", "x"));
  writer_->record(event(kTen + 2, "GetObject", "y"));
  auto before = meta_->lookup_trail({});
  ASSERT_TRUE(before);
  EXPECT_TRUE(before->records.empty());  // queued, not yet appended
  auto appended = writer_->append_once();
  ASSERT_TRUE(appended) << appended.error().message;
  EXPECT_EQ(*appended, 2u);
  auto page = meta_->lookup_trail({});
  ASSERT_TRUE(page);
  ASSERT_EQ(page->records.size(), 2u);
  EXPECT_EQ(page->records[0].event_name, "GetObject");  // newest first
  EXPECT_EQ(page->records[0].user_name, "alice");
  EXPECT_EQ(page->records[0].access_key_id, "AKALICE");
  EXPECT_EQ(page->records[0].key, "y");
  EXPECT_TRUE(page->records[0].read_only);
  EXPECT_FALSE(page->records[1].read_only);
  EXPECT_EQ(page->records[0].event_id.size(), 36u);  // a UUID was given
  auto json = boost::json::parse(page->records[1].record_json).as_object();
  EXPECT_EQ(json.at("eventName"), "PutObject");
  EXPECT_EQ(json.at("eventVersion"), "1.09");
  EXPECT_EQ(*writer_->append_once(), 0u);
}

TEST_F(TrailTest, RollsByCountIntoGzippedRecordFilesAtCloudTrailKeys) {
  make_writer({.roll_records = 2});
  for (int i = 0; i < 5; ++i) writer_->record(event(kTen + i * kSecond));
  ASSERT_TRUE(writer_->append_once());
  auto rolled = writer_->roll_once(kTen + 5 * kSecond, false);
  ASSERT_TRUE(rolled) << rolled.error().message;
  EXPECT_EQ(*rolled, 2u);  // 2 + 2; the fifth waits for its time or company
  const auto files = files_under("CloudTrail");
  ASSERT_EQ(files.size(), 2u);
  const std::string prefix = std::string("AWSLogs/") + kAccount +
                             "/CloudTrail/us-east-1/2026/12/06/" + kAccount +
                             "_CloudTrail_us-east-1_20261206T1000Z_";
  for (const auto& key : files) {
    EXPECT_TRUE(key.starts_with(prefix)) << key;
    EXPECT_EQ(key.size(), prefix.size() + 16 + 8) << key;  // <unique>.json.gz
    auto document = read_gz_json(key);
    ASSERT_EQ(document.at("Records").as_array().size(), 2u);
    EXPECT_EQ(document.at("Records").as_array()[0].at("eventSource"), "s3.amazonaws.com");
  }
  auto backlog = meta_->trail_backlog(10);
  ASSERT_TRUE(backlog);
  EXPECT_EQ(backlog->records, 1u);
  // The file's hash in the store is the uncompressed bytes'.
  auto written = meta_->undigested_trail_files();
  ASSERT_TRUE(written);
  ASSERT_EQ(written->size(), 2u);
  auto plain = gzip_decompress(*read_whole_file(folder() / written->at(0).key));
  EXPECT_EQ(written->at(0).sha256_hex, hex_encode(sha256(*plain)));
  EXPECT_EQ(written->at(0).oldest_event_ns, kTen);
  EXPECT_EQ(written->at(0).newest_event_ns, kTen + kSecond);
}

TEST_F(TrailTest, RollsByTimeOnceTheOldestRecordHasWaitedRollSeconds) {
  make_writer({.roll_seconds = 300});
  writer_->record(event(kTen));
  ASSERT_TRUE(writer_->append_once());
  EXPECT_EQ(*writer_->roll_once(kTen + 299 * kSecond, false), 0u);
  EXPECT_TRUE(files_under("CloudTrail").empty());
  EXPECT_EQ(*writer_->roll_once(kTen + 300 * kSecond, false), 1u);
  ASSERT_EQ(files_under("CloudTrail").size(), 1u);
  EXPECT_NE(files_under("CloudTrail")[0].find("_20261206T1005Z_"), std::string::npos);
}

TEST_F(TrailTest, HourlyDigestsAreSignedAndChained) {
  log_file_at(kTen + 5 * kMinute, {kTen + kMinute, kTen + 2 * kMinute});
  auto first = writer_->digest_once(kTen + kHour, false);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(*first, 1u);
  log_file_at(kTen + 90 * kMinute, {kTen + 80 * kMinute});
  EXPECT_EQ(*writer_->digest_once(kTen + 2 * kHour - kSecond, false), 0u);  // hour not over
  EXPECT_EQ(*writer_->digest_once(kTen + 2 * kHour, false), 1u);

  const auto digests = files_under("CloudTrail-Digest");
  ASSERT_EQ(digests.size(), 2u);
  EXPECT_EQ(digests[0], digest_file_key(kAccount, "us-east-1", "cloudvault", kTen + kHour));
  auto one = read_gz_json(digests[0]);
  auto two = read_gz_json(digests[1]);
  EXPECT_EQ(one.at("digestStartTime"), "2026-12-06T10:00:00Z");
  EXPECT_EQ(one.at("digestEndTime"), "2026-12-06T11:00:00Z");
  EXPECT_TRUE(one.at("previousDigestSignature").is_null());
  ASSERT_EQ(one.at("logFiles").as_array().size(), 1u);
  EXPECT_EQ(one.at("logFiles").as_array()[0].at("oldestEventTime"), "2026-12-06T10:01:00Z");
  EXPECT_EQ(two.at("digestStartTime"), "2026-12-06T11:00:00Z");
  EXPECT_EQ(text(two.at("previousDigestS3Object")), digests[0]);
  const std::string one_plain = *gzip_decompress(*read_whole_file(folder() / digests[0]));
  EXPECT_EQ(text(two.at("previousDigestHashValue")), hex_encode(sha256(one_plain)));
  const std::string one_signature = *read_whole_file(folder() / (digests[0] + ".sig"));
  EXPECT_EQ(text(two.at("previousDigestSignature")), one_signature);
  // The signature is over CloudTrail's signing string, with "null" for the first digest.
  EXPECT_TRUE(verify_ed25519(key_->public_pem(),
                             digest_signing_string("2026-12-06T11:00:00Z", "/" + digests[0],
                                                   hex_encode(sha256(one_plain)), ""),
                             *hex_decode(one_signature)));
  EXPECT_EQ(text(one.at("digestPublicKeyFingerprint")), key_->fingerprint());
  EXPECT_TRUE(validate().intact()) << joined(validate().problems);
}

TEST_F(TrailTest, AnHourWithoutActivityStillGetsADigest) {
  log_file_at(kTen + 5 * kMinute, {kTen + kMinute});
  ASSERT_TRUE(writer_->digest_once(kTen + kHour, false));
  auto caught_up = writer_->digest_once(kTen + 3 * kHour + kMinute, false);
  ASSERT_TRUE(caught_up);
  EXPECT_EQ(*caught_up, 2u);  // 11-12 and 12-13, both empty
  const auto digests = files_under("CloudTrail-Digest");
  ASSERT_EQ(digests.size(), 3u);
  auto empty = read_gz_json(digests[2]);
  EXPECT_EQ(empty.at("digestStartTime"), "2026-12-06T12:00:00Z");
  EXPECT_TRUE(empty.at("logFiles").as_array().empty());
  EXPECT_TRUE(empty.at("newestEventTime").is_null());
  EXPECT_TRUE(validate().intact()) << joined(validate().problems);
}

TEST_F(TrailTest, AClaimedButUnwrittenFileIsWrittenAgainWithItsKeyAndRecords) {
  writer_->record(event(kTen + kSecond));
  writer_->record(event(kTen + 2 * kSecond));
  ASSERT_TRUE(writer_->append_once());
  // A crash between the claim and the write: the claim is all there is.
  const std::string key = log_file_key(kAccount, "us-east-1", kTen + kMinute, "crashcrashcrash0");
  auto claimed = meta_->claim_trail_file(key, kTen + kMinute, 100);
  ASSERT_TRUE(claimed && claimed->has_value());
  EXPECT_TRUE(files_under("CloudTrail").empty());
  auto recovered = writer_->recover_once();
  ASSERT_TRUE(recovered) << recovered.error().message;
  EXPECT_EQ(*recovered, 1u);
  ASSERT_EQ(files_under("CloudTrail"), std::vector<std::string>{key});
  EXPECT_EQ(read_gz_json(key).at("Records").as_array().size(), 2u);
  EXPECT_TRUE(meta_->unwritten_trail_files()->empty());
}

TEST_F(TrailTest, AFileWrittenAfterItsHoursDigestGoesToABackfillDigest) {
  writer_->record(event(kTen + kSecond));
  ASSERT_TRUE(writer_->append_once());
  const std::string key = log_file_key(kAccount, "us-east-1", kTen + kMinute, "latelatelatelate");
  ASSERT_TRUE(meta_->claim_trail_file(key, kTen + kMinute, 100));
  // The hour's digest is written while the file is still unwritten (it is not listed) ...
  EXPECT_EQ(*writer_->digest_once(kTen + kHour, false), 1u);
  EXPECT_TRUE(read_gz_json(files_under("CloudTrail-Digest")[0]).at("logFiles").as_array().empty());
  // ... so once written it goes to a backfill digest, which leaves the chain alone.
  ASSERT_EQ(*writer_->recover_once(), 1u);
  EXPECT_EQ(*writer_->digest_once(kTen + kHour + 10 * kMinute, false), 1u);
  const auto digests = files_under("CloudTrail-Digest");
  ASSERT_EQ(digests.size(), 2u);
  const std::string backfill = digests[1];
  EXPECT_TRUE(backfill.ends_with("_20261206T111000Z_backfill.json.gz")) << backfill;
  auto document = read_gz_json(backfill);
  ASSERT_EQ(document.at("logFiles").as_array().size(), 1u);
  EXPECT_EQ(text(document.at("logFiles").as_array()[0].at("s3Object")), key);
  EXPECT_EQ((*meta_->trail_chain_head())->key, digests[0]);
  // The next hour's digest chains to the last chained one, not to the backfill.
  EXPECT_EQ(*writer_->digest_once(kTen + 2 * kHour, false), 1u);
  auto next = read_gz_json(files_under("CloudTrail-Digest").at(2));
  EXPECT_EQ(text(next.at("previousDigestS3Object")), digests[0]);
  EXPECT_TRUE(validate().intact()) << joined(validate().problems);
}

TEST_F(TrailTest, TheTrailBucketGetsTheFilesAndTheDigestSignatureAsMetadata) {
  MemoryBucket bucket;
  make_writer({}, &bucket);
  writer_->record(event(kTen));
  AuditEvent own = event(kTen);
  own.bucket = bucket.name();  // the trail bucket's own data events are not logged
  writer_->record(own);
  ASSERT_EQ(*writer_->append_once(), 1u);
  ASSERT_TRUE(writer_->roll_once(kTen + kMinute, true));
  ASSERT_TRUE(writer_->digest_once(kTen + kHour, false));
  ASSERT_EQ(bucket.puts.size(), 2u);
  EXPECT_EQ(bucket.puts[0].key, files_under("CloudTrail")[0]);
  EXPECT_TRUE(bucket.puts[0].metadata.empty());
  const auto& digest = bucket.puts[1];
  EXPECT_EQ(digest.key, files_under("CloudTrail-Digest")[0]);
  const std::string signature = *read_whole_file(folder() / (digest.key + ".sig"));
  EXPECT_EQ(digest.metadata,
            (ObjectMetadata{{"signature", signature}, {"signature-algorithm", "Ed25519"}}));
  auto document = read_gz_json(digest.key);
  EXPECT_EQ(text(document.at("digestS3Bucket")), bucket.name());
  EXPECT_EQ(text(document.at("logFiles").as_array()[0].at("s3Bucket")), bucket.name());
  // Signed over "<bucket>/<key>".
  const std::string plain = *gzip_decompress(digest.bytes);
  EXPECT_TRUE(
      verify_ed25519(key_->public_pem(),
                     digest_signing_string("2026-12-06T11:00:00Z", bucket.name() + "/" + digest.key,
                                           hex_encode(sha256(plain)), ""),
                     *hex_decode(signature)));
}

TEST_F(TrailTest, FlushThroughTheRunningThreadClosesTheFileAndWritesADigest) {
  make_writer({.roll_seconds = 86400, .roll_records = 10000});
  ASSERT_TRUE(writer_->start());
  writer_->record(event(kTen + kSecond));
  clock_.set(from_unix_nanos(kTen + 20 * kMinute));
  auto flushed = writer_->flush();
  ASSERT_TRUE(flushed) << flushed.error().message;
  ASSERT_EQ(files_under("CloudTrail").size(), 1u);
  const auto digests = files_under("CloudTrail-Digest");
  ASSERT_EQ(digests.size(), 1u);
  auto document = read_gz_json(digests[0]);
  EXPECT_EQ(document.at("digestEndTime"), "2026-12-06T10:20:00Z");
  EXPECT_EQ(document.at("logFiles").as_array().size(), 1u);
  writer_->stop();
  EXPECT_TRUE(validate().intact()) << joined(validate().problems);
}

TEST_F(TrailTest, RecordWaitsForRoomWhenTheQueueIsFullAndLosesNothing) {
  make_writer({.queue_capacity = 2});
  writer_->record(event(kTen + 1));
  writer_->record(event(kTen + 2));
  std::atomic<bool> third_taken = false;
  std::thread producer([&] {
    writer_->record(event(kTen + 3));
    third_taken = true;
  });
  // The producer can only finish once an append has made room.
  size_t appended = 0;
  while (!third_taken || appended < 3) {
    auto step = writer_->append_once();
    ASSERT_TRUE(step);
    appended += *step;
    std::this_thread::yield();
  }
  producer.join();
  EXPECT_EQ(meta_->lookup_trail({})->records.size(), 3u);
}

TEST_F(TrailTest, HalfAFullQueueWakesTheWriterBeforeTheInterval) {
  make_writer({.queue_capacity = 8, .append_interval = std::chrono::hours(1)});
  ASSERT_TRUE(writer_->start());
  for (int i = 1; i <= 3; ++i) writer_->record(event(kTen + i));
  // Three of eight: below half, so nothing is appended within the (hour-long) interval.
  EXPECT_EQ(meta_->lookup_trail({})->records.size(), 0u);
  writer_->record(event(kTen + 4));  // the fourth reaches half the capacity
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  size_t stored = 0;
  while (stored < 4 && std::chrono::steady_clock::now() < deadline) {
    stored = meta_->lookup_trail({})->records.size();
    if (stored < 4) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(stored, 4u);
  writer_->stop();
}

TEST_F(TrailTest, StopAppendsWhatIsQueued) {
  make_writer({.append_interval = std::chrono::hours(1)});
  ASSERT_TRUE(writer_->start());
  writer_->record(event(kTen + 1));
  writer_->stop();
  EXPECT_EQ(meta_->lookup_trail({})->records.size(), 1u);
}

}  // namespace
}  // namespace cv::audit::testing
