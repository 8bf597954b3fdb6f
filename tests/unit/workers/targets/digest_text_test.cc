// A digest of backup receipts as people read it: headline, facts, the listed objects, and how
// the e-mail, Slack and Discord targets put them.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "workers/notify/targets/chat_targets.h"
#include "workers/notify/targets/email_message.h"
#include "workers/notify/targets/message_text.h"

namespace cv::workers::notify {
namespace {

namespace json = boost::json;

TimePoint at(int64_t seconds) { return from_unix_nanos(seconds * 1'000'000'000); }

NotificationMessage digest_of(size_t count, uint64_t size = 3'200'000) {
  NotificationMessage m;
  m.event_document = "{}";
  m.event_name = "cloudvault:Replication:Digest";
  m.bucket = "photos";
  m.destination = "backup";
  m.time = at(1764950400);
  m.console_url = "https://vault.example.com/_console/#/b/photos/";
  ReceiptDigest digest;
  digest.window_start = at(1764946800);
  digest.window_end = at(1764950400);
  for (size_t i = 0; i < count; ++i) {
    digest.entries.push_back(
        {"summer/img" + std::to_string(i) + ".jpg", size, "v" + std::to_string(i)});
    digest.bytes += size;
  }
  m.size = digest.bytes;
  m.digest = std::move(digest);
  return m;
}

TEST(DigestText, HeadlineCountsObjectsAndBytes) {
  EXPECT_EQ(headline(digest_of(5)), "Backed up 5 objects (16 MB) from photos to backup");
  EXPECT_EQ(headline(digest_of(1)), "Backed up 1 object (3.2 MB) from photos to backup");
  EXPECT_EQ(headline(digest_of(1234, 1)), "Backed up 1,234 objects (1.2 kB) from photos to backup");
}

TEST(DigestText, FactsAndTheFirstFiftyKeys) {
  const auto fields = summary_fields(digest_of(5));
  std::vector<std::string> labels;
  for (const auto& [label, value] : fields) labels.push_back(label);
  EXPECT_EQ(labels, (std::vector<std::string>{"What", "Bucket", "Backed up to", "Objects", "Size",
                                              "Period", "Link"}));
  EXPECT_EQ(fields[3].second, "5");
  EXPECT_EQ(fields[4].second, "16 MB (16,000,000 bytes)");
  EXPECT_EQ(fields[5].second, "2025-12-05 15:00:00 UTC to 2025-12-05 16:00:00 UTC");

  const auto five = digest_lines(digest_of(5));
  ASSERT_EQ(five.size(), 5u);
  EXPECT_EQ(five[0], "summer/img0.jpg (3.2 MB)");
  const auto many = digest_lines(digest_of(kDigestListed + 12));
  ASSERT_EQ(many.size(), kDigestListed + 1);
  EXPECT_EQ(many[kDigestListed - 1], "summer/img49.jpg (3.2 MB)");
  EXPECT_EQ(many.back(), "and 12 more");
  NotificationMessage single;
  single.event_name = "s3:ObjectCreated:Put";
  EXPECT_TRUE(digest_lines(single).empty());
}

TEST(DigestText, TheEmailListsTheObjects) {
  const std::string mail =
      compose_email(digest_of(kDigestListed + 3), {"cv@example.com", {"me@example.com"}, "mail"},
                    at(1764950401), "id@example.com");
  EXPECT_NE(mail.find("\r\nSubject: Backed up 53 objects (170 MB) from photos to backup\r\n"),
            std::string::npos);
  EXPECT_NE(mail.find("\r\nX-CloudVault-Event: cloudvault:Replication:Digest\r\n"),
            std::string::npos);
  const std::string body = email_body(digest_of(kDigestListed + 3), "mail");
  EXPECT_NE(body.find("Objects: 53\n"), std::string::npos);
  EXPECT_NE(body.find("  summer/img0.jpg (3.2 MB)\n"), std::string::npos);
  EXPECT_NE(body.find("  summer/img49.jpg (3.2 MB)\n"), std::string::npos);
  EXPECT_EQ(body.find("img50.jpg"), std::string::npos);
  EXPECT_NE(body.find("  and 3 more\n"), std::string::npos);
  EXPECT_NE(body.find("https://vault.example.com/_console/#/b/photos/"), std::string::npos);
}

TEST(DigestText, SlackAndDiscordListTheObjects) {
  NotificationMessage m = digest_of(3);
  m.digest->entries[1].key = "<!channel>.jpg";
  const json::object slack = json::parse(slack_payload(m)).as_object();
  EXPECT_EQ(slack.at("text").as_string(), "Backed up 3 objects (9.6 MB) from photos to backup");
  const json::array& blocks = slack.at("blocks").as_array();
  ASSERT_EQ(blocks.size(), 4u);  // title, facts, the list, context
  EXPECT_EQ(blocks[2].at("text").at("text").as_string(),
            "\xE2\x80\xA2 summer/img0.jpg (3.2 MB)\n\xE2\x80\xA2 &lt;!channel&gt;.jpg (3.2 MB)\n"
            "\xE2\x80\xA2 summer/img2.jpg (3.2 MB)");

  const json::object discord = json::parse(discord_payload(m)).as_object();
  const json::object& embed = discord.at("embeds").at(0).as_object();
  EXPECT_EQ(embed.at("title").as_string(), "photos");
  EXPECT_EQ(embed.at("description").as_string(),
            "summer/img0.jpg (3.2 MB)\n<!channel>.jpg (3.2 MB)\nsummer/img2.jpg (3.2 MB)");
  EXPECT_LE(json::parse(discord_payload(digest_of(kDigestListed + 1)))
                .at("embeds")
                .at(0)
                .at("description")
                .as_string()
                .size(),
            4096u);
}

}  // namespace
}  // namespace cv::workers::notify
