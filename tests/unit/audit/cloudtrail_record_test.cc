// CloudTrail records of S3 calls, and the trail's file names and digest signing string.
#include "audit/cloudtrail_record.h"

#include <gtest/gtest.h>

#include "audit/request_capture.h"
#include "audit/trail_files.h"
#include "sample_event.h"

namespace cv::audit {
namespace {

namespace json = boost::json;

using testing::kNoonUtc;

AuditEvent put_object() { return testing::put_object_event(); }

TEST(CloudTrailRecordTest, APutObjectIsAWriteDataEventWithEveryField) {
  const json::object record = to_cloudtrail_record(put_object());
  EXPECT_EQ(record.at("eventVersion"), "1.09");
  EXPECT_EQ(record.at("eventTime"), "2026-06-06T12:00:00Z");
  EXPECT_EQ(record.at("eventSource"), "s3.amazonaws.com");
  EXPECT_EQ(record.at("eventName"), "PutObject");
  EXPECT_EQ(record.at("awsRegion"), "eu-west-1");
  EXPECT_EQ(record.at("sourceIPAddress"), "192.0.2.7");
  EXPECT_EQ(record.at("userAgent"), "[aws-cli/2.9.19]");
  const json::object& identity = record.at("userIdentity").as_object();
  EXPECT_EQ(identity.at("type"), "IAMUser");
  EXPECT_EQ(identity.at("principalId"), "AIDAEXAMPLE");
  EXPECT_EQ(identity.at("arn"), "arn:aws:iam::111122223333:user/ann");
  EXPECT_EQ(identity.at("accountId"), "111122223333");
  EXPECT_EQ(identity.at("accessKeyId"), "AKIAEXAMPLE");
  EXPECT_EQ(identity.at("userName"), "ann");
  const json::object& parameters = record.at("requestParameters").as_object();
  EXPECT_EQ(parameters.at("bucketName"), "photos");
  EXPECT_EQ(parameters.at("Host"), "127.0.0.1:9000");
  EXPECT_EQ(parameters.at("key"), "2026/cat.jpg");
  EXPECT_EQ(parameters.at("x-id"), "PutObject");
  EXPECT_EQ(record.at("responseElements").as_object().at("x-amz-version-id"), "v1");
  const json::object& additional = record.at("additionalEventData").as_object();
  EXPECT_EQ(additional.at("bytesTransferredIn").to_number<uint64_t>(), 48'000u);
  EXPECT_EQ(additional.at("bytesTransferredOut").to_number<uint64_t>(), 0u);
  EXPECT_EQ(additional.at("SignatureVersion"), "SigV4");
  EXPECT_EQ(additional.at("AuthenticationMethod"), "AuthHeader");
  EXPECT_FALSE(additional.contains("CipherSuite"));  // plain HTTP
  EXPECT_EQ(record.at("requestID"), "REQ1");
  EXPECT_EQ(record.at("eventID"), "3074546e-1bfa-4973-8502-b1bb4d0bda1a");
  EXPECT_EQ(record.at("readOnly"), false);
  EXPECT_EQ(record.at("eventType"), "AwsApiCall");
  EXPECT_EQ(record.at("managementEvent"), false);
  EXPECT_EQ(record.at("eventCategory"), "Data");
  EXPECT_EQ(record.at("recipientAccountId"), "111122223333");
  const json::array& resources = record.at("resources").as_array();
  ASSERT_EQ(resources.size(), 2u);
  EXPECT_EQ(resources[0].at("type"), "AWS::S3::Object");
  EXPECT_EQ(resources[0].at("ARN"), "arn:aws:s3:::photos/2026/cat.jpg");
  EXPECT_EQ(resources[1].at("type"), "AWS::S3::Bucket");
  EXPECT_EQ(resources[1].at("ARN"), "arn:aws:s3:::photos");
  EXPECT_EQ(resources[1].at("accountId"), "111122223333");
  EXPECT_FALSE(record.contains("errorCode"));
  EXPECT_FALSE(record.contains("tlsDetails"));
}

TEST(CloudTrailRecordTest, ADeniedBucketCallIsARecordedManagementEvent) {
  AuditEvent event = put_object();
  event.event_name = "GetBucketVersioning";
  event.key.clear();
  event.response_elements.reset();
  event.error_code = "AccessDenied";
  event.error_message = "Access Denied";
  event.tls_version = "TLSv1.3";
  event.cipher_suite = "TLS_AES_128_GCM_SHA256";
  const json::object record = to_cloudtrail_record(event);
  EXPECT_EQ(record.at("errorCode"), "AccessDenied");
  EXPECT_EQ(record.at("errorMessage"), "Access Denied");
  EXPECT_EQ(record.at("readOnly"), true);
  EXPECT_EQ(record.at("managementEvent"), true);
  EXPECT_EQ(record.at("eventCategory"), "Management");
  EXPECT_TRUE(record.at("responseElements").is_null());
  EXPECT_EQ(record.at("resources").as_array().size(), 1u);
  EXPECT_EQ(record.at("tlsDetails").at("tlsVersion"), "TLSv1.3");
  EXPECT_EQ(record.at("tlsDetails").at("cipherSuite"), "TLS_AES_128_GCM_SHA256");
  EXPECT_EQ(record.at("tlsDetails").at("clientProvidedHostHeader"), "127.0.0.1:9000");
  EXPECT_EQ(record.at("additionalEventData").at("CipherSuite"), "TLS_AES_128_GCM_SHA256");
}

TEST(CloudTrailRecordTest, IdentitiesAreWrittenAsCloudTrailDoes) {
  AuditEvent event = put_object();
  event.identity = {IdentityType::kRoot, "111122223333", "arn:aws:iam::111122223333:root",
                    "111122223333",      "AKIAROOT",     "root"};
  json::object identity = to_cloudtrail_record(event).at("userIdentity").as_object();
  EXPECT_EQ(identity.at("type"), "Root");
  EXPECT_FALSE(identity.contains("userName"));
  event.identity = {IdentityType::kAnonymous, "", "", "", "", ""};
  identity = to_cloudtrail_record(event).at("userIdentity").as_object();
  EXPECT_EQ(identity.at("type"), "AWSAccount");
  EXPECT_EQ(identity.at("principalId"), "ANONYMOUS_PRINCIPAL");
  EXPECT_FALSE(identity.contains("accessKeyId"));
  event.identity = {IdentityType::kAssumedRole,
                    "AROAEXAMPLE:session",
                    "arn:aws:sts::111122223333:assumed-role/reader/session",
                    "111122223333",
                    "ASIAEXAMPLE",
                    ""};
  identity = to_cloudtrail_record(event).at("userIdentity").as_object();
  EXPECT_EQ(identity.at("type"), "AssumedRole");
  EXPECT_EQ(identity.at("accessKeyId"), "ASIAEXAMPLE");
  EXPECT_FALSE(identity.contains("sessionContext"));
}

TEST(CloudTrailRecordTest, ARoleSessionNamesItsRoleAsSessionIssuer) {
  AuditEvent event = put_object();
  event.identity =
      assumed_role_identity("111122223333", "AROAEXAMPLE", "reader", "nightly", "ASIAEXAMPLE");
  const json::object identity = to_cloudtrail_record(event).at("userIdentity").as_object();
  EXPECT_EQ(identity.at("type"), "AssumedRole");
  EXPECT_EQ(identity.at("principalId"), "AROAEXAMPLE:nightly");
  EXPECT_EQ(identity.at("arn"), "arn:aws:sts::111122223333:assumed-role/reader/nightly");
  const json::object& issuer =
      identity.at("sessionContext").as_object().at("sessionIssuer").as_object();
  EXPECT_EQ(issuer.at("type"), "Role");
  EXPECT_EQ(issuer.at("principalId"), "AROAEXAMPLE");
  EXPECT_EQ(issuer.at("arn"), "arn:aws:iam::111122223333:role/reader");
  EXPECT_EQ(issuer.at("userName"), "reader");
  // A GetSessionToken session of a user: an IAMUser with session attributes, no issuer.
  event.identity = user_identity("111122223333", "AIDAEXAMPLE", "ann", false, "ASIAOTHER");
  event.identity.session = true;
  const json::object user = to_cloudtrail_record(event).at("userIdentity").as_object();
  EXPECT_EQ(user.at("type"), "IAMUser");
  EXPECT_TRUE(user.at("sessionContext").as_object().contains("attributes"));
  EXPECT_FALSE(user.at("sessionContext").as_object().contains("sessionIssuer"));
}

TEST(CloudTrailRecordTest, ClassifiesS3Calls) {
  for (const char* name : {"GetObject", "HeadObject", "ListObjectsV2", "ListBuckets",
                           "GetBucketReplication", "HeadBucket"}) {
    EXPECT_TRUE(is_read_only(name)) << name;
  }
  for (const char* name : {"PutObject", "DeleteObjects", "CreateBucket", "PutBucketVersioning"}) {
    EXPECT_FALSE(is_read_only(name)) << name;
  }
  for (const char* name : {"GetObject", "PutObject", "ListObjectsV2", "CompleteMultipartUpload",
                           "DeleteObjects", "PutObjectTagging"}) {
    EXPECT_TRUE(is_data_event(name)) << name;
  }
  for (const char* name : {"CreateBucket", "DeleteBucket", "ListBuckets", "PutBucketLifecycle",
                           "GetBucketNotificationConfiguration"}) {
    EXPECT_FALSE(is_data_event(name)) << name;
  }
}

TEST(TrailFilesTest, NamesFilesAsCloudTrailDelivers) {
  EXPECT_EQ(log_file_key("111122223333", "us-east-2", kNoonUtc + 10 * 60'000'000'000LL,
                         "Mu0KsOhtH1ar15ZZ"),
            "AWSLogs/111122223333/CloudTrail/us-east-2/2026/06/06/"
            "111122223333_CloudTrail_us-east-2_20260606T1210Z_Mu0KsOhtH1ar15ZZ.json.gz");
  EXPECT_EQ(digest_file_key("111122223333", "us-east-2", "cloudvault", kNoonUtc + 31'000'000'000),
            "AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2026/06/06/"
            "111122223333_CloudTrail-Digest_us-east-2_cloudvault_us-east-2_20260606T120031Z"
            ".json.gz");
  EXPECT_EQ(digest_time(kNoonUtc + 999'999'999), "2026-06-06T12:00:00Z");
}

TEST(TrailFilesTest, TheDigestSigningStringIsTheOneValidateLogsRecomputes) {
  EXPECT_EQ(digest_signing_string("2015-08-17T14:01:31Z", "trail-bucket/AWSLogs/x.json.gz",
                                  "4bfd1a4bd5ab2d36", ""),
            "2015-08-17T14:01:31Z\ntrail-bucket/AWSLogs/x.json.gz\n4bfd1a4bd5ab2d36\nnull");
  EXPECT_EQ(digest_signing_string("2015-08-17T15:01:31Z", "b/k", "aa", "6e8540b8"),
            "2015-08-17T15:01:31Z\nb/k\naa\n6e8540b8");
}

}  // namespace
}  // namespace cv::audit
