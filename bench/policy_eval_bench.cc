// policy_eval_bench: what one access decision costs (policy::decide), for the figure in
// BENCHMARKS.md ("Access control"). Standalone: no server, no I/O; one thread.
//
//   policy_eval_bench [--iterations N]
//
// Cases: a 4 KiB GET's decision under a 20-statement bucket policy plus a 10-statement user
// policy (allowed by the user policy's last statement, so every statement is looked at), the
// same request denied (no statement applies), a role session with a session policy, and
// the owner-only baseline (the root user, no policy). Prints one line per case and a last
// JSON line with the figures (ns per decide()).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "policy/evaluator.h"
#include "policy/policy.h"

namespace {

using namespace cv::policy;

std::shared_ptr<const Policy> parse_or_die(const std::string& json, PolicyKind kind) {
  auto parsed = parse_policy(json, kind);
  if (!parsed) {
    std::fprintf(stderr, "policy_eval_bench: %s\n", parsed.error().message.c_str());
    std::exit(2);
  }
  return std::make_shared<const Policy>(std::move(*parsed));
}

// 20 statements of the kinds bucket policies hold: public prefixes, partner accounts,
// IP-restricted and HTTPS-only access, deny statements with conditions.
std::string bucket_policy() {
  std::string statements;
  for (int i = 0; i < 16; ++i) {
    if (!statements.empty()) statements += ",";
    statements +=
        R"({"Sid":"Partner)" + std::to_string(i) +
        R"(","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/partner)" +
        std::to_string(i) +
        R"("},"Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::bucket/partners/)" +
        std::to_string(i) +
        R"(/*","arn:aws:s3:::bucket"],"Condition":{"IpAddress":{"aws:SourceIp":"10.)" +
        std::to_string(i) + R"(.0.0/16"}}})";
  }
  statements +=
      R"(,{"Sid":"PublicAssets","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/public/*"})";
  statements +=
      R"(,{"Sid":"HttpsOnly","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::bucket/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}})";
  statements +=
      R"(,{"Sid":"NoAclChanges","Effect":"Deny","Principal":"*","Action":["s3:PutObjectAcl","s3:PutBucketAcl"],"Resource":["arn:aws:s3:::bucket","arn:aws:s3:::bucket/*"]})";
  statements +=
      R"(,{"Sid":"EncryptedUploads","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::bucket/*","Condition":{"Null":{"s3:x-amz-server-side-encryption":"true"}}})";
  return R"({"Version":"2012-10-17","Statement":[)" + statements + "]}";
}

// 10 statements: other buckets, a home folder by ${aws:username}, and the grant that applies.
std::string user_policy() {
  std::string statements;
  for (int i = 0; i < 8; ++i) {
    if (!statements.empty()) statements += ",";
    statements +=
        R"({"Sid":"Other)" + std::to_string(i) +
        R"(","Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":["arn:aws:s3:::other)" +
        std::to_string(i) + R"(","arn:aws:s3:::other)" + std::to_string(i) + R"(/*"]})";
  }
  statements +=
      R"(,{"Sid":"Home","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::bucket/home/${aws:username}/*"})";
  statements +=
      R"(,{"Sid":"Data","Effect":"Allow","Action":["s3:GetObject","s3:GetObjectVersion"],"Resource":"arn:aws:s3:::bucket/data/*","Condition":{"StringEquals":{"s3:signatureversion":"AWS4-HMAC-SHA256"}}})";
  return R"({"Version":"2012-10-17","Statement":[)" + statements + "]}";
}

RequestContext get_request(Principal principal, std::string key) {
  RequestContext context;
  context.action = "s3:GetObject";
  context.resource = "arn:aws:s3:::bucket/" + key;
  context.principal = std::move(principal);
  context.keys = {{"aws:securetransport", {"true"}},
                  {"aws:sourceip", {"192.0.2.10"}},
                  {"aws:currenttime", {"2026-12-06T20:00:00Z"}},
                  {"s3:signatureversion", {"AWS4-HMAC-SHA256"}},
                  {"s3:authtype", {"REST-HEADER"}}};
  return context;
}

Principal alice() {
  Principal p;
  p.anonymous = false;
  p.account_id = "123456789012";
  p.arn = "arn:aws:iam::123456789012:user/alice";
  p.user_name = "alice";
  p.user_id = "AIDAALICE";
  return p;
}

struct Figure {
  const char* name;
  double ns;
};

double time_decide(const PolicySet& set, const RequestContext& context, bool expect, long n) {
  volatile bool sink = false;
  for (long i = 0; i < n / 10; ++i) sink = decide(set, context).allowed;  // warm up
  const auto start = std::chrono::steady_clock::now();
  for (long i = 0; i < n; ++i) sink = decide(set, context).allowed;
  const auto end = std::chrono::steady_clock::now();
  if (sink != expect) {
    std::fprintf(stderr, "policy_eval_bench: unexpected decision\n");
    std::exit(1);
  }
  return std::chrono::duration<double, std::nano>(end - start).count() / static_cast<double>(n);
}

}  // namespace

int main(int argc, char** argv) {
  long iterations = 200000;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--iterations") == 0) iterations = std::atol(argv[i + 1]);
  }
  const auto bucket = parse_or_die(bucket_policy(), PolicyKind::kResource);
  const auto user = parse_or_die(user_policy(), PolicyKind::kIdentity);
  const auto session = parse_or_die(
      R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/data/*"}})",
      PolicyKind::kSession);

  PolicySet full;
  full.identity.push_back({"user inline policy 'rw'", user});
  full.resource = NamedPolicy{"bucket policy", bucket};
  PolicySet with_session = full;
  with_session.session.push_back({"session policy", session});
  with_session.has_session = true;
  Principal root;
  root.anonymous = false;
  root.is_root = true;
  root.account_id = "123456789012";
  root.arn = "arn:aws:iam::123456789012:root";

  const Figure figures[] = {
      {"owner_only", time_decide(PolicySet{}, get_request(root, "data/obj-4k"), true, iterations)},
      {"bucket20_user10_allowed",
       time_decide(full, get_request(alice(), "data/obj-4k"), true, iterations)},
      {"bucket20_user10_denied",
       time_decide(full, get_request(alice(), "private/obj-4k"), false, iterations)},
      {"bucket20_user10_session",
       time_decide(with_session, get_request(alice(), "data/obj-4k"), true, iterations)},
  };
  std::string json = "{\"iterations\":" + std::to_string(iterations);
  for (const auto& figure : figures) {
    std::printf("%-26s %8.2f us per decide()\n", figure.name, figure.ns / 1000.0);
    json +=
        ",\"" + std::string(figure.name) + "_ns\":" + std::to_string(static_cast<long>(figure.ns));
  }
  std::printf("%s}\n", json.c_str());
  return 0;
}
