#include "s3/notification_xml.h"

#include <gtest/gtest.h>

namespace cv::s3 {
namespace {

using vault::NotificationKind;

constexpr std::string_view kEveryKind = R"(<?xml version="1.0" encoding="UTF-8"?>
<NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <QueueConfiguration>
    <Id>queue-rule</Id>
    <Queue>arn:aws:sqs:us-east-1:000000000000:mail</Queue>
    <Event>s3:ObjectRemoved:*</Event>
  </QueueConfiguration>
  <TopicConfiguration>
    <Id>photos</Id>
    <Topic>arn:aws:sns:us-east-1:000000000000:hook</Topic>
    <Event>s3:ObjectCreated:Put</Event>
    <Event>s3:ObjectCreated:CompleteMultipartUpload</Event>
    <Filter>
      <S3Key>
        <FilterRule><Name>prefix</Name><Value>photos/</Value></FilterRule>
        <FilterRule><Name>Suffix</Name><Value>.jpg</Value></FilterRule>
      </S3Key>
    </Filter>
  </TopicConfiguration>
  <CloudFunctionConfiguration>
    <Id>thumbs</Id>
    <CloudFunction>arn:aws:lambda:us-east-1:000000000000:function:thumbs</CloudFunction>
    <Event>s3:ObjectCreated:*</Event>
    <Filter><S3Key><FilterRule><Name>Prefix</Name><Value>raw/</Value></FilterRule></S3Key></Filter>
  </CloudFunctionConfiguration>
  <EventBridgeConfiguration/>
</NotificationConfiguration>)";

TEST(NotificationXml, ParsesEveryKindOfRule) {
  auto config = parse_notification_configuration(kEveryKind);
  ASSERT_TRUE(config) << config.error().message;
  ASSERT_EQ(config->rules.size(), 3u);
  EXPECT_TRUE(config->event_bridge);

  const auto& queue = config->rules[0];
  EXPECT_EQ(queue.id, "queue-rule");
  EXPECT_EQ(queue.kind, NotificationKind::kQueue);
  EXPECT_EQ(queue.arn, "arn:aws:sqs:us-east-1:000000000000:mail");
  EXPECT_EQ(queue.target, "mail");
  EXPECT_EQ(queue.events, std::vector<std::string>{"s3:ObjectRemoved:*"});
  EXPECT_EQ(queue.prefix, "");
  EXPECT_EQ(queue.suffix, "");

  const auto& topic = config->rules[1];
  EXPECT_EQ(topic.kind, NotificationKind::kTopic);
  EXPECT_EQ(topic.target, "hook");
  EXPECT_EQ(topic.events, (std::vector<std::string>{"s3:ObjectCreated:Put",
                                                    "s3:ObjectCreated:CompleteMultipartUpload"}));
  EXPECT_EQ(topic.prefix, "photos/");
  EXPECT_EQ(topic.suffix, ".jpg");

  const auto& function = config->rules[2];
  EXPECT_EQ(function.kind, NotificationKind::kFunction);
  EXPECT_EQ(function.target, "thumbs");
  EXPECT_EQ(function.prefix, "raw/");
}

TEST(NotificationXml, WritesWhatWasPutInS3sOrder) {
  const auto config = parse_notification_configuration(kEveryKind).value();
  const std::string xml = notification_configuration_xml(config);
  const size_t topic = xml.find("<TopicConfiguration>");
  const size_t queue = xml.find("<QueueConfiguration>");
  const size_t function = xml.find("<CloudFunctionConfiguration>");
  const size_t bridge = xml.find("<EventBridgeConfiguration");
  ASSERT_NE(topic, std::string::npos);
  EXPECT_LT(topic, queue);
  EXPECT_LT(queue, function);
  EXPECT_LT(function, bridge);
  EXPECT_NE(xml.find("<Id>photos</Id><Topic>arn:aws:sns:us-east-1:000000000000:hook</Topic>"
                     "<Event>s3:ObjectCreated:Put</Event>"
                     "<Event>s3:ObjectCreated:CompleteMultipartUpload</Event>"
                     "<Filter><S3Key><FilterRule><Name>Prefix</Name><Value>photos/</Value>"
                     "</FilterRule><FilterRule><Name>Suffix</Name><Value>.jpg</Value>"
                     "</FilterRule></S3Key></Filter>"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\""), std::string::npos);

  // Round trip: what Get answers parses back to the same configuration.
  const auto again = parse_notification_configuration(xml);
  ASSERT_TRUE(again) << again.error().message;
  ASSERT_EQ(again->rules.size(), 3u);
  EXPECT_TRUE(again->event_bridge);
  for (const auto& rule : config.rules) {
    bool found = false;
    for (const auto& other : again->rules) {
      if (other.id != rule.id) continue;
      found = true;
      EXPECT_EQ(other.kind, rule.kind);
      EXPECT_EQ(other.arn, rule.arn);
      EXPECT_EQ(other.target, rule.target);
      EXPECT_EQ(other.events, rule.events);
      EXPECT_EQ(other.prefix, rule.prefix);
      EXPECT_EQ(other.suffix, rule.suffix);
    }
    EXPECT_TRUE(found) << rule.id;
  }
}

TEST(NotificationXml, EmptyConfiguration) {
  auto config = parse_notification_configuration(
      R"(<NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>)");
  ASSERT_TRUE(config);
  EXPECT_TRUE(config->empty());
  const std::string xml = notification_configuration_xml({});
  EXPECT_TRUE(xml.ends_with(
      "<NotificationConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"/>"))
      << xml;
}

TEST(NotificationXml, MissingIdIsMadeUp) {
  auto config = parse_notification_configuration(
      "<NotificationConfiguration><QueueConfiguration>"
      "<Queue>arn:aws:sqs:us-east-1:1:hook</Queue><Event>s3:ObjectCreated:*</Event>"
      "</QueueConfiguration><QueueConfiguration><Id></Id>"
      "<Queue>arn:aws:sqs:us-east-1:1:hook</Queue><Event>s3:ObjectRemoved:*</Event>"
      "</QueueConfiguration></NotificationConfiguration>");
  ASSERT_TRUE(config);
  ASSERT_EQ(config->rules.size(), 2u);
  EXPECT_EQ(config->rules[0].id.size(), 48u);
  EXPECT_EQ(config->rules[1].id.size(), 48u);
  EXPECT_NE(config->rules[0].id, config->rules[1].id);
}

TEST(NotificationXml, SchemaViolationsAreMalformedXml) {
  for (std::string_view xml : {
           "",
           "<NotificationConfiguration>",
           "<LifecycleConfiguration/>",
           "<NotificationConfiguration><Unknown/></NotificationConfiguration>",
           "<NotificationConfiguration>text</NotificationConfiguration>",
           // no ARN element; the ARN element of another kind
           "<NotificationConfiguration><TopicConfiguration><Event>s3:ObjectCreated:*</Event>"
           "</TopicConfiguration></NotificationConfiguration>",
           "<NotificationConfiguration><TopicConfiguration><Queue>arn:aws:sqs:r:1:q</Queue>"
           "<Event>s3:ObjectCreated:*</Event></TopicConfiguration></NotificationConfiguration>",
           // repeated Id, repeated Filter, a FilterRule without a Value
           "<NotificationConfiguration><TopicConfiguration><Id>a</Id><Id>b</Id>"
           "<Topic>arn:aws:sns:r:1:t</Topic></TopicConfiguration></NotificationConfiguration>",
           "<NotificationConfiguration><TopicConfiguration><Topic>arn:aws:sns:r:1:t</Topic>"
           "<Filter/><Filter/></TopicConfiguration></NotificationConfiguration>",
           "<NotificationConfiguration><TopicConfiguration><Topic>arn:aws:sns:r:1:t</Topic>"
           "<Filter><S3Key><FilterRule><Name>prefix</Name></FilterRule></S3Key></Filter>"
           "</TopicConfiguration></NotificationConfiguration>",
           // an element in a leaf; EventBridgeConfiguration twice
           "<NotificationConfiguration><TopicConfiguration><Topic><x/></Topic>"
           "</TopicConfiguration></NotificationConfiguration>",
           "<NotificationConfiguration><EventBridgeConfiguration/><EventBridgeConfiguration/>"
           "</NotificationConfiguration>",
       }) {
    auto config = parse_notification_configuration(xml);
    ASSERT_FALSE(config) << xml;
    EXPECT_EQ(config.error().code, ErrorCode::kMalformedXML) << xml;
  }
}

TEST(NotificationXml, FilterRuleErrorsAreInvalidArgument) {
  auto with_rules = [](std::string rules) {
    return "<NotificationConfiguration><TopicConfiguration><Topic>arn:aws:sns:r:1:t</Topic>"
           "<Event>s3:ObjectCreated:*</Event><Filter><S3Key>" +
           rules + "</S3Key></Filter></TopicConfiguration></NotificationConfiguration>";
  };
  auto bad_name =
      parse_notification_configuration(with_rules("<FilterRule><Name>middle</Name><Value>x</Value>"
                                                  "</FilterRule>"));
  ASSERT_FALSE(bad_name);
  EXPECT_EQ(bad_name.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad_name.error().message, "filter rule name must be either prefix or suffix");

  auto twice = parse_notification_configuration(
      with_rules("<FilterRule><Name>prefix</Name><Value>a</Value></FilterRule>"
                 "<FilterRule><Name>Prefix</Name><Value>b</Value></FilterRule>"));
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(twice.error().message, "Cannot specify more than one prefix rule in a filter.");
}

TEST(NotificationXml, UnknownEventsAreLeftToValidation) {
  // The parser keeps names as written; vault::validate refuses them with InvalidArgument.
  auto config = parse_notification_configuration(
      "<NotificationConfiguration><TopicConfiguration><Topic>arn:aws:sns:r:1:t</Topic>"
      "<Event>s3:Bogus</Event></TopicConfiguration></NotificationConfiguration>");
  ASSERT_TRUE(config);
  auto status = vault::validate(*config);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(status.error().message, "The event is not supported for notifications");
}

}  // namespace
}  // namespace cv::s3
