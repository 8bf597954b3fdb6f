// parse_policy: a policy document to the Statement model, refusing what AWS refuses on write.
#include <boost/json.hpp>
#include <set>
#include <utility>

#include "policy/json_shape.h"
#include "policy/policy.h"

namespace cv::policy {
namespace {

namespace json = boost::json;

std::unexpected<Error> malformed(std::string message) {
  return fail(ErrorCode::kMalformedPolicy, std::move(message));
}

// The strings of an element that is one string or a non-empty array of strings.
Result<std::vector<std::string>> strings_of(const json::value& value, std::string_view field) {
  std::vector<std::string> out;
  if (value.is_string()) {
    out.emplace_back(value.get_string());
    return out;
  }
  if (value.is_array() && !value.get_array().empty()) {
    for (const auto& item : value.get_array()) {
      if (!item.is_string())
        return malformed("Invalid " + std::string(field) + ": expected strings");
      out.emplace_back(item.get_string());
    }
    return out;
  }
  return malformed("Invalid " + std::string(field) +
                   ": expected a string or a non-empty array of strings");
}

bool is_vendor(std::string_view vendor) {
  if (vendor.empty()) return false;
  for (char c : vendor) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool is_action(std::string_view action) {
  if (action == "*") return true;
  const size_t colon = action.find(':');
  if (colon == std::string_view::npos || !is_vendor(action.substr(0, colon))) return false;
  const std::string_view name = action.substr(colon + 1);
  if (name.empty()) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '*' || c == '?' || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

// "arn:partition:service:region:account:resource" (the resource may hold ':' and '/').
bool is_arn(std::string_view text) {
  if (!text.starts_with("arn:")) return false;
  size_t colons = 0;
  for (char c : text) colons += c == ':';
  return colons >= 5;
}

bool is_account_id(std::string_view text) {
  return text.size() == 12 && text.find_first_not_of("0123456789") == std::string_view::npos;
}

bool is_sid(std::string_view sid) {
  for (char c : sid) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

// An AWS principal: "*", an account id, or an IAM root / user / role or STS session ARN.
Status add_aws_principal(std::string_view text, PrincipalSet& set) {
  if (text == "*") {
    set.everyone = true;
    return {};
  }
  if (is_account_id(text)) {
    set.accounts.emplace_back(text);
    return {};
  }
  const std::string invalid = "Invalid principal in policy: " + std::string(text);
  if (!is_arn(text) || text.find_first_of("*?") != std::string_view::npos)
    return malformed(invalid);
  // arn:PARTITION:SERVICE::ACCOUNT:RESOURCE
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (int i = 0; i < 5; ++i) {
    const size_t colon = text.find(':', start);
    parts.push_back(text.substr(start, colon - start));
    start = colon + 1;
  }
  const std::string_view service = parts[2];
  const std::string_view region = parts[3];
  const std::string_view account = parts[4];
  const std::string_view resource = text.substr(start);
  if (!region.empty()) return malformed(invalid);
  if (service == "iam" && resource == "root" && is_account_id(account)) {
    set.accounts.emplace_back(account);
    return {};
  }
  const bool iam =
      service == "iam" && (resource.starts_with("user/") || resource.starts_with("role/"));
  const bool sts = service == "sts" && resource.starts_with("assumed-role/");
  if ((!iam && !sts) || resource.back() == '/') return malformed(invalid);
  set.arns.emplace_back(text);
  return {};
}

Result<PrincipalSet> parse_principal(const json::value& value) {
  PrincipalSet set;
  if (value.is_string()) {
    if (value.get_string() != "*") {
      return malformed("Invalid principal in policy: " + std::string(value.get_string()));
    }
    set.everyone = true;
    return set;
  }
  if (!value.is_object() || value.get_object().empty()) {
    return malformed("Invalid principal in policy");
  }
  for (const auto& [name, names] : value.get_object()) {
    const auto list = CV_TRY(strings_of(names, "principal"));
    if (name == "AWS") {
      for (const auto& text : list) CV_TRY(add_aws_principal(text, set));
    } else if (name == "CanonicalUser") {
      for (const auto& text : list) {
        if (text.empty()) return malformed("Invalid principal in policy: empty CanonicalUser");
        set.canonical.push_back(text);
      }
    } else if (name == "Service" || name == "Federated") {
      for (const auto& text : list) set.services.push_back(text);
    } else {
      return malformed("Invalid principal in policy: unknown principal type " + std::string(name));
    }
  }
  return set;
}

// A condition value as text: strings as they are, numbers and booleans as JSON writes them.
Result<std::string> condition_text(const json::value& value) {
  if (value.is_string()) return std::string(value.get_string());
  if (value.is_bool()) return std::string(value.get_bool() ? "true" : "false");
  if (value.is_number()) return json::serialize(value);
  return malformed("Invalid Condition value: expected a string, number or boolean");
}

Result<std::vector<Condition>> parse_conditions(const json::value& block, bool variables) {
  if (!block.is_object()) return malformed("Invalid Condition: expected an object");
  std::vector<Condition> out;
  for (const auto& [operator_name, keys] : block.get_object()) {
    Condition shape;
    CV_TRY(parse_operator(operator_name, shape));
    if (!keys.is_object() || keys.get_object().empty()) {
      return malformed("Invalid Condition: " + std::string(operator_name) +
                       " needs an object of condition keys");
    }
    for (const auto& [key, values] : keys.get_object()) {
      Condition condition = shape;
      condition.key_as_written = std::string(key);
      const size_t colon = key.find(':');
      if (colon == 0 || colon == json::string::npos || colon + 1 == key.size()) {
        return malformed("Policy has an invalid condition key: " + std::string(key));
      }
      condition.key = std::string(key);
      for (char& c : condition.key) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      }
      std::vector<const json::value*> items;
      if (values.is_array()) {
        for (const auto& item : values.get_array()) items.push_back(&item);
      } else {
        items.push_back(&values);
      }
      if (items.empty()) {
        return malformed("Invalid Condition: no value for " + std::string(key));
      }
      for (const json::value* item : items) {
        const std::string text = CV_TRY(condition_text(*item));
        condition.values.push_back(CV_TRY(parse_condition_value(condition, text, variables)));
      }
      out.push_back(std::move(condition));
    }
  }
  return out;
}

Result<Statement> parse_statement(const json::value& value, PolicyKind kind, bool variables) {
  if (!value.is_object()) return malformed("Invalid Statement: expected an object");
  const json::object& object = value.get_object();
  Statement statement;
  for (const auto& [name, _] : object) {
    static const std::set<std::string_view> kKnown = {"Sid",       "Effect",       "Action",
                                                      "NotAction", "Resource",     "NotResource",
                                                      "Principal", "NotPrincipal", "Condition"};
    if (!kKnown.contains(name)) return malformed("Unknown field " + std::string(name));
  }
  if (const auto* sid = object.if_contains("Sid")) {
    if (!sid->is_string()) return malformed("Invalid Sid: expected a string");
    statement.sid = std::string(sid->get_string());
    if (kind != PolicyKind::kResource && !is_sid(statement.sid)) {
      return malformed(
          "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the "
          "regular expression [0-9A-Za-z]*");
    }
  }
  const auto* effect = object.if_contains("Effect");
  if (!effect) return malformed("Missing required field Effect");
  if (effect->is_string() && effect->get_string() == "Allow") {
    statement.effect = Effect::kAllow;
  } else if (effect->is_string() && effect->get_string() == "Deny") {
    statement.effect = Effect::kDeny;
  } else {
    return malformed("Invalid effect: " + (effect->is_string() ? std::string(effect->get_string())
                                                               : json::serialize(*effect)));
  }

  const auto* action = object.if_contains("Action");
  const auto* not_action = object.if_contains("NotAction");
  if (action && not_action) return malformed("Statement cannot have both Action and NotAction");
  if (!action && !not_action) return malformed("Missing required field Action");
  statement.not_action = not_action != nullptr;
  for (const auto& text :
       CV_TRY(strings_of(action ? *action : *not_action, action ? "Action" : "NotAction"))) {
    if (!is_action(text)) {
      return malformed(kind == PolicyKind::kResource
                           ? "Policy has invalid action: " + text
                           : "Actions/Conditions must be prefaced by a vendor, e.g., iam, "
                             "sdb, ec2, etc. (" +
                                 text + ")");
    }
    Pattern pattern = Pattern::glob(text);
    pattern.lowercase();
    statement.actions.push_back(std::move(pattern));
  }

  const auto* resource = object.if_contains("Resource");
  const auto* not_resource = object.if_contains("NotResource");
  if (resource && not_resource) {
    return malformed("Statement cannot have both Resource and NotResource");
  }
  if (kind == PolicyKind::kTrust && (resource || not_resource)) {
    return malformed(std::string("Has prohibited field ") +
                     (resource ? "Resource" : "NotResource"));
  }
  if (kind != PolicyKind::kTrust && !resource && !not_resource) {
    return malformed("Missing required field Resource");
  }
  if (resource || not_resource) {
    statement.resource_element =
        resource ? Statement::ResourceElement::kResource : Statement::ResourceElement::kNotResource;
    for (const auto& text : CV_TRY(strings_of(resource ? *resource : *not_resource,
                                              resource ? "Resource" : "NotResource"))) {
      if (text != "*" && !is_arn(text)) {
        return malformed(kind == PolicyKind::kResource
                             ? "Policy has invalid resource: " + text
                             : "Resource " + text + " must be in ARN format or \"*\".");
      }
      std::string problem;
      auto parsed = Template::parse(text, variables, &problem);
      if (!parsed) return malformed(problem);
      statement.resources.push_back(std::move(*parsed));
    }
  }

  const auto* principal = object.if_contains("Principal");
  const auto* not_principal = object.if_contains("NotPrincipal");
  if (principal && not_principal) {
    return malformed("Statement cannot have both Principal and NotPrincipal");
  }
  const bool names_principal = principal || not_principal;
  if ((kind == PolicyKind::kIdentity || kind == PolicyKind::kSession) && names_principal) {
    return malformed("Policy document should not specify a principal.");
  }
  if ((kind == PolicyKind::kResource || kind == PolicyKind::kTrust) && !names_principal) {
    return malformed("Missing required field Principal");
  }
  if (names_principal) {
    statement.principal_element =
        principal ? PrincipalElement::kPrincipal : PrincipalElement::kNotPrincipal;
    statement.principals = CV_TRY(parse_principal(principal ? *principal : *not_principal));
  }

  if (const auto* condition = object.if_contains("Condition")) {
    statement.conditions = CV_TRY(parse_conditions(*condition, variables));
  }
  return statement;
}

}  // namespace

Result<Policy> parse_policy(std::string_view text, PolicyKind kind, size_t max_bytes) {
  if (text.size() > max_bytes) {
    return malformed("Cannot exceed quota for PolicySize: " + std::to_string(max_bytes));
  }
  const std::string_view syntax = kind == PolicyKind::kResource
                                      ? "Policies must be valid JSON and the first byte must be '{'"
                                      : "Syntax errors in policy.";
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || text[first] != '{') return malformed(std::string(syntax));
  CV_TRY(check_json_shape(text, syntax));
  json::error_code ec;
  const json::value document = json::parse(text, ec);
  if (ec || !document.is_object()) return malformed(std::string(syntax));
  const json::object& object = document.get_object();

  Policy policy;
  policy.kind_ = kind;
  policy.original_ = std::string(text);
  policy.canonical_ = json::serialize(document);
  for (const auto& [name, _] : object) {
    if (name != "Version" && name != "Id" && name != "Statement") {
      return malformed("Unknown field " + std::string(name));
    }
  }
  if (const auto* version = object.if_contains("Version")) {
    if (!version->is_string() ||
        (version->get_string() != "2012-10-17" && version->get_string() != "2008-10-17")) {
      return malformed(
          "The policy failed legacy parsing: Version must be \"2012-10-17\" or "
          "\"2008-10-17\"");
    }
    policy.version_ = std::string(version->get_string());
  }
  if (const auto* id = object.if_contains("Id")) {
    if (!id->is_string()) return malformed("Invalid Id: expected a string");
    policy.id_ = std::string(id->get_string());
  }
  const auto* statements = object.if_contains("Statement");
  if (!statements) return malformed("Missing required field Statement");
  std::vector<const json::value*> items;
  if (statements->is_array()) {
    for (const auto& item : statements->get_array()) items.push_back(&item);
  } else {
    items.push_back(statements);
  }
  if (items.empty()) return malformed("Missing required field Statement");
  std::set<std::string, std::less<>> sids;
  for (const json::value* item : items) {
    Statement statement = CV_TRY(parse_statement(*item, kind, policy.has_variables()));
    if (!statement.sid.empty() && !sids.insert(statement.sid).second) {
      return malformed("Statement IDs (SID) in a single policy must be unique.");
    }
    policy.statements_.push_back(std::move(statement));
  }
  return policy;
}

const std::string& original_text(const Policy& policy) { return policy.original_; }
const std::string& canonical_text(const Policy& policy) { return policy.canonical_; }

}  // namespace cv::policy
