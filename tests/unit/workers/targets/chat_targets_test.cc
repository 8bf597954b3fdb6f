// Slack and Discord payload shapes, checked as a receiver sees them.
#include "workers/notify/targets/chat_targets.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "workers/targets/receiver.h"

namespace cv::workers::notify {
namespace {

namespace json = boost::json;

NotificationMessage upload() {
  NotificationMessage m;
  m.event_document = "{}";
  m.event_name = "s3:ObjectCreated:Put";
  m.bucket = "backup";
  m.key = "photos/<!channel> & a.jpg";
  m.size = 3'245'123;
  m.etag = "d41d8cd98f00b204e9800998ecf8427e";
  m.version_id = "3HL4kqtJlcpXroDTDmJ";
  m.principal = "alice";
  m.time = from_unix_nanos(int64_t{1764950523} * 1'000'000'000);
  m.console_url = "https://vault.example.com/_console/#/b/backup/photos/";
  return m;
}

TargetSettings chat(TargetType type, const std::string& url) {
  TargetSettings settings;
  settings.name = type == TargetType::kSlack ? "team" : "guild";
  settings.type = type;
  settings.url = url;
  return settings;
}

TEST(SlackTarget, PostsTextAndBlocks) {
  testing::Receiver receiver(200, "ok");
  ChatWebhookTarget target(chat(TargetType::kSlack, receiver.url("/services/T0/B0/XYZ")));
  ASSERT_TRUE(target.deliver(upload()).has_value());
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].headers.at("content-type"), "application/json");
  EXPECT_EQ(requests[0].target, "/services/T0/B0/XYZ");
  const json::object payload = json::parse(requests[0].body).as_object();
  EXPECT_EQ(payload.at("text").as_string(),
            "Uploaded photos/<!channel> & a.jpg to backup (3.2 MB)");
  const json::array& blocks = payload.at("blocks").as_array();
  ASSERT_EQ(blocks.size(), 3u);
  const json::object& title = blocks[0].as_object();
  EXPECT_EQ(title.at("type").as_string(), "section");
  EXPECT_EQ(title.at("text").at("type").as_string(), "mrkdwn");
  const std::string title_text(title.at("text").at("text").as_string());
  // Linked to the console; Slack's markup characters escaped.
  EXPECT_EQ(
      title_text,
      "*<https://vault.example.com/_console/#/b/backup/photos/|Uploaded photos/&lt;!channel&gt; "
      "&amp; a.jpg to backup (3.2 MB)>*");
  const json::array& fields = blocks[1].at("fields").as_array();
  ASSERT_GE(fields.size(), 4u);
  ASSERT_LE(fields.size(), 10u);
  for (const auto& field : fields) EXPECT_EQ(field.at("type").as_string(), "mrkdwn");
  EXPECT_EQ(fields[0].at("text").as_string(), "*Bucket*\nbackup");
  EXPECT_EQ(blocks[2].at("type").as_string(), "context");
  EXPECT_NE(std::string(blocks[2].at("elements").at(0).at("text").as_string())
                .find("2025-12-05 16:02:03 UTC"),
            std::string::npos);
}

TEST(DiscordTarget, PostsContentAndOneEmbedWithoutMentions) {
  testing::Receiver receiver(204);
  ChatWebhookTarget target(chat(TargetType::kDiscord, receiver.url("/api/webhooks/1/abc")));
  ASSERT_TRUE(target.deliver(upload()).has_value());
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1u);
  const json::object payload = json::parse(requests[0].body).as_object();
  EXPECT_EQ(payload.at("content").as_string(),
            "Uploaded photos/<!channel> & a.jpg to backup (3.2 MB)");
  EXPECT_TRUE(payload.at("allowed_mentions").at("parse").as_array().empty());
  const json::array& embeds = payload.at("embeds").as_array();
  ASSERT_EQ(embeds.size(), 1u);
  const json::object& embed = embeds[0].as_object();
  EXPECT_EQ(embed.at("title").as_string(), "photos/<!channel> & a.jpg");
  EXPECT_EQ(embed.at("url").as_string(), "https://vault.example.com/_console/#/b/backup/photos/");
  EXPECT_EQ(embed.at("timestamp").as_string(), "2025-12-05T16:02:03.000Z");
  EXPECT_TRUE(embed.at("color").is_int64());
  const json::array& fields = embed.at("fields").as_array();
  ASSERT_FALSE(fields.empty());
  for (const auto& field : fields) {
    EXPECT_TRUE(field.at("name").is_string());
    EXPECT_TRUE(field.at("value").is_string());
    EXPECT_TRUE(field.at("inline").is_bool());
  }
  EXPECT_EQ(fields[0].at("name").as_string(), "Bucket");
  EXPECT_EQ(fields[1].at("value").as_string(), "3.2 MB (3,245,123 bytes)");
}

TEST(DiscordTarget, LongTextsAreCutToDiscordsLimitsOnCharacterBoundaries) {
  NotificationMessage m = upload();
  m.key.clear();
  for (int i = 0; i < 800; ++i) m.key += "\xC3\xA9";  // 1600 bytes of "é"
  const json::object payload = json::parse(discord_payload(m)).as_object();
  const std::string title(payload.at("embeds").at(0).at("title").as_string());
  EXPECT_LE(title.size(), 256u);
  EXPECT_TRUE(title.ends_with("\xE2\x80\xA6"));
  EXPECT_EQ((title.size() - 3) % 2, 0u);  // whole characters only
  EXPECT_LE(payload.at("content").as_string().size(), 2000u);
}

TEST(ChatTargets, RefusalIsReportedWithTheStatus) {
  testing::Receiver receiver(400, "invalid_payload");
  auto result = ChatWebhookTarget(chat(TargetType::kSlack, receiver.url())).deliver(upload());
  ASSERT_FALSE(result.has_value());
  EXPECT_FALSE(result.error().retryable());
  EXPECT_NE(result.error().message.find("invalid_payload"), std::string::npos);
}

}  // namespace
}  // namespace cv::workers::notify
