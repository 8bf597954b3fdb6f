#include "s3/lifecycle_xml.h"

#include <gtest/gtest.h>

namespace cv::s3 {
namespace {

using vault::LifecycleFilter;
using Shape = LifecycleFilter::Shape;

constexpr int64_t kDay = 86'400'000'000'000;

std::string wrap(std::string_view rules) {
  return "<LifecycleConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">" +
         std::string(rules) + "</LifecycleConfiguration>";
}

ErrorCode parse_error(std::string_view rules) {
  auto parsed = parse_lifecycle_configuration(wrap(rules));
  return parsed ? ErrorCode::kNotModified : parsed.error().code;  // kNotModified: parsed
}

TEST(LifecycleXmlTest, ParsesTheSeedPlan) {
  auto config = parse_lifecycle_configuration(wrap(R"(
    <Rule>
      <ID>seed</ID>
      <Filter><Prefix></Prefix></Filter>
      <Status>Enabled</Status>
      <Transition><Days>30</Days><StorageClass>STANDARD_IA</StorageClass></Transition>
      <Transition><Days>60</Days><StorageClass>GLACIER</StorageClass></Transition>
      <NoncurrentVersionExpiration><NoncurrentDays>30</NoncurrentDays>
        <NewerNoncurrentVersions>2</NewerNoncurrentVersions></NoncurrentVersionExpiration>
    </Rule>)"));
  ASSERT_TRUE(config) << config.error().message;
  ASSERT_EQ(config->rules.size(), 1u);
  const vault::LifecycleRule& rule = config->rules[0];
  EXPECT_EQ(rule.id, "seed");
  EXPECT_TRUE(rule.enabled);
  EXPECT_EQ(rule.filter.shape, Shape::kPrefix);
  ASSERT_EQ(rule.transitions.size(), 2u);
  EXPECT_EQ(rule.transitions[0].days, 30);
  EXPECT_EQ(rule.transitions[0].storage_class, "STANDARD_IA");
  EXPECT_EQ(rule.transitions[1].days, 60);
  EXPECT_EQ(rule.noncurrent_expiration->noncurrent_days, 30);
  EXPECT_EQ(rule.noncurrent_expiration->newer_noncurrent_versions, 2);
  EXPECT_TRUE(vault::validate(*config));
}

TEST(LifecycleXmlTest, EveryFilterShape) {
  auto config = parse_lifecycle_configuration(wrap(R"(
    <Rule><ID>legacy</ID><Prefix>old/</Prefix><Status>Disabled</Status>
      <Expiration><Days>1</Days></Expiration></Rule>
    <Rule><ID>empty</ID><Filter/><Status>Enabled</Status>
      <Expiration><Days>1</Days></Expiration></Rule>
    <Rule><ID>tag</ID><Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter>
      <Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>
    <Rule><ID>gt</ID><Filter><ObjectSizeGreaterThan>100</ObjectSizeGreaterThan></Filter>
      <Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>
    <Rule><ID>lt</ID><Filter><ObjectSizeLessThan>200</ObjectSizeLessThan></Filter>
      <Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>
    <Rule><ID>and</ID><Filter><And><Prefix>a/</Prefix><Tag><Key>k1</Key><Value>v1</Value></Tag>
      <Tag><Key>k2</Key><Value>v2</Value></Tag><ObjectSizeGreaterThan>1</ObjectSizeGreaterThan>
      <ObjectSizeLessThan>9</ObjectSizeLessThan></And></Filter>
      <Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>)"));
  ASSERT_TRUE(config) << config.error().message;
  ASSERT_EQ(config->rules.size(), 6u);
  EXPECT_EQ(config->rules[0].filter.shape, Shape::kRulePrefix);
  EXPECT_EQ(config->rules[0].filter.prefix, "old/");
  EXPECT_FALSE(config->rules[0].enabled);
  EXPECT_EQ(config->rules[1].filter.shape, Shape::kEmpty);
  EXPECT_EQ(config->rules[2].filter.shape, Shape::kTag);
  EXPECT_EQ(config->rules[2].filter.tags, (meta::StringPairs{{"k", "v"}}));
  EXPECT_EQ(config->rules[3].filter.object_size_greater_than, 100u);
  EXPECT_EQ(config->rules[4].filter.object_size_less_than, 200u);
  const LifecycleFilter& both = config->rules[5].filter;
  EXPECT_EQ(both.shape, Shape::kAnd);
  EXPECT_EQ(both.prefix, "a/");
  EXPECT_EQ(both.tags, (meta::StringPairs{{"k1", "v1"}, {"k2", "v2"}}));
  EXPECT_EQ(both.object_size_greater_than, 1u);
  EXPECT_EQ(both.object_size_less_than, 9u);
  EXPECT_TRUE(vault::validate(*config));

  // Written back and read again, it is the same configuration.
  auto again = parse_lifecycle_configuration(lifecycle_configuration_xml(*config));
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(vault::to_json(*again), vault::to_json(*config));
}

TEST(LifecycleXmlTest, DatesAndExpirationForms) {
  auto config = parse_lifecycle_configuration(wrap(R"(
    <Rule><ID>a</ID><Filter/><Status>Enabled</Status>
      <Transition><Date>2030-01-01T00:00:00Z</Date><StorageClass>GLACIER</StorageClass></Transition>
      <Expiration><Date>2030-02-01T00:00:00.000Z</Date></Expiration></Rule>
    <Rule><ID>b</ID><Filter/><Status>Enabled</Status>
      <Expiration><Date>2030-03-01</Date></Expiration></Rule>
    <Rule><ID>c</ID><Filter/><Status>Enabled</Status>
      <Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>
      <AbortIncompleteMultipartUpload><DaysAfterInitiation>7</DaysAfterInitiation>
      </AbortIncompleteMultipartUpload></Rule>
    <Rule><ID>d</ID><Filter/><Status>Enabled</Status>
      <Expiration><Date>2030-03-01T02:00:00+02:00</Date></Expiration></Rule>)"));
  ASSERT_TRUE(config) << config.error().message;
  const int64_t jan_1_2030 = 21915 * kDay;
  EXPECT_EQ(config->rules[0].transitions[0].date_ns, jan_1_2030);
  EXPECT_EQ(config->rules[0].expiration->date_ns, jan_1_2030 + 31 * kDay);
  EXPECT_EQ(config->rules[1].expiration->date_ns, jan_1_2030 + 59 * kDay);
  EXPECT_EQ(config->rules[2].expiration->expired_object_delete_marker, true);
  EXPECT_EQ(config->rules[2].abort_incomplete_multipart_days, 7);
  EXPECT_EQ(config->rules[3].expiration->date_ns, jan_1_2030 + 59 * kDay);
  EXPECT_TRUE(vault::validate(*config));
  const std::string xml = lifecycle_configuration_xml(*config);
  EXPECT_NE(xml.find("<Date>2030-01-01T00:00:00.000Z</Date>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker>"),
            std::string::npos);
}

TEST(LifecycleXmlTest, RulesWithoutAnIdGetOne) {
  auto config = parse_lifecycle_configuration(
      wrap("<Rule><Filter/><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>"
           "</Rule><Rule><ID></ID><Filter/><Status>Enabled</Status>"
           "<Expiration><Days>2</Days></Expiration></Rule>"));
  ASSERT_TRUE(config);
  EXPECT_FALSE(config->rules[0].id.empty());
  EXPECT_FALSE(config->rules[1].id.empty());
  EXPECT_NE(config->rules[0].id, config->rules[1].id);
}

TEST(LifecycleXmlTest, SchemaViolationsAreMalformedXml) {
  const std::string_view ok_tail =
      "<Status>Enabled</Status><Expiration><Days>1</Days></Expiration>";
  auto rule = [&](std::string_view head) {
    return "<Rule>" + std::string(head) + std::string(ok_tail) + "</Rule>";
  };
  EXPECT_EQ(parse_error(rule("<Filter/>")), ErrorCode::kNotModified);
  EXPECT_EQ(parse_lifecycle_configuration("<Lifecycle/>").error().code, ErrorCode::kMalformedXML);
  EXPECT_EQ(parse_lifecycle_configuration("<LifecycleConfiguration>").error().code,
            ErrorCode::kMalformedXML);
  EXPECT_EQ(parse_error(rule("<Filter/><Color>red</Color>")), ErrorCode::kMalformedXML);
  EXPECT_EQ(parse_error(rule("")), ErrorCode::kMalformedXML);  // neither Prefix nor Filter
  EXPECT_EQ(parse_error(rule("<Prefix/><Filter/>")), ErrorCode::kMalformedXML);
  EXPECT_EQ(parse_error(rule("<Filter><Prefix>a</Prefix><Tag><Key>k</Key></Tag></Filter>")),
            ErrorCode::kMalformedXML);  // two conditions outside And
  EXPECT_EQ(parse_error(rule("<Filter><Tag><Value>v</Value></Tag></Filter>")),
            ErrorCode::kMalformedXML);  // no Key
  EXPECT_EQ(parse_error(rule("<Filter/><ID>a</ID><ID>b</ID>")), ErrorCode::kMalformedXML);
  EXPECT_EQ(parse_error("<Rule><Filter/><Status>enabled</Status>"
                        "<Expiration><Days>1</Days></Expiration></Rule>"),
            ErrorCode::kMalformedXML);
  EXPECT_EQ(parse_error("<Rule><Filter/><Status>Enabled</Status>"
                        "<Expiration><Days>ten</Days></Expiration></Rule>"),
            ErrorCode::kMalformedXML);
  EXPECT_EQ(parse_error("<Rule><Filter/><Status>Enabled</Status>"
                        "<Expiration><Date>20200101</Date></Expiration></Rule>"),
            ErrorCode::kMalformedXML);
  EXPECT_EQ(parse_error("<Rule><Filter/><Status>Enabled</Status>"
                        "<Expiration><ExpiredObjectDeleteMarker>yes</ExpiredObjectDeleteMarker>"
                        "</Expiration></Rule>"),
            ErrorCode::kMalformedXML);
  EXPECT_EQ(parse_error("<Rule><Filter/><Status>Enabled</Status>"
                        "<Transition><Days>40</Days></Transition></Rule>"),
            ErrorCode::kMalformedXML);  // no StorageClass
  EXPECT_EQ(parse_error("<Rule><Filter/><Status>Enabled</Status>"
                        "<NoncurrentVersionExpiration/></Rule>"),
            ErrorCode::kMalformedXML);  // no NoncurrentDays
  EXPECT_EQ(parse_error("<Rule><Filter/><Status>Enabled</Status>"
                        "<Expiration><Days>1</Days></Expiration><Expiration><Days>2</Days>"
                        "</Expiration></Rule>"),
            ErrorCode::kMalformedXML);
  EXPECT_EQ(parse_error("stray text" + rule("<Filter/>")), ErrorCode::kMalformedXML);
}

}  // namespace
}  // namespace cv::s3
