#include "workers/notify/targets/target_settings.h"

#include <gtest/gtest.h>

#include "workers/notify/targets/delivery_outcome.h"
#include "workers/notify/targets/target_catalog.h"

namespace cv::workers::notify {
namespace {

TargetSettings smtp() {
  TargetSettings settings;
  settings.name = "mail";
  settings.type = TargetType::kSmtp;
  settings.url = "smtp://127.0.0.1:2525";
  settings.from = "cv@example.com";
  settings.to = {"me@example.com"};
  return settings;
}

std::string why(const TargetSettings& settings) {
  auto result = validate(settings);
  return result ? "" : result.error().message;
}

TEST(TargetSettings, Validation) {
  EXPECT_EQ(why(smtp()), "");
  TargetSettings s = smtp();
  s.url = "http://127.0.0.1:2525";
  EXPECT_EQ(why(s),
            "notify.targets.mail: url of an smtp target must start with smtp:// or smtps://");
  s = smtp();
  s.to.clear();
  EXPECT_EQ(why(s), "notify.targets.mail: to must name at least one recipient");
  s = smtp();
  s.url.clear();
  EXPECT_EQ(why(s), "notify.targets.mail: url is required");
  s = smtp();
  s.to = {"me@example.com>\r\nRCPT TO:<evil@example.com"};
  EXPECT_EQ(why(s).substr(0, 26), "notify.targets.mail: to: \"");
  s = smtp();
  s.from = "CloudVault <cv@example.com>";
  EXPECT_EQ(why(s),
            "notify.targets.mail: from: \"CloudVault <cv@example.com>\" is not an e-mail address");
  s = smtp();
  s.username = "u";
  EXPECT_EQ(why(s), "notify.targets.mail: username and password go together");
  TargetSettings hook;
  hook.name = "hook";
  hook.url = "ftp://x/y";
  hook.secret = "k";
  EXPECT_EQ(why(hook),
            "notify.targets.hook: url of a webhook target must start with http:// or https://");
  hook.url = "https://example.com/x";
  hook.secret.clear();
  EXPECT_EQ(why(hook), "notify.targets.hook: secret is required (the key of the signature header)");
  hook.secret = "k";
  hook.timeout = std::chrono::seconds(0);
  EXPECT_EQ(why(hook), "notify.targets.hook: timeout_seconds must be 1-600");
}

TEST(TargetSettings, RedactUrl) {
  EXPECT_EQ(redact_url("smtp://user:pw@mail.example.com:587/x"), "smtp://mail.example.com:587/x");
  EXPECT_EQ(redact_url("https://a.example/p@q"), "https://a.example/p@q");
  EXPECT_EQ(redact_url("http://u@h"), "http://h");
}

TEST(TargetCatalog, KnowsItsTargetsByName) {
  SystemClock clock;
  TargetSettings slack;
  slack.name = "team";
  slack.type = TargetType::kSlack;
  slack.url = "https://hooks.slack.com/services/T/B/X";
  auto catalog = TargetCatalog::create({smtp(), slack}, clock);
  ASSERT_TRUE(catalog.has_value()) << catalog.error().message;
  EXPECT_TRUE((*catalog)->has_target("mail"));
  EXPECT_TRUE((*catalog)->has_target("team"));
  EXPECT_FALSE((*catalog)->has_target("hook"));
  ASSERT_NE((*catalog)->find("team"), nullptr);
  EXPECT_EQ((*catalog)->find("team")->name(), "team");
  EXPECT_EQ((*catalog)->settings()[0].name, "mail");
  auto twice = TargetCatalog::create({smtp(), smtp()}, clock);
  ASSERT_FALSE(twice.has_value());
  EXPECT_EQ(twice.error().message, "notify.targets.mail is defined twice");
}

}  // namespace
}  // namespace cv::workers::notify

namespace cv::workers::notify {
namespace {

TEST(DeliveryOutcome, MapsToTheTaskRunnersKinds) {
  EXPECT_EQ(to_task_outcome(DeliveryResult{}).kind, TaskOutcome::Kind::kDone);
  const auto retry = to_task_outcome(
      std::unexpected(DeliveryFailure{DeliveryFailure::Kind::kRetryable, "HTTP 503"}));
  EXPECT_EQ(retry.kind, TaskOutcome::Kind::kRetry);
  EXPECT_EQ(retry.error, "HTTP 503");
  EXPECT_EQ(to_task_outcome(
                std::unexpected(DeliveryFailure{DeliveryFailure::Kind::kPermanent, "HTTP 404"}))
                .kind,
            TaskOutcome::Kind::kPermanent);
}

}  // namespace
}  // namespace cv::workers::notify
