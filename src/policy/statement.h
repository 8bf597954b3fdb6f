// The parsed form of one policy statement (what parse_policy builds and the evaluator and
// is_public read). Plain immutable values after parsing.
#pragma once

#include <string>
#include <vector>

#include "policy/condition.h"
#include "policy/pattern.h"

namespace cv::policy {

enum class Effect { kNone, kAllow, kDeny };

// The principals a Principal / NotPrincipal element names.
struct PrincipalSet {
  bool everyone = false;               // "*" or {"AWS": "*"}
  std::vector<std::string> accounts;   // "123456789012" (also from "arn:aws:iam::ACCT:root")
  std::vector<std::string> arns;       // user, role and assumed-role session ARNs
  std::vector<std::string> canonical;  // CanonicalUser ids
  std::vector<std::string> services;   // Service / Federated: never match a caller here
};

enum class PrincipalElement { kNone, kPrincipal, kNotPrincipal };

struct Statement {
  std::string sid;
  Effect effect = Effect::kAllow;
  bool not_action = false;
  std::vector<Pattern> actions;  // lower case; "*" alone matches every action
  // Resource / NotResource; kNone in a trust policy (which names no resource).
  enum class ResourceElement {
    kNone,
    kResource,
    kNotResource
  } resource_element = ResourceElement::kNone;
  std::vector<Template> resources;
  PrincipalElement principal_element = PrincipalElement::kNone;
  PrincipalSet principals;
  std::vector<Condition> conditions;  // ANDed
};

}  // namespace cv::policy
