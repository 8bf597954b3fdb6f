#include "s3/replication_xml.h"

#include <gtest/gtest.h>

#include "s3/operation.h"
#include "vault/replication_config.h"

namespace cv::s3 {
namespace {

using vault::ReplicationFilter;
using Shape = ReplicationFilter::Shape;

std::string wrap(std::string_view rules,
                 std::string_view role = "<Role>arn:aws:iam::1:role/r</Role>") {
  return "<ReplicationConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">" +
         std::string(role) + std::string(rules) + "</ReplicationConfiguration>";
}

ErrorCode parse_error(std::string_view rules) {
  auto parsed = parse_replication_configuration(wrap(rules));
  return parsed ? ErrorCode::kNotModified : parsed.error().code;  // kNotModified: parsed
}

constexpr std::string_view kDestination =
    "<Destination><Bucket>arn:aws:s3:::backup</Bucket></Destination>";

std::string rule(std::string_view body) {
  return "<Rule><Status>Enabled</Status>" + std::string(body) + std::string(kDestination) +
         "</Rule>";
}

TEST(ReplicationXmlTest, ParsesAFullV2Configuration) {
  auto config = parse_replication_configuration(wrap(R"(
    <Rule>
      <ID>photos</ID>
      <Priority>2</Priority>
      <Filter><And><Prefix>photos/</Prefix>
        <Tag><Key>cloudvault:suffix</Key><Value>.jpg</Value></Tag>
        <Tag><Key>backup</Key><Value>yes</Value></Tag></And></Filter>
      <Status>Enabled</Status>
      <SourceSelectionCriteria>
        <SseKmsEncryptedObjects><Status>Disabled</Status></SseKmsEncryptedObjects>
        <ReplicaModifications><Status>Enabled</Status></ReplicaModifications>
      </SourceSelectionCriteria>
      <ExistingObjectReplication><Status>Enabled</Status></ExistingObjectReplication>
      <Destination>
        <Bucket>arn:aws:s3:::offsite-photos</Bucket>
        <Account>offsite</Account>
        <StorageClass>STANDARD_IA</StorageClass>
        <AccessControlTranslation><Owner>Destination</Owner></AccessControlTranslation>
        <EncryptionConfiguration><ReplicaKmsKeyID>key-1</ReplicaKmsKeyID></EncryptionConfiguration>
        <ReplicationTime><Status>Enabled</Status><Time><Minutes>15</Minutes></Time></ReplicationTime>
        <Metrics><Status>Enabled</Status><EventThreshold><Minutes>15</Minutes></EventThreshold></Metrics>
      </Destination>
      <DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>
    </Rule>)"));
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->role, "arn:aws:iam::1:role/r");
  ASSERT_EQ(config->rules.size(), 1u);
  const auto& r = config->rules[0];
  EXPECT_EQ(r.id, "photos");
  EXPECT_EQ(r.priority, 2);
  EXPECT_TRUE(r.enabled);
  EXPECT_EQ(r.filter.shape, Shape::kAnd);
  EXPECT_EQ(r.filter.prefix, "photos/");
  ASSERT_EQ(r.filter.tags.size(), 2u);
  EXPECT_EQ(r.filter.tags[0].first, "cloudvault:suffix");
  EXPECT_EQ(r.sse_kms_encrypted_objects, false);
  EXPECT_EQ(r.replica_modifications, true);
  EXPECT_EQ(r.existing_object_replication, true);
  EXPECT_EQ(r.delete_marker_replication, false);
  EXPECT_EQ(r.destination.bucket_name(), "offsite-photos");
  EXPECT_EQ(r.destination.account, "offsite");
  EXPECT_EQ(r.destination.storage_class, "STANDARD_IA");
  EXPECT_EQ(r.destination.owner_override, "Destination");
  EXPECT_EQ(r.destination.replica_kms_key_id, "key-1");
  EXPECT_EQ(r.destination.replication_time->minutes, 15);
  EXPECT_TRUE(r.destination.metrics->enabled);
  EXPECT_TRUE(vault::validate(*config));

  // Serialized and parsed again: the same configuration.
  const std::string xml = replication_configuration_xml(*config);
  auto again = parse_replication_configuration(xml);
  ASSERT_TRUE(again) << xml;
  EXPECT_EQ(vault::to_json(*again), vault::to_json(*config));
}

TEST(ReplicationXmlTest, FilterShapesRoundTrip) {
  for (std::string_view filter :
       {"<Filter/>", "<Filter><Prefix>a/</Prefix></Filter>", "<Filter><Prefix></Prefix></Filter>",
        "<Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter>",
        "<Filter><And><Prefix>p</Prefix><Tag><Key>k</Key><Value>v</Value></Tag></And></Filter>",
        "<Prefix>legacy/</Prefix>", ""}) {
    auto config = parse_replication_configuration(wrap(rule(filter)));
    ASSERT_TRUE(config) << filter;
    auto again = parse_replication_configuration(replication_configuration_xml(*config));
    ASSERT_TRUE(again) << filter;
    EXPECT_EQ(vault::to_json(*again), vault::to_json(*config)) << filter;
  }
  auto legacy = parse_replication_configuration(wrap(rule("<Prefix>legacy/</Prefix>")));
  EXPECT_EQ(legacy->rules[0].filter.shape, Shape::kRulePrefix);
  EXPECT_EQ(legacy->rules[0].filter.prefix, "legacy/");
  EXPECT_FALSE(legacy->rules[0].filter.is_v2());
  auto empty = parse_replication_configuration(wrap(rule("<Filter/>")));
  EXPECT_EQ(empty->rules[0].filter.shape, Shape::kEmpty);
}

TEST(ReplicationXmlTest, RulesWithoutIdGetOne) {
  auto config = parse_replication_configuration(wrap(rule("") + rule("<ID></ID>")));
  ASSERT_TRUE(config);
  EXPECT_EQ(config->rules[0].id.size(), 48u);
  EXPECT_NE(config->rules[0].id, config->rules[1].id);
}

TEST(ReplicationXmlTest, SchemaErrorsAreMalformedXml) {
  EXPECT_EQ(parse_replication_configuration("<ReplicationConfiguration>").error().code,
            ErrorCode::kMalformedXML);
  EXPECT_EQ(parse_replication_configuration("<Other/>").error().code, ErrorCode::kMalformedXML);
  EXPECT_EQ(parse_replication_configuration(wrap(rule(""), "")).error().code,
            ErrorCode::kMalformedXML);  // no Role
  const std::string dest(kDestination);
  for (const std::string& rules : std::vector<std::string>{
           "<Rule>" + dest + "</Rule>",                                         // no Status
           "<Rule><Status>On</Status>" + dest + "</Rule>",                      // bad Status
           std::string("<Rule><Status>Enabled</Status></Rule>"),                // no Destination
           std::string("<Rule><Status>Enabled</Status><Destination/></Rule>"),  // no Bucket
           rule("<Priority>one</Priority>"),                                    // not a number
           rule("<Priority>1</Priority><Priority>2</Priority>"),                // repeated
           rule("<Prefix>a</Prefix><Filter/>"),                                 // both forms
           rule("<Filter><Prefix>a</Prefix><Tag><Key>k</Key><Value>v</Value></Tag></Filter>"),
           rule("<Filter><Tag><Key>k</Key></Tag></Filter>"),  // no Value
           rule("<Filter><Size>1</Size></Filter>"),           // unknown condition
           rule("<DeleteMarkerReplication><Status>Maybe</Status></DeleteMarkerReplication>"),
           rule("<Unknown/>"),
           "<Rule><Status>Enabled</Status><Destination><Bucket>arn:aws:s3:::b</Bucket>"
           "<Colour>red</Colour></Destination></Rule>",
       }) {
    EXPECT_EQ(parse_error(rules), ErrorCode::kMalformedXML) << rules;
  }
}

TEST(ReplicationXmlTest, MoreThanAThousandRulesAreLeftToValidate) {
  std::string rules;
  for (int i = 0; i < 1001; ++i) {
    rules += rule("<ID>r" + std::to_string(i) + "</ID><Priority>" + std::to_string(i) +
                  "</Priority><Filter/><DeleteMarkerReplication><Status>Disabled</Status>"
                  "</DeleteMarkerReplication>");
  }
  auto config = parse_replication_configuration(wrap(rules));
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(vault::validate(*config).error().code, ErrorCode::kInvalidRequest);
}

TEST(ReplicationXmlTest, WritesS3sDocument) {
  auto config = parse_replication_configuration(
      wrap(rule("<ID>one</ID><Priority>1</Priority><Filter><Prefix>a&amp;b/</Prefix></Filter>"
                "<DeleteMarkerReplication><Status>Enabled</Status></DeleteMarkerReplication>")));
  ASSERT_TRUE(config);
  const std::string xml = replication_configuration_xml(*config);
  EXPECT_NE(
      xml.find("<ReplicationConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"),
      std::string::npos);
  EXPECT_NE(xml.find("<Role>arn:aws:iam::1:role/r</Role>"), std::string::npos);
  EXPECT_NE(xml.find("<Prefix>a&amp;b/</Prefix>"), std::string::npos);
  EXPECT_NE(xml.find("<DeleteMarkerReplication><Status>Enabled</Status>"), std::string::npos);
  EXPECT_NE(xml.find("<Destination><Bucket>arn:aws:s3:::backup</Bucket></Destination>"),
            std::string::npos);
}

// ---- Routes ---------------------------------------------------------------------------------

Request request(std::string method, std::string target) {
  Request r;
  r.method = std::move(method);
  r.target = target;
  const size_t q = target.find('?');
  r.path = target.substr(0, q);
  r.query = q == std::string::npos ? "" : target.substr(q + 1);
  r.params = parse_query(r.query).value();
  return r;
}

TEST(ReplicationRoutes, ThreeOperationsForTheBucketOwner) {
  const std::pair<std::string, Operation> cases[] = {
      {"PUT", Operation::kPutBucketReplication},
      {"GET", Operation::kGetBucketReplication},
      {"DELETE", Operation::kDeleteBucketReplication},
  };
  for (const auto& [method, operation] : cases) {
    auto route = route_request(request(method, "/b?replication"), {});
    ASSERT_TRUE(route) << method;
    EXPECT_EQ(route->operation, operation);
    EXPECT_EQ(route->access, Access::kBucketOwner);
    EXPECT_EQ(route->bucket, "b");
  }
  auto on_object = route_request(request("GET", "/b/k?replication"), {});
  ASSERT_FALSE(on_object);
  EXPECT_EQ(on_object.error().code, ErrorCode::kNotImplemented);
}

}  // namespace
}  // namespace cv::s3
