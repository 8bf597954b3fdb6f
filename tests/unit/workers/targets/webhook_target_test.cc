// WebhookTarget and post_json against a real HTTP receiver on loopback.
#include "workers/notify/targets/webhook_target.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/encoding.h"
#include "workers/notify/targets/smtp_target.h"
#include "workers/targets/receiver.h"

namespace cv::workers::notify {
namespace {

using testing::Receiver;

constexpr int64_t kNow = 1764950523;  // 2025-12-05T16:02:03Z

TargetSettings webhook(const std::string& url,
                       std::chrono::seconds timeout = std::chrono::seconds(5)) {
  TargetSettings settings;
  settings.name = "hook";
  settings.type = TargetType::kWebhook;
  settings.url = url;
  settings.secret = "topsecret";
  settings.timeout = timeout;
  return settings;
}

NotificationMessage message() {
  NotificationMessage m;
  m.event_document =
      R"({"Records":[{"eventName":"ObjectCreated:Put","s3":{"object":{"key":"a.jpg"}}}]})";
  m.event_name = "s3:ObjectCreated:Put";
  m.bucket = "backup";
  m.key = "a.jpg";
  m.size = 3;
  return m;
}

// HMAC-SHA256 straight from OpenSSL, independent of the code under test.
std::string reference_signature(const std::string& secret, const std::string& text) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(text.data()), text.size(), mac, &length);
  return "sha256=" + hex_encode(std::string_view(reinterpret_cast<char*>(mac), length));
}

TEST(WebhookTarget, PostsTheDocumentSignedWithTimestamp) {
  Receiver receiver(200);
  ManualClock clock(from_unix_nanos(kNow * 1'000'000'000));
  WebhookTarget target(webhook(receiver.url()), clock);
  const NotificationMessage m = message();
  ASSERT_TRUE(target.deliver(m).has_value());
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1u);
  const auto& request = requests[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.target, "/events");
  EXPECT_EQ(request.body, m.event_document);
  EXPECT_EQ(request.headers.at("content-type"), "application/json");
  EXPECT_EQ(request.headers.at("x-cloudvault-timestamp"), std::to_string(kNow));
  EXPECT_EQ(request.headers.at("x-cloudvault-signature"),
            reference_signature("topsecret", std::to_string(kNow) + "." + m.event_document));
  EXPECT_EQ(target.name(), "hook");
}

TEST(WebhookTarget, AnyTwoHundredIsDelivered) {
  Receiver receiver(204);
  SystemClock clock;
  EXPECT_TRUE(WebhookTarget(webhook(receiver.url()), clock).deliver(message()).has_value());
}

TEST(WebhookTarget, ServerErrorIsRetryable) {
  Receiver receiver(500, "database down");
  SystemClock clock;
  auto result = WebhookTarget(webhook(receiver.url()), clock).deliver(message());
  ASSERT_FALSE(result.has_value());
  EXPECT_TRUE(result.error().retryable());
  EXPECT_NE(result.error().message.find("HTTP 500"), std::string::npos) << result.error().message;
  EXPECT_NE(result.error().message.find("database down"), std::string::npos);
  EXPECT_NE(result.error().message.find("hook"), std::string::npos);
}

TEST(WebhookTarget, NotFoundIsPermanent) {
  Receiver receiver(404);
  SystemClock clock;
  auto result = WebhookTarget(webhook(receiver.url()), clock).deliver(message());
  ASSERT_FALSE(result.has_value());
  EXPECT_FALSE(result.error().retryable());
  EXPECT_NE(result.error().message.find("HTTP 404"), std::string::npos);
}

TEST(WebhookTarget, TooManyRequestsAndRequestTimeoutAreRetryable) {
  for (int status : {429, 408, 503}) {
    Receiver receiver(status);
    SystemClock clock;
    auto result = WebhookTarget(webhook(receiver.url()), clock).deliver(message());
    ASSERT_FALSE(result.has_value());
    EXPECT_TRUE(result.error().retryable()) << status;
  }
  for (int status : {400, 401, 403, 410, 301}) {
    Receiver receiver(status);
    SystemClock clock;
    auto result = WebhookTarget(webhook(receiver.url()), clock).deliver(message());
    ASSERT_FALSE(result.has_value());
    EXPECT_FALSE(result.error().retryable()) << status;
  }
}

TEST(WebhookTarget, ReceiverThatNeverAnswersFailsRetryablyWithinTheTimeout) {
  testing::SilentListener silent;
  SystemClock clock;
  WebhookTarget target(webhook("http://127.0.0.1:" + std::to_string(silent.port()) + "/events",
                               std::chrono::seconds(1)),
                       clock);
  const auto start = std::chrono::steady_clock::now();
  auto result = target.deliver(message());
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(result.has_value());
  EXPECT_TRUE(result.error().retryable());
  EXPECT_NE(result.error().message.find("timed out"), std::string::npos) << result.error().message;
  EXPECT_GE(elapsed, std::chrono::milliseconds(900));
  EXPECT_LT(elapsed, std::chrono::seconds(3));
}

TEST(WebhookTarget, ConnectionRefusedIsRetryable) {
  SystemClock clock;
  auto result =
      WebhookTarget(webhook("http://127.0.0.1:" + std::to_string(testing::closed_port()) + "/x"),
                    clock)
          .deliver(message());
  ASSERT_FALSE(result.has_value());
  EXPECT_TRUE(result.error().retryable());
  EXPECT_NE(result.error().message.find("onnect"), std::string::npos) << result.error().message;
}

TEST(WebhookTarget, FailureMessagesNeverShowTheSecretOrUrlCredentials) {
  Receiver receiver(403);
  SystemClock clock;
  TargetSettings settings =
      webhook("http://user:pa55word@127.0.0.1:" + std::to_string(receiver.port()) + "/events");
  auto result = WebhookTarget(settings, clock).deliver(message());
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().message.find("topsecret"), std::string::npos);
  EXPECT_EQ(result.error().message.find("pa55word"), std::string::npos) << result.error().message;
}

TEST(WebhookTarget, OneTargetDeliversFromManyThreadsAtOnce) {
  Receiver receiver(200);
  SystemClock clock;
  WebhookTarget target(webhook(receiver.url()), clock);
  std::vector<std::thread> threads;
  std::atomic<int> delivered{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 5; ++i) delivered += target.deliver(message()).has_value() ? 1 : 0;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(delivered.load(), 40);
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 40u);
  for (const auto& request : requests) {
    const std::string& timestamp = request.headers.at("x-cloudvault-timestamp");
    EXPECT_EQ(request.headers.at("x-cloudvault-signature"),
              reference_signature("topsecret", timestamp + "." + request.body));
  }
}

TEST(WebhookTarget, ReusesTheConnectionToAReceiverThatKeepsItAlive) {
  Receiver receiver(200, "", /*keep_alive=*/true);
  SystemClock clock;
  {
    WebhookTarget target(webhook(receiver.url()), clock);
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(target.deliver(message()).has_value());
  }
  EXPECT_EQ(receiver.requests().size(), 5u);
  EXPECT_EQ(receiver.connections(), 1);
}

TEST(WebhookSignature, MatchesTheDocumentedScheme) {
  EXPECT_EQ(webhook_signature("key", 42, "{}"), reference_signature("key", "42.{}"));
}

TEST(SmtpTarget, ServerDownIsRetryable) {
  TargetSettings settings;
  settings.name = "mail";
  settings.type = TargetType::kSmtp;
  settings.url = "smtp://127.0.0.1:" + std::to_string(testing::closed_port());
  settings.from = "cv@example.com";
  settings.to = {"me@example.com"};
  SystemClock clock;
  auto result = SmtpTarget(settings, clock).deliver(message());
  ASSERT_FALSE(result.has_value());
  EXPECT_TRUE(result.error().retryable());
  EXPECT_NE(result.error().message.find("target mail"), std::string::npos);
}

}  // namespace
}  // namespace cv::workers::notify
