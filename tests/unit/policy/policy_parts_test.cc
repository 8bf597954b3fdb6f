// The evaluator's parts on their own: wildcard patterns, variable templates, dates and
// networks, evaluate()'s Match on one policy (trust policies included), decide()'s
// explanations, and concurrent evaluation of one shared policy.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "policy/condition.h"
#include "policy/pattern.h"
#include "policy_test_support.h"

namespace cv::policy::testing {
namespace {

TEST(Pattern, Wildcards) {
  EXPECT_TRUE(Pattern::glob("*").matches(""));
  EXPECT_TRUE(Pattern::glob("*").matches("arn:aws:s3:::b/k"));
  EXPECT_TRUE(Pattern::glob("a*b*c").matches("axxbyyc"));
  EXPECT_TRUE(Pattern::glob("a*b*c").matches("abbbc"));
  EXPECT_FALSE(Pattern::glob("a*b*c").matches("axxbyy"));
  EXPECT_TRUE(Pattern::glob("a?c").matches("abc"));
  EXPECT_FALSE(Pattern::glob("a?c").matches("ac"));
  EXPECT_TRUE(Pattern::glob("*.txt").matches("dir/a.txt"));
  EXPECT_FALSE(Pattern::glob("*.txt").matches("dir/a.txt.gz"));
  EXPECT_TRUE(Pattern::glob("pre*").matches("pre"));
  EXPECT_TRUE(Pattern::glob("a**b").matches("ab"));
  EXPECT_TRUE(Pattern::glob("*?*").matches("x"));
  EXPECT_FALSE(Pattern::glob("*?*").matches(""));
}

TEST(Pattern, LiteralPartsAndCase) {
  Pattern pattern = Pattern::glob("home/");
  pattern.append_literal("a*b");
  pattern.append_glob("/*");
  EXPECT_TRUE(pattern.matches("home/a*b/x"));
  EXPECT_FALSE(pattern.matches("home/aXb/x"));
  EXPECT_TRUE(Pattern::literal("a*").matches("a*"));
  EXPECT_FALSE(Pattern::literal("a*").matches("ab"));
  Pattern action = Pattern::glob("S3:Get*");
  action.lowercase();
  EXPECT_TRUE(action.matches("S3:GETOBJECT", true));
  EXPECT_FALSE(action.matches("S3:GETOBJECT", false));
}

TEST(Template, Variables) {
  RequestContext context;
  context.principal = principal_of(Caller::kAlice);
  context.keys["s3:prefix"] = {"p/"};
  std::string problem;
  auto home = Template::parse("home/${aws:username}/*", true, &problem);
  ASSERT_TRUE(home) << problem;
  EXPECT_TRUE(home->has_variables());
  EXPECT_EQ(home->resolve(context)->text(), "home/alice/*");
  auto fallback = Template::parse("${aws:SourceIp, 'none'}-${S3:Prefix}", true, &problem);
  ASSERT_TRUE(fallback) << problem;
  EXPECT_EQ(fallback->resolve(context)->text(), "none-p/");
  auto absent = Template::parse("${aws:SourceIp}", true, &problem);
  EXPECT_FALSE(absent->resolve(context));
  auto escapes = Template::parse("${*}${?}${$}", true, &problem);
  EXPECT_EQ(escapes->resolve(context)->text(), "*?$");
  EXPECT_FALSE(escapes->resolve(context)->has_wildcards());
  auto literal = Template::parse("${aws:username}", false, &problem);
  EXPECT_FALSE(literal->has_variables());
  EXPECT_FALSE(Template::parse("${aws:username", true, &problem));
  EXPECT_FALSE(Template::parse("${username}", true, &problem));
  EXPECT_FALSE(Template::parse("${aws:username, x}", true, &problem));
}

TEST(ConditionValues, Dates) {
  EXPECT_EQ(parse_date("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_date("1700000000"), int64_t{1700000000} * 1000);
  EXPECT_EQ(parse_date("2023-11-14T22:13:20Z"), int64_t{1700000000} * 1000);
  EXPECT_EQ(parse_date("2023-11-14T23:13:20+01:00"), int64_t{1700000000} * 1000);
  EXPECT_EQ(parse_date("2023-11-14T22:13:20.250Z"), int64_t{1700000000} * 1000 + 250);
  EXPECT_EQ(parse_date("2023-11-14"), int64_t{1699920000} * 1000);
  EXPECT_EQ(parse_date("2023-11-14T22:13Z"), int64_t{1699999980} * 1000);
  EXPECT_FALSE(parse_date("2023-13-01"));
  EXPECT_FALSE(parse_date("2023-11-14T25:00:00Z"));
  EXPECT_FALSE(parse_date("2023-11-14T22:13:20Zjunk"));
  EXPECT_FALSE(parse_date("tomorrow"));
  EXPECT_FALSE(parse_date(""));
}

TEST(ConditionValues, Networks) {
  auto v4 = parse_network("192.0.2.0/24");
  ASSERT_TRUE(v4);
  EXPECT_TRUE(v4->ipv4);
  EXPECT_EQ(v4->prefix, 96 + 24);
  auto v6 = parse_network("2001:db8::/32");
  ASSERT_TRUE(v6);
  EXPECT_FALSE(v6->ipv4);
  EXPECT_EQ(v6->prefix, 32);
  EXPECT_EQ(parse_network("10.1.2.3")->prefix, 128);
  EXPECT_FALSE(parse_network("10.1.2.3/"));
  EXPECT_FALSE(parse_network("10.1.2/8"));
  EXPECT_FALSE(parse_network("::1/129"));
  EXPECT_FALSE(parse_network("host.example"));
}

// reference_policies_elements_principal.html (role trust policies): who may assume a role.
TEST(Evaluate, TrustPolicy) {
  auto trust = must_parse(R"({"Version":"2012-10-17","Statement":[
    {"Sid":"Alice","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/alice"},
     "Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"ext-1"}}},
    {"Sid":"Account","Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"sts:GetSessionToken"}]})",
                          PolicyKind::kTrust);
  ASSERT_TRUE(trust);
  RequestContext context{"sts:AssumeRole",
                         "arn:aws:iam::123456789012:role/reader",
                         principal_of(Caller::kAlice),
                         {{"sts:externalid", {"ext-1"}}}};
  Match match = evaluate(*trust, context);
  EXPECT_EQ(match.effect, Effect::kAllow);
  EXPECT_EQ(match.statement, 0);
  EXPECT_EQ(match.sid, "Alice");
  context.keys.clear();
  EXPECT_EQ(evaluate(*trust, context).effect, Effect::kNone);  // no external id
  context.keys = {{"sts:externalid", {"ext-1"}}};
  context.principal = principal_of(Caller::kBob);
  EXPECT_EQ(evaluate(*trust, context).effect, Effect::kNone);  // not named
  context.principal = principal_of(Caller::kAnonymous);
  EXPECT_EQ(evaluate(*trust, context).effect, Effect::kNone);
  context.action = "sts:GetSessionToken";
  context.principal = principal_of(Caller::kBob);
  match = evaluate(*trust, context);
  EXPECT_EQ(match.statement, 1);
  EXPECT_TRUE(match.through_account);
}

// reference_policies_elements_principal.html, "AWS account principals": naming the account
// delegates to its identity policies. A trust policy naming the account lets only users whose
// own policies allow sts:AssumeRole assume the role; one naming the user needs nothing more.
TEST(Decide, TrustPolicyNamingTheAccountDelegates) {
  auto trust = must_parse(R"({"Version":"2012-10-17","Statement":{"Effect":"Allow",
    "Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}})",
                          PolicyKind::kTrust);
  auto may_assume = must_parse(R"({"Version":"2012-10-17","Statement":{"Effect":"Allow",
    "Action":"sts:AssumeRole","Resource":"arn:aws:iam::123456789012:role/admin"}})",
                               PolicyKind::kIdentity);
  PolicySet set;
  set.resource = NamedPolicy{"trust policy of role 'admin'", trust};
  RequestContext context{
      "sts:AssumeRole", "arn:aws:iam::123456789012:role/admin", principal_of(Caller::kBob), {}};
  Decision decision = decide(set, context);
  EXPECT_FALSE(decision.allowed);
  EXPECT_EQ(decision.effect, Effect::kNone);
  EXPECT_EQ(decision.explanation,
            "denied: trust policy of role 'admin' statement 1 names only the account, and no "
            "identity policy allows sts:AssumeRole");
  set.identity.push_back({"user inline policy 'assume'", may_assume});
  decision = decide(set, context);
  EXPECT_TRUE(decision.allowed);
  EXPECT_EQ(decision.policy, "user inline policy 'assume'");

  auto names_bob = must_parse(R"({"Version":"2012-10-17","Statement":{"Effect":"Allow",
    "Principal":{"AWS":"arn:aws:iam::123456789012:user/division/bob"},"Action":"sts:AssumeRole"}})",
                              PolicyKind::kTrust);
  PolicySet direct;
  direct.resource = NamedPolicy{"trust policy of role 'admin'", names_bob};
  decision = decide(direct, context);
  EXPECT_TRUE(decision.allowed);
  EXPECT_EQ(decision.policy, "trust policy of role 'admin'");
  context.principal = principal_of(Caller::kAlice);
  EXPECT_FALSE(decide(direct, context).allowed);
}

TEST(Evaluate, FirstDenyWinsElseFirstAllow) {
  auto policy = must_parse(R"({"Version":"2012-10-17","Statement":[
    {"Sid":"A1","Effect":"Allow","Action":"s3:*","Resource":"*"},
    {"Sid":"A2","Effect":"Allow","Action":"s3:GetObject","Resource":"*"},
    {"Sid":"D1","Effect":"Deny","Action":"s3:Delete*","Resource":"*"},
    {"Sid":"D2","Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}]})",
                           PolicyKind::kIdentity);
  ASSERT_TRUE(policy);
  RequestContext context{"s3:GetObject", "arn:aws:s3:::b/k", principal_of(Caller::kAlice), {}};
  EXPECT_EQ(evaluate(*policy, context).sid, "A1");
  context.action = "s3:DeleteObject";
  const Match match = evaluate(*policy, context);
  EXPECT_EQ(match.effect, Effect::kDeny);
  EXPECT_EQ(match.sid, "D1");
  EXPECT_EQ(match.statement, 2);
}

TEST(Evaluate, LongActionNames) {
  auto policy = must_parse(
      R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:get*","Resource":"*"}})",
      PolicyKind::kIdentity);
  ASSERT_TRUE(policy);
  RequestContext context{
      "s3:Get" + std::string(300, 'X'), "arn:aws:s3:::b/k", principal_of(Caller::kAlice), {}};
  EXPECT_EQ(evaluate(*policy, context).effect, Effect::kAllow);
  context.action = "s3:Put" + std::string(300, 'X');
  EXPECT_EQ(evaluate(*policy, context).effect, Effect::kNone);
}

TEST(Decide, Explanations) {
  auto rw = must_parse(R"({"Version":"2012-10-17","Statement":[
    {"Sid":"Prefix","Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/p/*"},
    {"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}]})",
                       PolicyKind::kIdentity);
  PolicySet set;
  set.identity.push_back({"user inline policy 'rw'", rw});
  RequestContext context{"s3:GetObject", "arn:aws:s3:::b/p/k", principal_of(Caller::kAlice), {}};
  EXPECT_EQ(decide(set, context).explanation,
            "allowed by user inline policy 'rw' statement 1 (Sid \"Prefix\")");
  context.action = "s3:DeleteObject";
  EXPECT_EQ(decide(set, context).explanation, "denied by user inline policy 'rw' statement 2");
  context.action = "s3:GetObject";
  context.resource = "arn:aws:s3:::b/q/k";
  EXPECT_EQ(decide(set, context).explanation,
            "denied: no policy allows s3:GetObject on arn:aws:s3:::b/q/k");
  auto session = must_parse(
      R"({"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}})",
      PolicyKind::kSession);
  set.session.push_back({"session policy", session});
  context.resource = "arn:aws:s3:::b/p/k";
  const Decision limited = decide(set, context);
  EXPECT_FALSE(limited.allowed);
  EXPECT_EQ(limited.explanation,
            "denied: user inline policy 'rw' statement 1 (Sid \"Prefix\") allows s3:GetObject but "
            "no session policy does");
  context.principal = principal_of(Caller::kRoot);
  set.session.clear();
  set.identity.clear();
  EXPECT_TRUE(decide(set, context).allowed);
  EXPECT_EQ(decide(set, context).explanation,
            "allowed: the root user may do everything no policy denies");
}

TEST(Evaluate, ConcurrentEvaluationOfOneSharedPolicy) {
  auto policy = must_parse(R"({"Version":"2012-10-17","Statement":[
    {"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::b/home/${aws:username}/*",
     "Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]})",
                           PolicyKind::kIdentity);
  ASSERT_TRUE(policy);
  std::vector<std::thread> threads;
  std::vector<int> allowed(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      const Caller caller = t % 2 == 0 ? Caller::kAlice : Caller::kBob;
      RequestContext context{"s3:GetObject",
                             "arn:aws:s3:::b/home/alice/k",
                             principal_of(caller),
                             {{"aws:sourceip", {"10.1.2.3"}}}};
      for (int i = 0; i < 2000; ++i)
        allowed[t] += evaluate(*policy, context).effect == Effect::kAllow;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(allowed, (std::vector<int>{2000, 0, 2000, 0}));
}

}  // namespace
}  // namespace cv::policy::testing
