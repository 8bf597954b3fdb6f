// cloudtrail_record_json: byte for byte what Boost.JSON writes for to_cloudtrail_record.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "audit/cloudtrail_record.h"
#include "sample_event.h"

namespace cv::audit {
namespace {

namespace json = boost::json;

using testing::kNoonUtc;

// Every byte 0x00-0x1f, the two escaped printables, DEL, UTF-8 of 2, 3 and 4 bytes, U+2028,
// and bytes that are not UTF-8 (a lone continuation byte, a truncated sequence, 0xff, 0xc0).
std::string awkward_text() {
  std::string text;
  for (int c = 0; c < 0x20; ++c) text.push_back(static_cast<char>(c));
  text +=
      "\"quoted\" back\\slash /slash \x7f caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xb1 \xe2\x80\xa8";
  text += "\x80 \xe2\x82 \xff\xfe \xc0\xaf end";
  return text;
}

AuditEvent full_event() { return testing::put_object_event(); }

std::string boost_json(const AuditEvent& event) {
  return json::serialize(to_cloudtrail_record(event));
}

#define EXPECT_SAME_JSON(event) EXPECT_EQ(cloudtrail_record_json(event), boost_json(event))

TEST(CloudTrailJsonTest, WritesTheRecordBoostWrites) {
  const AuditEvent event = full_event();
  EXPECT_EQ(
      cloudtrail_record_json(event),
      R"({"eventVersion":"1.09","userIdentity":{"type":"IAMUser","principalId":"AIDAEXAMPLE",)"
      R"("arn":"arn:aws:iam::111122223333:user/ann","accountId":"111122223333",)"
      R"("accessKeyId":"AKIAEXAMPLE","userName":"ann"},"eventTime":"2026-06-06T12:00:00Z",)"
      R"("eventSource":"s3.amazonaws.com","eventName":"PutObject","awsRegion":"eu-west-1",)"
      R"("sourceIPAddress":"192.0.2.7","userAgent":"[aws-cli/2.9.19]","requestParameters":)"
      R"({"bucketName":"photos","Host":"127.0.0.1:9000","key":"2026/cat.jpg","x-id":)"
      R"("PutObject"},"responseElements":{"x-amz-version-id":"v1"},"additionalEventData":)"
      R"({"bytesTransferredIn":48000,"bytesTransferredOut":0,"SignatureVersion":"SigV4",)"
      R"("AuthenticationMethod":"AuthHeader","x-amz-id-2":"id2"},"requestID":"REQ1",)"
      R"("eventID":"3074546e-1bfa-4973-8502-b1bb4d0bda1a","readOnly":false,"resources":)"
      R"([{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::photos/2026/cat.jpg"},)"
      R"({"type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::photos","accountId":"111122223333"}],)"
      R"("eventType":"AwsApiCall","managementEvent":false,"recipientAccountId":)"
      R"("111122223333","eventCategory":"Data"})");
  EXPECT_SAME_JSON(event);
}

TEST(CloudTrailJsonTest, EscapesAsBoostDoes) {
  AuditEvent event;
  event.user_agent = awkward_text();
  const std::string text = cloudtrail_record_json(event);
  // Short escapes for \b \t \n \f \r, lower-case \u00xx for the other controls (\v too).
  EXPECT_NE(text.find(R"("userAgent":"\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n)"
                      R"(\u000b\f\r\u000e\u000f\u0010)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(R"(\u001e\u001f\"quoted\" back\\slash /slash )"), std::string::npos);
  // DEL, UTF-8 and bytes that are not UTF-8 are copied as they are.
  EXPECT_NE(text.find("/slash \x7f caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xb1 \xe2\x80\xa8\x80 "
                      "\xe2\x82 \xff\xfe \xc0\xaf end\""),
            std::string::npos);
  EXPECT_SAME_JSON(event);
  for (int c = 0; c < 256; ++c) {
    event.user_agent = std::string(1, static_cast<char>(c));
    EXPECT_SAME_JSON(event) << "byte " << c;
    // The byte at every place of a longer plain string (the writer skips 8 bytes at a time).
    for (std::size_t at = 0; at < 40; ++at) {
      event.user_agent = std::string(40, 'a');
      event.user_agent[at] = static_cast<char>(c);
      EXPECT_SAME_JSON(event) << "byte " << c << " at " << at;
    }
  }
}

TEST(CloudTrailJsonTest, EveryIdentityMatches) {
  AuditEvent event = full_event();
  const std::vector<Identity> identities = {
      {IdentityType::kRoot, "111122223333", "arn:aws:iam::111122223333:root", "111122223333",
       "AKIAROOT", "root"},
      {IdentityType::kRoot, "111122223333", "arn:aws:iam::111122223333:root", "111122223333", "",
       ""},
      {IdentityType::kIAMUser, "AIDA", "arn:aws:iam::1:user/ann", "1", "AKIA", "ann"},
      {IdentityType::kIAMUser, "AIDA", "arn:aws:iam::1:user/ann", "1", "", ""},
      {IdentityType::kIAMUser, "AIDA", "arn", "1", "ASIA", "ann", true},
      {IdentityType::kAssumedRole, "AROA:s", "arn:aws:sts::1:assumed-role/r/s", "1", "ASIA", "",
       true, "AROA", "arn:aws:iam::1:role/r", "r"},
      {IdentityType::kAssumedRole, "AROA:s", "arn:aws:sts::1:assumed-role/r/s", "1", "ASIA", "x",
       false, "AROA", "arn:aws:iam::1:role/r", "r"},
      {IdentityType::kAssumedRole, "", "", "", "", "", true, "", "", ""},
      {IdentityType::kAnonymous, "", "", "", "", ""},
      {IdentityType::kAnonymous, "", "", "", "AKIAUNKNOWN", ""},
      {IdentityType::kAnonymous, "AIDA", "arn", "111122223333", "AKIABADSIG", "ann", true},
      {IdentityType::kAnonymous, "", "", "111122223333", "", ""},
      {static_cast<IdentityType>(42), "p", "a", "1", "k", "u", true, "r", "ra", "rn"},
  };
  for (const Identity& identity : identities) {
    event.identity = identity;
    EXPECT_SAME_JSON(event) << identity.principal_id;
    event.identity.role_name = awkward_text();
    event.identity.principal_id = awkward_text();
    event.identity.arn = awkward_text();
    event.identity.access_key_id = event.identity.access_key_id.empty() ? "" : awkward_text();
    EXPECT_SAME_JSON(event);
  }
}

TEST(CloudTrailJsonTest, RequestParametersKeepBoostsOrderAndLastValue) {
  AuditEvent event = full_event();
  const std::vector<std::vector<std::pair<std::string, std::string>>> lists = {
      {},
      {{"versionId", "v1"}, {"uploadId", "u"}, {"partNumber", "3"}},
      {{"key", "from-query"}},
      {{"bucketName", "other"}, {"x-id", "a"}},
      {{"Host", "h2"}, {"key", "k2"}, {"bucketName", "b2"}},
      {{"x-id", "a"}, {"x-id", "b"}, {"y", "c"}, {"x-id", "d"}},
      {{"key", "1"}, {"a", "2"}, {"key", "3"}},
      {{"", ""}, {"", "empty name"}},
      {{awkward_text(), awkward_text()}, {"k\"ey", "v"}, {awkward_text(), "again"}},
  };
  for (const auto& parameters : lists) {
    event.parameters = parameters;
    for (int mask = 0; mask < 8; ++mask) {
      event.bucket = mask & 1 ? "photos" : "";
      event.host = mask & 2 ? "127.0.0.1:9000" : "";
      event.key = mask & 4 ? "2026/cat.jpg" : "";
      EXPECT_SAME_JSON(event) << "mask " << mask << ", " << parameters.size() << " parameters";
    }
  }
}

TEST(CloudTrailJsonTest, OptionalPartsMatch) {
  AuditEvent event = full_event();
  for (int mask = 0; mask < 64; ++mask) {
    event.response_elements.reset();
    if (mask & 1) {
      event.response_elements = json::object{
          {"x-amz-version-id", awkward_text()}, {"n", 3}, {"list", json::array{true, nullptr}}};
    }
    event.error_code = mask & 2 ? "AccessDenied" : "";
    event.error_message = mask & 2 ? awkward_text() : "";
    event.tls_version = mask & 4 ? "TLSv1.3" : "";
    event.cipher_suite = mask & 8 ? "TLS_AES_128_GCM_SHA256" : "";
    event.signature_version = mask & 16 ? "SigV4" : "";
    event.authentication_method = mask & 16 ? "QueryString" : "";
    event.amz_id_2 = mask & 32 ? "id2" : "";
    event.recipient_account_id = mask & 32 ? "111122223333" : "";
    event.bytes_out = mask & 32 ? std::numeric_limits<uint64_t>::max() : 0;
    event.host = mask & 8 ? "" : "h";
    EXPECT_SAME_JSON(event) << "mask " << mask;
  }
  event.response_elements = json::object{};
  EXPECT_SAME_JSON(event);
  // Read-only, management, console calls: the flags come from the name.
  for (const char* name : {"GetObject", "ListBuckets", "CreateBucket", "ConsolePresignGet",
                           "ConsoleSignIn", "DeleteObjects", "", "GetBucketPolicy"}) {
    event.event_name = name;
    event.event_source = name[0] == 'C' ? kConsoleEventSource : kS3EventSource;
    EXPECT_SAME_JSON(event) << name;
  }
}

TEST(CloudTrailJsonTest, EventTimesMatchStrftime) {
  AuditEvent event = full_event();
  constexpr int64_t kSecond = 1'000'000'000;
  for (int64_t time_ns : {int64_t{0}, int64_t{-1}, -kSecond, -kSecond - 1, kSecond - 1, kNoonUtc,
                          int64_t{951'782'400} * kSecond,       // 2000-02-29
                          int64_t{1'709'164'800} * kSecond,     // 2024-02-29
                          int64_t{4'107'542'399} * kSecond,     // 2100-02-28T23:59:59
                          int64_t{4'107'542'400} * kSecond,     // 2100-03-01
                          int64_t{-2'208'988'801} * kSecond,    // 1899-12-31T23:59:59
                          std::numeric_limits<int64_t>::min(),  // 1677
                          std::numeric_limits<int64_t>::max()}) {
    event.time_ns = time_ns;
    EXPECT_SAME_JSON(event) << time_ns;
  }
  std::mt19937_64 random(16);
  for (int i = 0; i < 2000; ++i) {
    event.time_ns = static_cast<int64_t>(random());
    EXPECT_SAME_JSON(event) << event.time_ns;
  }
}

// Strings of random bytes (biased towards the ones that are escaped), random shapes.
class RandomEvents {
 public:
  explicit RandomEvents(uint64_t seed) : random_(seed) {}

  AuditEvent next() {
    AuditEvent event;
    event.time_ns = static_cast<int64_t>(random_());
    event.event_source = text();
    static const std::vector<std::string> kNames = {
        "GetObject",     "PutObject",    "ListBuckets", "CreateBucket", "ConsolePresignPut",
        "ConsoleSignIn", "DeleteObject", "HeadBucket",  "ListObjectsV2"};
    event.event_name = pick(4) == 0 ? text() : kNames[pick(kNames.size())];
    event.region = text();
    event.source_ip = text();
    event.user_agent = text();
    Identity& id = event.identity;
    id.type = static_cast<IdentityType>(pick(4));
    id.principal_id = text();
    id.arn = text();
    id.account_id = text();
    id.access_key_id = text();
    id.user_name = text();
    id.session = pick(2) == 0;
    id.role_id = text();
    id.role_arn = text();
    id.role_name = text();
    event.bucket = text();
    event.key = text();
    event.host = text();
    static const std::vector<std::string> kParameterNames = {"bucketName", "Host", "key",
                                                             "versionId", "x-id"};
    for (std::size_t n = pick(6); n > 0; --n) {
      event.parameters.emplace_back(
          pick(2) ? kParameterNames[pick(kParameterNames.size())] : text(), text());
    }
    if (pick(4) == 0) event.response_elements = json::object{{text(), text()}};
    event.bytes_in = pick(2) ? random_() : pick(10);
    event.bytes_out = random_();
    event.signature_version = text();
    event.authentication_method = text();
    event.amz_id_2 = text();
    event.tls_version = text();
    event.cipher_suite = text();
    event.error_code = text();
    event.error_message = text();
    event.request_id = text();
    event.event_id = text();
    event.recipient_account_id = text();
    return event;
  }

 private:
  std::size_t pick(std::size_t n) { return static_cast<std::size_t>(random_() % n); }

  // Empty half the time (so optional fields come and go), else 1-24 random bytes.
  std::string text() {
    if (pick(2) == 0) return "";
    std::string out(1 + pick(24), '\0');
    for (char& c : out) {
      switch (pick(4)) {
        case 0:
          c = static_cast<char>(pick(0x20));  // a control character
          break;
        case 1:
          c = "\"\\/\x7f"[pick(4)];
          break;
        default:
          c = static_cast<char>(pick(256));
      }
    }
    return out;
  }

  std::mt19937_64 random_;
};

TEST(CloudTrailJsonTest, RandomEventsMatch) {
  RandomEvents events(20261207);
  int mismatches = 0;
  for (int i = 0; i < 5000 && mismatches < 5; ++i) {
    const AuditEvent event = events.next();
    const std::string ours = cloudtrail_record_json(event);
    const std::string boosts = boost_json(event);
    if (ours != boosts) ++mismatches;
    EXPECT_EQ(ours, boosts) << "event " << i;
  }
}

}  // namespace
}  // namespace cv::audit
