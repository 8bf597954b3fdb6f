// Callers and helpers shared by the policy tests.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>

#include "policy/evaluator.h"
#include "policy/policy.h"

namespace cv::policy::testing {

inline constexpr std::string_view kAccount = "123456789012";

enum class Caller { kAlice, kBob, kRoot, kAnonymous, kReaderSession, kOtherAccount };

inline Principal principal_of(Caller caller) {
  Principal p;
  p.account_id = std::string(kAccount);
  switch (caller) {
    case Caller::kAlice:
      p.anonymous = false;
      p.arn = "arn:aws:iam::123456789012:user/alice";
      p.user_name = "alice";
      p.user_id = "AIDAALICE";
      p.canonical_id = "a11ce0000000000000000000000000000000000000000000000000000000000a";
      break;
    case Caller::kBob:
      p.anonymous = false;
      p.arn = "arn:aws:iam::123456789012:user/division/bob";
      p.user_name = "bob";
      p.user_id = "AIDABOB";
      break;
    case Caller::kRoot:
      p.anonymous = false;
      p.is_root = true;
      p.arn = "arn:aws:iam::123456789012:root";
      p.user_id = "123456789012";
      break;
    case Caller::kAnonymous:
      p = Principal{};
      break;
    case Caller::kReaderSession:
      p.anonymous = false;
      p.arn = "arn:aws:sts::123456789012:assumed-role/reader/s1";
      p.role_arn = "arn:aws:iam::123456789012:role/reader";
      p.user_id = "AROAREADER:s1";
      break;
    case Caller::kOtherAccount:
      p.anonymous = false;
      p.account_id = "210987654321";
      p.arn = "arn:aws:iam::210987654321:user/mallory";
      p.user_name = "mallory";
      p.user_id = "AIDAMALLORY";
      break;
  }
  return p;
}

inline std::shared_ptr<const Policy> must_parse(std::string_view json, PolicyKind kind) {
  auto parsed = parse_policy(json, kind);
  if (!parsed) {
    ADD_FAILURE() << "policy did not parse: " << parsed.error().message << "\n" << json;
    return nullptr;
  }
  return std::make_shared<const Policy>(std::move(*parsed));
}

}  // namespace cv::policy::testing
