// The evaluator against cases taken from AWS's documentation. Each group names the page its
// cases come from (https://docs.aws.amazon.com/IAM/latest/UserGuide/... unless it says
// otherwise); each case is: the policies (identity, bucket, session; "" for none), the
// caller, the action and resource, the condition keys, and the expected decision: allowed
// or not, which policy decided ('I' identity, 'R' bucket, 'S' session, '-' implicit deny,
// '*' the root user) and the 0-based index of the deciding statement.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "policy_test_support.h"

namespace cv::policy::testing {
namespace {

std::string doc(const std::string& statements) {
  return R"({"Version":"2012-10-17","Statement":[)" + statements + "]}";
}

// An identity policy allowing everything when `condition` (the inside of a Condition
// element) holds.
std::string allow_if(const std::string& condition) {
  return doc(R"({"Effect":"Allow","Action":"*","Resource":"*","Condition":{)" + condition + "}}");
}

struct Case {
  std::string name;
  std::string identity;
  std::string resource;
  std::string session;
  Caller caller;
  std::string action;
  std::string arn;
  ConditionKeys keys;
  bool allowed;
  char by;
  int statement;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

constexpr Caller kAlice = Caller::kAlice;
constexpr Caller kBob = Caller::kBob;
constexpr Caller kRoot = Caller::kRoot;
constexpr Caller kAnon = Caller::kAnonymous;
constexpr Caller kSession = Caller::kReaderSession;
constexpr Caller kOther = Caller::kOtherAccount;

const std::string kObj = "arn:aws:s3:::bucket/key.txt";
const std::string kBucket = "arn:aws:s3:::bucket";

// reference_policies_examples_s3_home-directory-console.html and
// reference_policies_variables.html: a user limited to home/<name>/ by ${aws:username}.
const std::string kHomeFolder = doc(R"(
  {"Sid":"ListHome","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::bucket",
   "Condition":{"StringLike":{"s3:prefix":["","home/","home/${aws:username}/*"]}}},
  {"Sid":"RWHome","Effect":"Allow","Action":["s3:GetObject","s3:PutObject","s3:DeleteObject"],
   "Resource":"arn:aws:s3:::bucket/home/${aws:username}/*"})");

// access_policies_session.html: a role allowed s3:* limited by a session policy to GetObject.
const std::string kRoleAll = doc(R"({"Effect":"Allow","Action":"s3:*","Resource":"*"})");
const std::string kSessionGet =
    doc(R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"})");

// AmazonS3/latest/userguide/example-bucket-policies.html: public read, and HTTPS only.
const std::string kPublicRead = doc(R"(
  {"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":["s3:GetObject","s3:GetObjectVersion"],
   "Resource":"arn:aws:s3:::bucket/*"})");
const std::string kHttpsOnly = doc(R"(
  {"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"},
  {"Sid":"HttpsOnly","Effect":"Deny","Principal":"*","Action":"s3:*",
   "Resource":["arn:aws:s3:::bucket","arn:aws:s3:::bucket/*"],
   "Condition":{"Bool":{"aws:SecureTransport":"false"}}})");

// One case a line: the table reads best unwrapped.
// clang-format off
std::vector<Case> cases() {
  return {
      // --- reference_policies_elements_action.html: Action, wildcards, case ---
      {"action exact", doc(R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"*"})"), "", "", kAlice, "s3:GetObject", kObj, {}, true, 'I', 0},
      {"action case-insensitive", doc(R"({"Effect":"Allow","Action":"S3:getobject","Resource":"*"})"), "", "", kAlice, "s3:GetObject", kObj, {}, true, 'I', 0},
      {"action other", doc(R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"*"})"), "", "", kAlice, "s3:PutObject", kObj, {}, false, '-', -1},
      {"action star suffix", doc(R"({"Effect":"Allow","Action":"s3:Get*","Resource":"*"})"), "", "", kAlice, "s3:GetObjectTagging", kObj, {}, true, 'I', 0},
      {"action star suffix no", doc(R"({"Effect":"Allow","Action":"s3:Get*","Resource":"*"})"), "", "", kAlice, "s3:PutObject", kObj, {}, false, '-', -1},
      {"action star middle", doc(R"({"Effect":"Allow","Action":"s3:*Object","Resource":"*"})"), "", "", kAlice, "s3:DeleteObject", kObj, {}, true, 'I', 0},
      {"action question mark", doc(R"({"Effect":"Allow","Action":"iam:?etUser","Resource":"*"})"), "", "", kAlice, "iam:GetUser", "*", {}, true, 'I', 0},
      {"action service star", doc(R"({"Effect":"Allow","Action":"s3:*","Resource":"*"})"), "", "", kAlice, "s3:ListBucket", kBucket, {}, true, 'I', 0},
      {"action service star other service", doc(R"({"Effect":"Allow","Action":"s3:*","Resource":"*"})"), "", "", kAlice, "iam:CreateUser", "*", {}, false, '-', -1},
      {"action star all", doc(R"({"Effect":"Allow","Action":"*","Resource":"*"})"), "", "", kAlice, "sts:AssumeRole", "*", {}, true, 'I', 0},
      {"action list", doc(R"({"Effect":"Allow","Action":["s3:PutObject","s3:GetObject"],"Resource":"*"})"), "", "", kAlice, "s3:GetObject", kObj, {}, true, 'I', 0},
      // --- reference_policies_elements_notaction.html ---
      {"notaction allows others", doc(R"({"Effect":"Allow","NotAction":"iam:*","Resource":"*"})"), "", "", kAlice, "s3:GetObject", kObj, {}, true, 'I', 0},
      {"notaction excludes listed", doc(R"({"Effect":"Allow","NotAction":"iam:*","Resource":"*"})"), "", "", kAlice, "iam:CreateUser", "*", {}, false, '-', -1},
      {"deny notaction denies the rest", doc(R"({"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","NotAction":"s3:Get*","Resource":"*"})"), "", "", kAlice, "s3:PutObject", kObj, {}, false, 'I', 1},
      {"deny notaction spares listed", doc(R"({"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","NotAction":"s3:Get*","Resource":"*"})"), "", "", kAlice, "s3:GetObject", kObj, {}, true, 'I', 0},
      // --- reference_policies_elements_resource.html: ARNs, wildcards, case-sensitivity ---
      {"resource exact", doc(R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/key.txt"})"), "", "", kAlice, "s3:GetObject", kObj, {}, true, 'I', 0},
      {"resource case-sensitive", doc(R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/KEY.txt"})"), "", "", kAlice, "s3:GetObject", kObj, {}, false, '-', -1},
      {"resource bucket star", doc(R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"})"), "", "", kAlice, "s3:GetObject", "arn:aws:s3:::bucket/a/b/c.txt", {}, true, 'I', 0},
      {"resource bucket star not the bucket", doc(R"({"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::bucket/*"})"), "", "", kAlice, "s3:ListBucket", kBucket, {}, false, '-', -1},
      {"resource star spans colons", doc(R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::*"})"), "", "", kAlice, "s3:GetObject", "arn:aws:s3:::other/x:y", {}, true, 'I', 0},
      {"resource question mark", doc(R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/key.tx?"})"), "", "", kAlice, "s3:GetObject", kObj, {}, true, 'I', 0},
      {"resource question mark one char", doc(R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/key.t?"})"), "", "", kAlice, "s3:GetObject", kObj, {}, false, '-', -1},
      {"resource prefix star", doc(R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/logs/*"})"), "", "", kAlice, "s3:GetObject", kObj, {}, false, '-', -1},
      {"resource other bucket prefix", doc(R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::buck*/*"})"), "", "", kAlice, "s3:GetObject", kObj, {}, true, 'I', 0},
      // --- reference_policies_elements_notresource.html ---
      {"notresource allows elsewhere", doc(R"({"Effect":"Allow","Action":"s3:*","NotResource":"arn:aws:s3:::secret/*"})"), "", "", kAlice, "s3:GetObject", kObj, {}, true, 'I', 0},
      {"notresource excludes", doc(R"({"Effect":"Allow","Action":"s3:*","NotResource":"arn:aws:s3:::secret/*"})"), "", "", kAlice, "s3:GetObject", "arn:aws:s3:::secret/a", {}, false, '-', -1},
      {"deny notresource", doc(R"({"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"s3:*","NotResource":["arn:aws:s3:::bucket","arn:aws:s3:::bucket/*"]})"), "", "", kAlice, "s3:GetObject", "arn:aws:s3:::other/x", {}, false, 'I', 1},
      // --- reference_policies_variables.html and the home-folder example ---
      {"home get own", kHomeFolder, "", "", kAlice, "s3:GetObject", "arn:aws:s3:::bucket/home/alice/a.txt", {}, true, 'I', 1},
      {"home put own nested", kHomeFolder, "", "", kAlice, "s3:PutObject", "arn:aws:s3:::bucket/home/alice/d/e.txt", {}, true, 'I', 1},
      {"home get other's", kHomeFolder, "", "", kAlice, "s3:GetObject", "arn:aws:s3:::bucket/home/bob/a.txt", {}, false, '-', -1},
      {"home bob his own", kHomeFolder, "", "", kBob, "s3:GetObject", "arn:aws:s3:::bucket/home/bob/a.txt", {}, true, 'I', 1},
      {"home list own prefix", kHomeFolder, "", "", kAlice, "s3:ListBucket", kBucket, {{"s3:prefix", {"home/alice/"}}}, true, 'I', 0},
      {"home list root", kHomeFolder, "", "", kAlice, "s3:ListBucket", kBucket, {{"s3:prefix", {""}}}, true, 'I', 0},
      {"home list other prefix", kHomeFolder, "", "", kAlice, "s3:ListBucket", kBucket, {{"s3:prefix", {"home/bob/"}}}, false, '-', -1},
      {"home list without prefix", kHomeFolder, "", "", kAlice, "s3:ListBucket", kBucket, {}, false, '-', -1},
      {"home session has no username", kHomeFolder, "", "", kSession, "s3:GetObject", "arn:aws:s3:::bucket/home/alice/a.txt", {}, false, '-', -1},
      {"variable default used", doc(R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/${aws:username, 'shared'}/*"})"), "", "", kSession, "s3:GetObject", "arn:aws:s3:::bucket/shared/x", {}, true, 'I', 0},
      {"variable escape star is literal", doc(R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/${*}"})"), "", "", kAlice, "s3:GetObject", "arn:aws:s3:::bucket/x", {}, false, '-', -1},
      {"variable escape star matches star", doc(R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/${*}"})"), "", "", kAlice, "s3:GetObject", "arn:aws:s3:::bucket/*", {}, true, 'I', 0},
      {"variable userid", doc(R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/${aws:userid}/*"})"), "", "", kSession, "s3:GetObject", "arn:aws:s3:::bucket/AROAREADER:s1/x", {}, true, 'I', 0},
      {"variable from condition key", doc(R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/${s3:ExistingObjectTag/team}/*"})"), "", "", kAlice, "s3:GetObject", "arn:aws:s3:::bucket/red/x", {{"s3:existingobjecttag/team", {"red"}}}, true, 'I', 0},
      {"variable value wildcard is literal", doc(R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/${s3:ExistingObjectTag/team}/x"})"), "", "", kAlice, "s3:GetObject", "arn:aws:s3:::bucket/red/x", {{"s3:existingobjecttag/team", {"*"}}}, false, '-', -1},
      {"version 2008 keeps variables literal", R"({"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/${aws:username}/*"}]})", "", "", kAlice, "s3:GetObject", "arn:aws:s3:::bucket/${aws:username}/x", {}, true, 'I', 0},
      {"no version keeps variables literal", R"({"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/${aws:username}/*"}]})", "", "", kAlice, "s3:GetObject", "arn:aws:s3:::bucket/alice/x", {}, false, '-', -1},
      {"variable in condition value", allow_if(R"("StringEquals":{"s3:prefix":"${aws:username}/"})"), "", "", kAlice, "s3:ListBucket", kBucket, {{"s3:prefix", {"alice/"}}}, true, 'I', 0},
      // --- reference_policies_elements_condition_operators.html: String ---
      {"StringEquals match", allow_if(R"("StringEquals":{"aws:username":"alice"})"), "", "", kAlice, "s3:GetObject", kObj, {}, true, 'I', 0},
      {"StringEquals case-sensitive", allow_if(R"("StringEquals":{"aws:username":"Alice"})"), "", "", kAlice, "s3:GetObject", kObj, {}, false, '-', -1},
      {"StringEquals key name case-insensitive", allow_if(R"("StringEquals":{"AWS:UserName":"alice"})"), "", "", kAlice, "s3:GetObject", kObj, {}, true, 'I', 0},
      {"StringEquals values OR", allow_if(R"("StringEquals":{"s3:x-amz-acl":["private","bucket-owner-full-control"]})"), "", "", kAlice, "s3:PutObject", kObj, {{"s3:x-amz-acl", {"bucket-owner-full-control"}}}, true, 'I', 0},
      {"StringEquals absent key", allow_if(R"("StringEquals":{"s3:x-amz-acl":"private"})"), "", "", kAlice, "s3:PutObject", kObj, {}, false, '-', -1},
      {"StringNotEquals differs", allow_if(R"("StringNotEquals":{"s3:x-amz-acl":"public-read"})"), "", "", kAlice, "s3:PutObject", kObj, {{"s3:x-amz-acl", {"private"}}}, true, 'I', 0},
      {"StringNotEquals equal", allow_if(R"("StringNotEquals":{"s3:x-amz-acl":"public-read"})"), "", "", kAlice, "s3:PutObject", kObj, {{"s3:x-amz-acl", {"public-read"}}}, false, '-', -1},
      {"StringNotEquals absent key is true", allow_if(R"("StringNotEquals":{"s3:x-amz-acl":"public-read"})"), "", "", kAlice, "s3:PutObject", kObj, {}, true, 'I', 0},
      {"StringNotEquals values NOR", allow_if(R"("StringNotEquals":{"s3:x-amz-acl":["public-read","public-read-write"]})"), "", "", kAlice, "s3:PutObject", kObj, {{"s3:x-amz-acl", {"public-read-write"}}}, false, '-', -1},
      {"StringEqualsIgnoreCase", allow_if(R"("StringEqualsIgnoreCase":{"s3:x-amz-server-side-encryption":"aes256"})"), "", "", kAlice, "s3:PutObject", kObj, {{"s3:x-amz-server-side-encryption", {"AES256"}}}, true, 'I', 0},
      {"StringNotEqualsIgnoreCase", allow_if(R"("StringNotEqualsIgnoreCase":{"s3:x-amz-server-side-encryption":"aes256"})"), "", "", kAlice, "s3:PutObject", kObj, {{"s3:x-amz-server-side-encryption", {"AES256"}}}, false, '-', -1},
      {"StringLike star", allow_if(R"("StringLike":{"s3:prefix":"projects/*"})"), "", "", kAlice, "s3:ListBucket", kBucket, {{"s3:prefix", {"projects/a/b"}}}, true, 'I', 0},
      {"StringLike question", allow_if(R"("StringLike":{"s3:prefix":"v?/"})"), "", "", kAlice, "s3:ListBucket", kBucket, {{"s3:prefix", {"v2/"}}}, true, 'I', 0},
      {"StringLike no match", allow_if(R"("StringLike":{"s3:prefix":"projects/*"})"), "", "", kAlice, "s3:ListBucket", kBucket, {{"s3:prefix", {"other/"}}}, false, '-', -1},
      {"StringNotLike", allow_if(R"("StringNotLike":{"s3:prefix":"private/*"})"), "", "", kAlice, "s3:ListBucket", kBucket, {{"s3:prefix", {"private/x"}}}, false, '-', -1},
      {"StringNotLike absent is true", allow_if(R"("StringNotLike":{"s3:prefix":"private/*"})"), "", "", kAlice, "s3:ListBucket", kBucket, {}, true, 'I', 0},
      {"StringEquals delimiter", allow_if(R"("StringEquals":{"s3:delimiter":"/"})"), "", "", kAlice, "s3:ListBucket", kBucket, {{"s3:delimiter", {"/"}}}, true, 'I', 0},
      // --- condition operators: Numeric (the s3:max-keys example) ---
      {"NumericLessThanEquals yes", allow_if(R"("NumericLessThanEquals":{"s3:max-keys":"10"})"), "", "", kAlice, "s3:ListBucket", kBucket, {{"s3:max-keys", {"10"}}}, true, 'I', 0},
      {"NumericLessThanEquals no", allow_if(R"("NumericLessThanEquals":{"s3:max-keys":"10"})"), "", "", kAlice, "s3:ListBucket", kBucket, {{"s3:max-keys", {"11"}}}, false, '-', -1},
      {"NumericLessThan", allow_if(R"("NumericLessThan":{"s3:max-keys":10})"), "", "", kAlice, "s3:ListBucket", kBucket, {{"s3:max-keys", {"10"}}}, false, '-', -1},
      {"NumericGreaterThan", allow_if(R"("NumericGreaterThan":{"s3:max-keys":"10"})"), "", "", kAlice, "s3:ListBucket", kBucket, {{"s3:max-keys", {"10.5"}}}, true, 'I', 0},
      {"NumericGreaterThanEquals", allow_if(R"("NumericGreaterThanEquals":{"s3:max-keys":"10"})"), "", "", kAlice, "s3:ListBucket", kBucket, {{"s3:max-keys", {"10"}}}, true, 'I', 0},
      {"NumericEquals", allow_if(R"("NumericEquals":{"s3:max-keys":"100"})"), "", "", kAlice, "s3:ListBucket", kBucket, {{"s3:max-keys", {"100.0"}}}, true, 'I', 0},
      {"NumericNotEquals", allow_if(R"("NumericNotEquals":{"s3:max-keys":"100"})"), "", "", kAlice, "s3:ListBucket", kBucket, {{"s3:max-keys", {"100"}}}, false, '-', -1},
      {"Numeric non-number context", allow_if(R"("NumericEquals":{"s3:max-keys":"100"})"), "", "", kAlice, "s3:ListBucket", kBucket, {{"s3:max-keys", {"lots"}}}, false, '-', -1},
      {"Numeric absent key", allow_if(R"("NumericLessThan":{"s3:max-keys":"100"})"), "", "", kAlice, "s3:ListBucket", kBucket, {}, false, '-', -1},
      // --- condition operators: Date (aws:CurrentTime, ISO 8601 and epoch) ---
      {"DateGreaterThan yes", allow_if(R"("DateGreaterThan":{"aws:CurrentTime":"2020-04-01T00:00:00Z"})"), "", "", kAlice, "s3:GetObject", kObj, {{"aws:currenttime", {"2026-12-06T10:00:00Z"}}}, true, 'I', 0},
      {"DateLessThan no", allow_if(R"("DateLessThan":{"aws:CurrentTime":"2020-06-30T23:59:59Z"})"), "", "", kAlice, "s3:GetObject", kObj, {{"aws:currenttime", {"2026-12-06T10:00:00Z"}}}, false, '-', -1},
      {"Date window", allow_if( R"("DateGreaterThan":{"aws:CurrentTime":"2026-01-01T00:00:00Z"},"DateLessThan":{"aws:CurrentTime":"2027-01-01T00:00:00Z"})"), "", "", kAlice, "s3:GetObject", kObj, {{"aws:currenttime", {"2026-12-06T10:00:00Z"}}}, true, 'I', 0},
      {"DateEquals epoch vs ISO", allow_if(R"("DateEquals":{"aws:CurrentTime":"1700000000"})"), "", "", kAlice, "s3:GetObject", kObj, {{"aws:currenttime", {"2023-11-14T22:13:20Z"}}}, true, 'I', 0},
      {"DateNotEquals", allow_if(R"("DateNotEquals":{"aws:CurrentTime":"2023-11-14"})"), "", "", kAlice, "s3:GetObject", kObj, {{"aws:currenttime", {"2023-11-14T00:00:00Z"}}}, false, '-', -1},
      {"DateLessThanEquals offset", allow_if(R"("DateLessThanEquals":{"aws:CurrentTime":"2026-12-06T11:00:00+01:00"})"), "", "", kAlice, "s3:GetObject", kObj, {{"aws:currenttime", {"2026-12-06T10:00:00Z"}}}, true, 'I', 0},
      {"DateGreaterThanEquals fraction", allow_if(R"("DateGreaterThanEquals":{"aws:CurrentTime":"2026-12-06T10:00:00.500Z"})"), "", "", kAlice, "s3:GetObject", kObj, {{"aws:currenttime", {"2026-12-06T10:00:00Z"}}}, false, '-', -1},
      // --- condition operators: Bool (aws:SecureTransport) ---
      {"Bool true", allow_if(R"("Bool":{"aws:SecureTransport":"true"})"), "", "", kAlice, "s3:GetObject", kObj, {{"aws:securetransport", {"true"}}}, true, 'I', 0},
      {"Bool false vs true", allow_if(R"("Bool":{"aws:SecureTransport":"true"})"), "", "", kAlice, "s3:GetObject", kObj, {{"aws:securetransport", {"false"}}}, false, '-', -1},
      {"Bool JSON boolean", allow_if(R"("Bool":{"aws:SecureTransport":true})"), "", "", kAlice, "s3:GetObject", kObj, {{"aws:securetransport", {"true"}}}, true, 'I', 0},
      {"Bool absent", allow_if(R"("Bool":{"aws:SecureTransport":"false"})"), "", "", kAlice, "s3:GetObject", kObj, {}, false, '-', -1},
      // --- condition operators: BinaryEquals ---
      {"BinaryEquals", allow_if(R"("BinaryEquals":{"s3:x-amz-meta-key":"QmluYXJ5VmFsdWU="})"), "", "", kAlice, "s3:PutObject", kObj, {{"s3:x-amz-meta-key", {"QmluYXJ5VmFsdWU="}}}, true, 'I', 0},
      {"BinaryEquals differs", allow_if(R"("BinaryEquals":{"s3:x-amz-meta-key":"QmluYXJ5VmFsdWU="})"), "", "", kAlice, "s3:PutObject", kObj, {{"s3:x-amz-meta-key", {"AAAA"}}}, false, '-', -1},
      // --- condition operators: IpAddress / NotIpAddress (IPv4 and IPv6) ---
      {"IpAddress in CIDR", allow_if(R"("IpAddress":{"aws:SourceIp":"203.0.113.0/24"})"), "", "", kAlice, "s3:GetObject", kObj, {{"aws:sourceip", {"203.0.113.7"}}}, true, 'I', 0},
      {"IpAddress outside", allow_if(R"("IpAddress":{"aws:SourceIp":"203.0.113.0/24"})"), "", "", kAlice, "s3:GetObject", kObj, {{"aws:sourceip", {"198.51.100.7"}}}, false, '-', -1},
      {"IpAddress single address", allow_if(R"("IpAddress":{"aws:SourceIp":"203.0.113.7"})"), "", "", kAlice, "s3:GetObject", kObj, {{"aws:sourceip", {"203.0.113.7"}}}, true, 'I', 0},
      {"IpAddress IPv6", allow_if(R"("IpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:DB8:1234:5678::/64"]})"), "", "", kAlice, "s3:GetObject", kObj, {{"aws:sourceip", {"2001:db8:1234:5678::1"}}}, true, 'I', 0},
      {"IpAddress IPv6 outside", allow_if(R"("IpAddress":{"aws:SourceIp":"2001:DB8:1234:5678::/64"})"), "", "", kAlice, "s3:GetObject", kObj, {{"aws:sourceip", {"2001:db8:1234:5679::1"}}}, false, '-', -1},
      {"NotIpAddress outside", allow_if(R"("NotIpAddress":{"aws:SourceIp":"192.0.2.0/24"})"), "", "", kAlice, "s3:GetObject", kObj, {{"aws:sourceip", {"203.0.113.7"}}}, true, 'I', 0},
      {"NotIpAddress inside", allow_if(R"("NotIpAddress":{"aws:SourceIp":"192.0.2.0/24"})"), "", "", kAlice, "s3:GetObject", kObj, {{"aws:sourceip", {"192.0.2.9"}}}, false, '-', -1},
      {"IpAddress loopback /8", allow_if(R"("IpAddress":{"aws:SourceIp":"127.0.0.0/8"})"), "", "", kAlice, "s3:GetObject", kObj, {{"aws:sourceip", {"127.1.2.3"}}}, true, 'I', 0},
      // --- condition operators: ARN ---
      {"ArnEquals", allow_if(R"("ArnEquals":{"aws:SourceArn":"arn:aws:sns:us-east-1:123456789012:topic"})"), "", "", kAlice, "s3:GetObject", kObj, {{"aws:sourcearn", {"arn:aws:sns:us-east-1:123456789012:topic"}}}, true, 'I', 0},
      {"ArnLike wildcard region", allow_if(R"("ArnLike":{"aws:SourceArn":"arn:aws:sns:*:123456789012:*"})"), "", "", kAlice, "s3:GetObject", kObj, {{"aws:sourcearn", {"arn:aws:sns:eu-west-1:123456789012:a:b"}}}, true, 'I', 0},
      {"ArnLike star does not span parts", allow_if(R"("ArnLike":{"aws:SourceArn":"arn:aws:*:123456789012:x"})"), "", "", kAlice, "s3:GetObject", kObj, {{"aws:sourcearn", {"arn:aws:sns:us-east-1:123456789012:x"}}}, false, '-', -1},
      {"ArnNotLike", allow_if(R"("ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::123456789012:user/a*"})"), "", "", kAlice, "s3:GetObject", kObj, {}, false, '-', -1},
      {"ArnNotEquals other", allow_if(R"("ArnNotEquals":{"aws:PrincipalArn":"arn:aws:iam::123456789012:user/bob"})"), "", "", kAlice, "s3:GetObject", kObj, {}, true, 'I', 0},
      {"ArnEquals role for session", allow_if(R"("ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::123456789012:role/reader"})"), "", "", kSession, "s3:GetObject", kObj, {}, true, 'I', 0},
      // --- condition operators: Null ---
      {"Null true absent", allow_if(R"("Null":{"s3:x-amz-server-side-encryption":"true"})"), "", "", kAlice, "s3:PutObject", kObj, {}, true, 'I', 0},
      {"Null true present", allow_if(R"("Null":{"s3:x-amz-server-side-encryption":"true"})"), "", "", kAlice, "s3:PutObject", kObj, {{"s3:x-amz-server-side-encryption", {"AES256"}}}, false, '-', -1},
      {"Null false present", allow_if(R"("Null":{"s3:x-amz-server-side-encryption":false})"), "", "", kAlice, "s3:PutObject", kObj, {{"s3:x-amz-server-side-encryption", {"AES256"}}}, true, 'I', 0},
      {"Null deny unencrypted", doc(R"({"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"s3:PutObject","Resource":"*","Condition":{"Null":{"s3:x-amz-server-side-encryption":"true"}}})"), "", "", kAlice, "s3:PutObject", kObj, {}, false, 'I', 1},
      // --- condition operators: ...IfExists ---
      {"IfExists absent", allow_if(R"("StringEqualsIfExists":{"s3:x-amz-acl":"private"})"), "", "", kAlice, "s3:PutObject", kObj, {}, true, 'I', 0},
      {"IfExists present match", allow_if(R"("StringEqualsIfExists":{"s3:x-amz-acl":"private"})"), "", "", kAlice, "s3:PutObject", kObj, {{"s3:x-amz-acl", {"private"}}}, true, 'I', 0},
      {"IfExists present differs", allow_if(R"("StringEqualsIfExists":{"s3:x-amz-acl":"private"})"), "", "", kAlice, "s3:PutObject", kObj, {{"s3:x-amz-acl", {"public-read"}}}, false, '-', -1},
      {"NumericIfExists absent", allow_if(R"("NumericLessThanEqualsIfExists":{"s3:max-keys":"10"})"), "", "", kAlice, "s3:ListBucket", kBucket, {}, true, 'I', 0},
      {"IpAddressIfExists present outside", allow_if(R"("IpAddressIfExists":{"aws:SourceIp":"10.0.0.0/8"})"), "", "", kAlice, "s3:GetObject", kObj, {{"aws:sourceip", {"192.168.0.1"}}}, false, '-', -1},
      // --- reference_policies_condition-single-vs-multi-valued-context-keys.html ---
      {"ForAllValues subset", allow_if(R"("ForAllValues:StringEquals":{"aws:TagKeys":["environment","cost-center"]})"), "", "", kAlice, "s3:PutObjectTagging", kObj, {{"aws:tagkeys", {"environment"}}}, true, 'I', 0},
      {"ForAllValues not subset", allow_if(R"("ForAllValues:StringEquals":{"aws:TagKeys":["environment","cost-center"]})"), "", "", kAlice, "s3:PutObjectTagging", kObj, {{"aws:tagkeys", {"environment", "owner"}}}, false, '-', -1},
      {"ForAllValues absent key is true", allow_if(R"("ForAllValues:StringEquals":{"aws:TagKeys":["environment"]})"), "", "", kAlice, "s3:PutObjectTagging", kObj, {}, true, 'I', 0},
      {"ForAllValues empty set is true", allow_if(R"("ForAllValues:StringEquals":{"aws:TagKeys":["environment"]})"), "", "", kAlice, "s3:PutObjectTagging", kObj, {{"aws:tagkeys", {}}}, true, 'I', 0},
      {"ForAnyValue one matches", allow_if(R"("ForAnyValue:StringEquals":{"aws:TagKeys":["environment"]})"), "", "", kAlice, "s3:PutObjectTagging", kObj, {{"aws:tagkeys", {"owner", "environment"}}}, true, 'I', 0},
      {"ForAnyValue none", allow_if(R"("ForAnyValue:StringEquals":{"aws:TagKeys":["environment"]})"), "", "", kAlice, "s3:PutObjectTagging", kObj, {{"aws:tagkeys", {"owner"}}}, false, '-', -1},
      {"ForAnyValue absent is false", allow_if(R"("ForAnyValue:StringEquals":{"aws:TagKeys":["environment"]})"), "", "", kAlice, "s3:PutObjectTagging", kObj, {}, false, '-', -1},
      {"ForAnyValue StringLike", allow_if(R"("ForAnyValue:StringLike":{"aws:TagKeys":["env*"]})"), "", "", kAlice, "s3:PutObjectTagging", kObj, {{"aws:tagkeys", {"owner", "environment"}}}, true, 'I', 0},
      {"ForAllValues negated", allow_if(R"("ForAllValues:StringNotEquals":{"aws:TagKeys":["secret"]})"), "", "", kAlice, "s3:PutObjectTagging", kObj, {{"aws:tagkeys", {"a", "secret"}}}, false, '-', -1},
      {"ForAnyValue negated", allow_if(R"("ForAnyValue:StringNotEquals":{"aws:TagKeys":["secret"]})"), "", "", kAlice, "s3:PutObjectTagging", kObj, {{"aws:tagkeys", {"a", "secret"}}}, true, 'I', 0},
      // --- reference_policies_condition-logic-multiple-context-keys-or-values.html ---
      {"two operators AND both", allow_if(R"("StringEquals":{"aws:username":"alice"},"Bool":{"aws:SecureTransport":"true"})"), "", "", kAlice, "s3:GetObject", kObj, {{"aws:securetransport", {"true"}}}, true, 'I', 0},
      {"two operators AND one fails", allow_if(R"("StringEquals":{"aws:username":"alice"},"Bool":{"aws:SecureTransport":"true"})"), "", "", kAlice, "s3:GetObject", kObj, {{"aws:securetransport", {"false"}}}, false, '-', -1},
      {"two keys in one operator AND", allow_if(R"("StringEquals":{"aws:username":"alice","s3:x-amz-acl":"private"})"), "", "", kAlice, "s3:PutObject", kObj, {{"s3:x-amz-acl", {"public-read"}}}, false, '-', -1},
      // --- reference_policies_elements_principal.html (bucket policies) ---
      {"public read anonymous", "", kPublicRead, "", kAnon, "s3:GetObject", kObj, {}, true, 'R', 0},
      {"public read anonymous put", "", kPublicRead, "", kAnon, "s3:PutObject", kObj, {}, false, '-', -1},
      {"public read other account", "", kPublicRead, "", kOther, "s3:GetObjectVersion", kObj, {}, true, 'R', 0},
      {"AWS star matches anonymous", "", doc(R"({"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"*"})"), "", kAnon, "s3:GetObject", kObj, {}, true, 'R', 0},
      {"account principal not anonymous", "", doc(R"({"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"s3:GetObject","Resource":"*"})"), "", kAnon, "s3:GetObject", kObj, {}, false, '-', -1},
      {"account principal delegates: no identity allow", "", doc(R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"s3:GetObject","Resource":"*"})"), "", kBob, "s3:GetObject", kObj, {}, false, '-', -1},
      {"account principal delegates: identity allows", doc(R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"*"})"), doc(R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"s3:GetObject","Resource":"*"})"), "", kBob, "s3:GetObject", kObj, {}, true, 'I', 0},
      {"account and user principal: the user's statement grants", "", doc(R"({"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"s3:GetObject","Resource":"*"},{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/division/bob"},"Action":"s3:GetObject","Resource":"*"})"), "", kBob, "s3:GetObject", kObj, {}, true, 'R', 1},
      {"account principal other account", "", doc(R"({"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"s3:GetObject","Resource":"*"})"), "", kOther, "s3:GetObject", kObj, {}, false, '-', -1},
      {"user principal", "", doc(R"({"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::123456789012:user/alice"]},"Action":"s3:GetObject","Resource":"*"})"), "", kAlice, "s3:GetObject", kObj, {}, true, 'R', 0},
      {"user principal other user", "", doc(R"({"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::123456789012:user/alice"]},"Action":"s3:GetObject","Resource":"*"})"), "", kBob, "s3:GetObject", kObj, {}, false, '-', -1},
      {"user principal with path", "", doc(R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/division/bob"},"Action":"s3:GetObject","Resource":"*"})"), "", kBob, "s3:GetObject", kObj, {}, true, 'R', 0},
      {"role principal matches session", "", doc(R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/reader"},"Action":"s3:GetObject","Resource":"*"})"), "", kSession, "s3:GetObject", kObj, {}, true, 'R', 0},
      {"session principal", "", doc(R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:sts::123456789012:assumed-role/reader/s1"},"Action":"s3:GetObject","Resource":"*"})"), "", kSession, "s3:GetObject", kObj, {}, true, 'R', 0},
      {"other session principal", "", doc(R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:sts::123456789012:assumed-role/reader/s2"},"Action":"s3:GetObject","Resource":"*"})"), "", kSession, "s3:GetObject", kObj, {}, false, '-', -1},
      {"canonical user principal", "", doc(R"({"Effect":"Allow","Principal":{"CanonicalUser":"a11ce0000000000000000000000000000000000000000000000000000000000a"},"Action":"s3:GetObject","Resource":"*"})"), "", kAlice, "s3:GetObject", kObj, {}, true, 'R', 0},
      {"service principal never matches", "", doc(R"({"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject","Resource":"*"})"), "", kAlice, "s3:PutObject", kObj, {}, false, '-', -1},
      // --- reference_policies_elements_notprincipal.html ---
      {"NotPrincipal deny others", kRoleAll, doc(R"({"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::123456789012:user/alice"},"Action":"s3:*","Resource":"*"})"), "", kBob, "s3:GetObject", kObj, {}, false, 'R', 0},
      {"NotPrincipal spares the named", kRoleAll, doc(R"({"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::123456789012:user/alice"},"Action":"s3:*","Resource":"*"})"), "", kAlice, "s3:GetObject", kObj, {}, true, 'I', 0},
      // --- reference_policies_evaluation-logic.html: deny beats allow, resource-based allow ---
      {"implicit deny", "", "", "", kAlice, "s3:GetObject", kObj, {}, false, '-', -1},
      {"deny within one policy beats earlier allow", doc(R"({"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Sid":"NoDelete","Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"})"), "", "", kAlice, "s3:DeleteObject", kObj, {}, false, 'I', 1},
      {"bucket deny beats identity allow", kRoleAll, doc(R"({"Effect":"Deny","Principal":"*","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::bucket/*"})"), "", kAlice, "s3:DeleteObject", kObj, {}, false, 'R', 0},
      {"identity deny beats bucket allow", doc(R"({"Effect":"Deny","Action":"s3:GetObject","Resource":"*"})"), kPublicRead, "", kAlice, "s3:GetObject", kObj, {}, false, 'I', 0},
      {"bucket allow without identity policy", "", doc(R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/division/bob"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::bucket/*"})"), "", kBob, "s3:PutObject", kObj, {}, true, 'R', 0},
      {"identity allow without bucket policy statement", kRoleAll, kPublicRead, "", kAlice, "s3:PutObject", kObj, {}, true, 'I', 0},
      {"https only: plain http denied", kRoleAll, kHttpsOnly, "", kAlice, "s3:GetObject", kObj, {{"aws:securetransport", {"false"}}}, false, 'R', 1},
      {"https only: https allowed", "", kHttpsOnly, "", kAnon, "s3:GetObject", kObj, {{"aws:securetransport", {"true"}}}, true, 'R', 0},
      {"source ip bucket policy outside", "", doc(R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*","Condition":{"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}}})"), "", kAnon, "s3:GetObject", kObj, {{"aws:sourceip", {"198.51.100.1"}}}, false, '-', -1},
      {"source ip bucket policy inside", "", doc(R"({"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*","Condition":{"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}}})"), "", kAnon, "s3:GetObject", kObj, {{"aws:sourceip", {"192.0.2.1"}}}, true, 'R', 0},
      {"anonymous without bucket policy", "", "", "", kAnon, "s3:GetObject", kObj, {}, false, '-', -1},
      // --- root user: everything but an explicit deny ---
      {"root allowed without policies", "", "", "", kRoot, "s3:DeleteBucket", kBucket, {}, true, '*', -1},
      {"root stopped by bucket deny", "", doc(R"({"Effect":"Deny","Principal":"*","Action":"s3:DeleteBucket","Resource":"arn:aws:s3:::bucket"})"), "", kRoot, "s3:DeleteBucket", kBucket, {}, false, 'R', 0},
      // --- access_policies_session.html: session policies intersect ---
      {"session: both allow", kRoleAll, "", kSessionGet, kSession, "s3:GetObject", kObj, {}, true, 'I', 0},
      {"session: identity allows, session not", kRoleAll, "", kSessionGet, kSession, "s3:PutObject", kObj, {}, false, '-', -1},
      {"session: session allows, identity not", doc(R"({"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"})"), "", kSessionGet, kSession, "s3:GetObject", kObj, {}, false, '-', -1},
      {"session: session deny", kRoleAll, "", doc(R"({"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"s3:GetObject","Resource":"*"})"), kSession, "s3:GetObject", kObj, {}, false, 'S', 1},
      {"session: bucket names session, not limited", "", doc(R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:sts::123456789012:assumed-role/reader/s1"},"Action":"s3:PutObject","Resource":"*"})"), kSessionGet, kSession, "s3:PutObject", kObj, {}, true, 'R', 0},
      {"session: bucket names role, limited", "", doc(R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/reader"},"Action":"s3:PutObject","Resource":"*"})"), kSessionGet, kSession, "s3:PutObject", kObj, {}, false, '-', -1},
      {"session: bucket names role, session allows", "", doc(R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/reader"},"Action":"s3:GetObject","Resource":"*"})"), kSessionGet, kSession, "s3:GetObject", kObj, {}, true, 'R', 0},
      {"session: no session policy, role policy alone", kRoleAll, "", "", kSession, "s3:PutObject", kObj, {}, true, 'I', 0},
  };
}
// clang-format on

class EvaluatorTable : public ::testing::TestWithParam<Case> {};

TEST_P(EvaluatorTable, Decides) {
  const Case& c = GetParam();
  PolicySet set;
  if (!c.identity.empty()) {
    set.identity.push_back(
        {"user inline policy 'p'", must_parse(c.identity, PolicyKind::kIdentity)});
  }
  if (!c.resource.empty()) {
    set.resource = NamedPolicy{"bucket policy", must_parse(c.resource, PolicyKind::kResource)};
  }
  if (!c.session.empty()) {
    set.session.push_back({"session policy", must_parse(c.session, PolicyKind::kSession)});
    set.has_session = true;
  }
  RequestContext context{c.action, c.arn, principal_of(c.caller), c.keys};
  const Decision decision = decide(set, context);
  EXPECT_EQ(decision.allowed, c.allowed) << decision.explanation;
  const Effect effect = c.allowed ? Effect::kAllow : (c.by == '-' ? Effect::kNone : Effect::kDeny);
  EXPECT_EQ(decision.effect, effect) << decision.explanation;
  const std::string policy = c.by == 'I'   ? "user inline policy 'p'"
                             : c.by == 'R' ? "bucket policy"
                             : c.by == 'S' ? "session policy"
                                           : "";
  EXPECT_EQ(decision.policy, policy) << decision.explanation;
  EXPECT_EQ(decision.statement, c.statement) << decision.explanation;
  EXPECT_FALSE(decision.explanation.empty());
}

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  std::string name = std::to_string(info.index) + "_";
  for (char ch : info.param.name) {
    name += (std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_');
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(AwsDocs, EvaluatorTable, ::testing::ValuesIn(cases()), case_name);

TEST(EvaluatorTableSize, AtLeastOneHundredCases) { EXPECT_GE(cases().size(), 100u); }

}  // namespace
}  // namespace cv::policy::testing
