// Digests of backup receipts: which window a receipt falls in, the payload naming it, and the
// message (webhook document and human digest) of a window's receipts.
#include "workers/notify/receipt_digest.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "vault/backup_receipts.h"
#include "workers/notify/digest_message.h"

namespace cv::workers::notify {
namespace {

namespace json = boost::json;

constexpr int64_t kSecond = 1'000'000'000;

meta::Event receipt(int64_t time_ns, int64_t digest_seconds, std::string key = "a.jpg") {
  meta::Event event;
  event.time_ns = time_ns;
  event.name = std::string(vault::kReplicationCompletedEvent);
  event.bucket = "photos";
  event.key = std::move(key);
  event.version_id = "v-" + event.key;
  event.size = 1000;
  event.etag = "0123abcd";
  json::object detail{{"replicationRuleId", "backup-to-backup"},
                      {"destinationBucket", "backup"},
                      {"targets", json::array{"mail"}}};
  if (digest_seconds != 0) detail["digest_seconds"] = digest_seconds;
  event.detail = json::serialize(detail);
  return event;
}

TEST(ReceiptDigest, WindowsAreAlignedOnMultiplesOfTheInterval) {
  const int64_t hour = 3600;
  const int64_t t = 1764950523 * kSecond + 250;  // 2025-12-05 16:02:03.00000025
  const auto window = digest_window_of(receipt(t, hour));
  ASSERT_TRUE(window);
  EXPECT_EQ(window->bucket, "photos");
  EXPECT_EQ(window->rule, "backup-to-backup");
  EXPECT_EQ(window->start_ns, 1764950400 * kSecond);  // 16:00:00
  EXPECT_EQ(window->end_ns, 1764954000 * kSecond);    // 17:00:00
  // Both ends: the start belongs to the window, the end to the next one.
  EXPECT_EQ(*digest_window_of(receipt(window->start_ns, hour)), *window);
  EXPECT_EQ(*digest_window_of(receipt(window->end_ns - 1, hour)), *window);
  EXPECT_EQ(digest_window_of(receipt(window->end_ns, hour))->start_ns, window->end_ns);
  const auto two = digest_window_of(receipt(1764950523 * kSecond, 2));
  EXPECT_EQ(two->start_ns, 1764950522 * kSecond);
  EXPECT_EQ(two->end_ns, 1764950524 * kSecond);
}

TEST(ReceiptDigest, OnlyReceiptsAskingForADigestHaveAWindow) {
  EXPECT_FALSE(digest_window_of(receipt(kSecond, 0)));  // one receipt per object
  EXPECT_FALSE(digest_window_of(receipt(kSecond, -5)));
  EXPECT_FALSE(digest_window_of(receipt(kSecond, vault::kMaxDigestSeconds + 1)));
  meta::Event failure = receipt(kSecond, 60);
  failure.name = std::string(vault::kReplicationFailedEvent);  // never digested
  EXPECT_FALSE(digest_window_of(failure));
  meta::Event garbled = receipt(kSecond, 60);
  garbled.detail = "{not json";
  EXPECT_FALSE(digest_window_of(garbled));
}

TEST(ReceiptDigest, EveryReceiptOfAWindowHasTheSamePayload) {
  const auto first = digest_window_of(receipt(100 * kSecond, 60, "a.jpg"));
  const auto second = digest_window_of(receipt(119 * kSecond, 60, "b.jpg"));
  const auto later = digest_window_of(receipt(120 * kSecond, 60, "c.jpg"));
  EXPECT_EQ(digest_payload(*first), digest_payload(*second));
  EXPECT_NE(digest_payload(*first), digest_payload(*later));
  meta::Event other_bucket = receipt(100 * kSecond, 60);
  other_bucket.bucket = "docs";
  EXPECT_NE(digest_payload(*digest_window_of(other_bucket)), digest_payload(*first));

  EXPECT_EQ(read_digest_payload(digest_payload(*first)), first);
  EXPECT_FALSE(read_digest_payload(R"({"configuration_id":"","bucket_owner":"o"})"));
  EXPECT_FALSE(read_digest_payload(""));
  EXPECT_FALSE(read_digest_payload(R"({"digest":{"bucket":"b","start_ns":5,"end_ns":5}})"));
}

TEST(ReceiptDigest, TheMessageListsEveryReceiptOfTheWindow) {
  const DigestWindow window{"photos", "backup-to-backup", 1764950400 * kSecond,
                            1764954000 * kSecond};
  std::vector<meta::OutboxTask> receipts(3);
  receipts[0].event = receipt(window.start_ns + kSecond, 3600, "a.jpg");
  receipts[1].event = receipt(window.start_ns + 2 * kSecond, 3600, "sub/b.jpg");
  receipts[2].event = receipt(window.start_ns + 3 * kSecond, 3600, "c.jpg");
  receipts[2].event.size = 5;
  const NotificationMessage message =
      digest_message(window, receipts, "backup", "https://v.example/_console/#/b/photos/");

  ASSERT_TRUE(message.digest);
  EXPECT_EQ(message.digest->entries.size(), 3u);
  EXPECT_EQ(message.digest->bytes, 2005u);
  EXPECT_EQ(message.digest->entries[1].key, "sub/b.jpg");
  EXPECT_EQ(message.event_name, kDigestEventName);
  EXPECT_EQ(message.bucket, "photos");
  EXPECT_EQ(message.destination, "backup");
  EXPECT_EQ(message.time, from_unix_nanos(window.end_ns));
  EXPECT_TRUE(message.key.empty());

  const json::object document = json::parse(message.event_document).as_object();
  EXPECT_EQ(document.at("cloudvault").as_string(), "BackupDigest");
  EXPECT_EQ(document.at("bucket").as_string(), "photos");
  EXPECT_EQ(document.at("rule").as_string(), "backup-to-backup");
  EXPECT_EQ(document.at("destination").as_string(), "backup");
  EXPECT_EQ(document.at("window_start").as_string(), "2025-12-05T16:00:00.000Z");
  EXPECT_EQ(document.at("window_end").as_string(), "2025-12-05T17:00:00.000Z");
  EXPECT_EQ(document.at("count").to_number<int>(), 3);
  EXPECT_EQ(document.at("bytes").to_number<int>(), 2005);
  const json::array& objects = document.at("objects").as_array();
  ASSERT_EQ(objects.size(), 3u);
  EXPECT_EQ(objects[1].at("key").as_string(), "sub/b.jpg");
  EXPECT_EQ(objects[1].at("size").to_number<int>(), 1000);
  EXPECT_EQ(objects[1].at("versionId").as_string(), "v-sub/b.jpg");
  EXPECT_EQ(objects[1].at("eTag").as_string(), "0123abcd");
}

}  // namespace
}  // namespace cv::workers::notify
