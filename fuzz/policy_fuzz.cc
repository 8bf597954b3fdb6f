// Fuzzes the policy language (src/policy/): parse_policy on arbitrary documents of every
// kind, then evaluate / decide / is_public on what it accepts, against a request context
// the input describes.
//
// Contracts: an accepted policy's canonical text parses again to as many statements; a
// Match names a statement that exists, with its Sid and Effect; decide() is consistent
// (allowed exactly when the effect is Allow; a Deny-everything policy added to the caller's
// identity policies turns every decision into an explicit deny; without any policy only the
// root user is allowed); a wildcard pattern matches its own text.
//
// Input: the policy document, then a line "--", then the context: an action line, a
// resource line, then "key=value" lines (condition keys; a key repeated gets several
// values). From the back: one byte for the policy kind (modulo 4), one for the caller
// (modulo 5: alice, root, anonymous, a role session, a user of another account).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "policy/evaluator.h"
#include "policy/pattern.h"
#include "policy/policy.h"

namespace cv::fuzz {
namespace {

using namespace cv::policy;

Principal caller_for(uint8_t choice) {
  Principal p;
  p.account_id = "123456789012";
  p.anonymous = false;
  switch (choice % 5) {
    case 0:
      p.arn = "arn:aws:iam::123456789012:user/alice";
      p.user_name = "alice";
      p.user_id = "AIDAALICE";
      p.canonical_id = "abc";
      break;
    case 1:
      p.is_root = true;
      p.arn = "arn:aws:iam::123456789012:root";
      break;
    case 2:
      p = Principal{};
      break;
    case 3:
      p.arn = "arn:aws:sts::123456789012:assumed-role/reader/s1";
      p.role_arn = "arn:aws:iam::123456789012:role/reader";
      p.user_id = "AROAREADER:s1";
      break;
    default:
      p.account_id = "210987654321";
      p.arn = "arn:aws:iam::210987654321:user/mallory";
      p.user_name = "mallory";
      break;
  }
  return p;
}

RequestContext context_from(std::string_view rest, uint8_t caller) {
  RequestContext context;
  context.action = std::string(take_line(rest));
  context.resource = std::string(take_line(rest));
  context.principal = caller_for(caller);
  while (!rest.empty()) {
    const std::string_view line = take_line(rest);
    const size_t equals = line.find('=');
    std::string key(line.substr(0, equals));
    for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto& values = context.keys[key];
    if (equals != std::string_view::npos) values.emplace_back(line.substr(equals + 1));
  }
  return context;
}

std::shared_ptr<const Policy> deny_everything() {
  static const auto policy = std::make_shared<const Policy>(
      *parse_policy(R"({"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*",)"
                    R"("Resource":"*"}})",
                    PolicyKind::kIdentity));
  return policy;
}

void check_match(const Policy& policy, const Match& match) {
  if (match.effect == Effect::kNone) {
    CV_FUZZ_CHECK(match.statement == -1);
    return;
  }
  CV_FUZZ_CHECK(match.statement >= 0 &&
                static_cast<size_t>(match.statement) < policy.statements().size());
  const Statement& statement = policy.statements()[match.statement];
  CV_FUZZ_CHECK(statement.sid == match.sid);
  CV_FUZZ_CHECK(statement.effect == match.effect);
}

void fuzz_one(std::string_view data) {
  InputTail tail(data);
  const auto kind = static_cast<PolicyKind>(tail.byte() % 4);
  const uint8_t caller = tail.byte();
  std::string_view document = data;
  std::string_view rest;
  if (const size_t split = data.find("\n--\n"); split != std::string_view::npos) {
    document = data.substr(0, split);
    rest = data.substr(split + 4);
  }
  const RequestContext context = context_from(rest, caller);

  // A pattern matches its own text (every wildcard matches the character it is).
  CV_FUZZ_CHECK(Pattern::glob(context.resource).matches(context.resource));
  CV_FUZZ_CHECK(Pattern::literal(context.action).matches(context.action));

  auto parsed = parse_policy(document, kind);
  trace("parse_policy", parsed);
  PolicySet set;
  if (parsed) {
    auto again = parse_policy(canonical_text(*parsed), kind, document.size() + 64);
    CV_FUZZ_CHECK(again && again->statements().size() == parsed->statements().size());
    auto policy = std::make_shared<const Policy>(std::move(*parsed));
    check_match(*policy, evaluate(*policy, context));
    if (kind == PolicyKind::kResource) {
      (void)is_public(*policy);
      set.resource = NamedPolicy{"bucket policy", policy};
    } else if (kind == PolicyKind::kSession) {
      set.session.push_back({"session policy", policy});
      set.has_session = true;
    } else {
      set.identity.push_back({"identity policy", policy});
    }
  }
  const Decision decision = decide(set, context);
  CV_FUZZ_CHECK(decision.allowed == (decision.effect == Effect::kAllow));
  CV_FUZZ_CHECK(!decision.explanation.empty());
  if (!parsed) CV_FUZZ_CHECK(decision.allowed == context.principal.is_root);

  set.identity.push_back({"deny everything", deny_everything()});
  const Decision denied = decide(set, context);
  CV_FUZZ_CHECK(!denied.allowed && denied.effect == Effect::kDeny);
}

}  // namespace
}  // namespace cv::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  cv::fuzz::fuzz_one(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
