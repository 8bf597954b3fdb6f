// verify_post_policy: the SigV4 POST policy of browser form uploads.
#include "auth/post_policy.h"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <charconv>
#include <set>

#include "auth/canonical_request.h"
#include "auth/sigv2.h"
#include "auth/sigv4.h"
#include "core/encoding.h"
#include "core/hash.h"

namespace cv::auth {
namespace {

constexpr std::string_view kCredentialError = "Error parsing the X-Amz-Credential parameter; ";

const std::string* find_field(const FormFields& fields, std::string_view lower_name) {
  for (const auto& [name, value] : fields) {
    if (name.size() == lower_name.size() && to_lower(name) == lower_name) return &value;
  }
  return nullptr;
}

Result<const std::string*> required_field(const FormFields& fields, std::string_view name) {
  const std::string* value = find_field(fields, name);
  if (!value) {
    return fail(ErrorCode::kInvalidArgument, "Bucket POST must contain a field named '" +
                                                 std::string(name) +
                                                 "'.  If it is specified, please check the "
                                                 "order of the fields.");
  }
  return value;
}

std::unexpected<Error> violation(std::string detail) {
  return fail(ErrorCode::kAccessDenied, "Invalid according to Policy: " + std::move(detail));
}

std::unexpected<Error> invalid_policy(std::string detail) {
  return fail(ErrorCode::kInvalidPolicyDocument, "Invalid Policy: " + std::move(detail));
}

std::string quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

std::optional<uint64_t> json_length(const boost::json::value& value) {
  if (value.is_int64()) {
    return value.as_int64() < 0 ? std::nullopt : std::optional<uint64_t>(value.as_int64());
  }
  if (value.is_uint64()) return value.as_uint64();
  if (value.is_string()) {
    const boost::json::string& text = value.as_string();
    uint64_t out = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    if (ec == std::errc() && ptr == text.data() + text.size()) return out;
  }
  return std::nullopt;
}

// Checks the conditions against the form, recording which fields they cover.
class ConditionChecker {
 public:
  // `sigv2`: the form is signed with AWSAccessKeyId and signature (neither needs a condition).
  ConditionChecker(const FormFields& fields, std::string_view bucket, bool sigv2)
      : fields_(fields), bucket_(bucket), sigv2_(sigv2) {}

  Status check(const boost::json::value& condition) {
    if (condition.is_object()) {
      for (const auto& member : condition.as_object()) {
        if (!member.value().is_string()) {
          return invalid_policy("Condition values must be strings: " + quoted(member.key()));
        }
        CV_TRY(check_eq(member.key(), member.value().as_string()));
      }
      return {};
    }
    if (!condition.is_array()) return invalid_policy("Conditions must be objects or arrays.");
    const boost::json::array& items = condition.as_array();
    if (items.size() != 3 || !items[0].is_string()) {
      return invalid_policy("Condition arrays must have three elements.");
    }
    const std::string op = to_lower(std::string_view(items[0].as_string()));
    if (op == "content-length-range") {
      const auto low = json_length(items[1]);
      const auto high = json_length(items[2]);
      if (!low || !high || *low > *high) {
        return invalid_policy("Invalid content-length-range condition.");
      }
      length_range_ = std::pair{*low, *high};
      return {};
    }
    if (!items[1].is_string() || !items[2].is_string()) {
      return invalid_policy("Condition operands must be strings.");
    }
    const std::string_view name = items[1].as_string();
    const std::string_view operand = items[2].as_string();
    if (!name.starts_with('$') || name.size() < 2) {
      return invalid_policy("Condition field names must start with '$': " + quoted(name));
    }
    if (op == "eq") return check_eq(name.substr(1), operand);
    if (op == "starts-with") {
      const std::string lower_name = to_lower(name.substr(1));
      covered_.insert(lower_name);
      if (!value_of(lower_name).starts_with(operand)) {
        return violation("Policy Condition failed: [\"starts-with\", " + quoted(name) + ", " +
                         quoted(operand) + "]");
      }
      return {};
    }
    return invalid_policy("Unrecognized condition operator " + quoted(op) + ".");
  }

  // Every field except x-amz-signature, file, policy and x-ignore-* (and for SigV2
  // AWSAccessKeyId and signature) must be covered.
  Status check_all_covered() const {
    for (const auto& [name, value] : fields_) {
      const std::string lower_name = to_lower(name);
      if (lower_name == "x-amz-signature" || lower_name == "file" || lower_name == "policy" ||
          lower_name.starts_with("x-ignore-") || covered_.contains(lower_name)) {
        continue;
      }
      if (sigv2_ && (lower_name == "awsaccesskeyid" || lower_name == "signature")) continue;
      return violation("Extra input fields: " + name);
    }
    return {};
  }

  const std::optional<std::pair<uint64_t, uint64_t>>& length_range() const { return length_range_; }

 private:
  std::string_view value_of(const std::string& lower_name) const {
    if (lower_name == "bucket") return bucket_;
    const std::string* value = find_field(fields_, lower_name);
    return value ? std::string_view(*value) : std::string_view();
  }

  Status check_eq(std::string_view name, std::string_view expected) {
    const std::string lower_name = to_lower(name);
    covered_.insert(lower_name);
    if (value_of(lower_name) != expected) {
      return violation("Policy Condition failed: [\"eq\", \"$" + std::string(name) + "\", " +
                       quoted(expected) + "]");
    }
    return {};
  }

  const FormFields& fields_;
  std::string_view bucket_;
  const bool sigv2_;
  std::set<std::string> covered_;
  std::optional<std::pair<uint64_t, uint64_t>> length_range_;
};

// The SigV2 form: AWSAccessKeyId and signature = base64(HMAC-SHA1(secret, policy)).
Result<Credentials> verify_sigv2_form(const FormFields& fields, const std::string& policy,
                                      CredentialStore& credentials) {
  const std::string& access_key_id = *CV_TRY(required_field(fields, "awsaccesskeyid"));
  const std::string& signature = *CV_TRY(required_field(fields, "signature"));
  std::optional<Credentials> found = CV_TRY(credentials.find(access_key_id));
  if (!found) {
    return fail(ErrorCode::kInvalidAccessKeyId,
                "The AWS Access Key Id you provided does not exist in our records.");
  }
  if (!constant_time_equal(sigv2_signature(found->secret_key, policy), trim(signature))) {
    return fail(ErrorCode::kSignatureDoesNotMatch,
                "The request signature we calculated does not match the signature you "
                "provided. Check your key and signing method.");
  }
  found->access_key_id = access_key_id;
  return std::move(*found);
}

// The policy document: expiration and conditions, checked against the fields.
Result<std::optional<std::pair<uint64_t, uint64_t>>> check_policy_document(
    const FormFields& fields, const std::string& policy, std::string_view bucket,
    const Clock& clock, bool sigv2) {
  const auto document = base64_decode(trim(policy));
  if (!document) return invalid_policy("Policy is not valid base64.");
  boost::system::error_code ec;
  const boost::json::value root = boost::json::parse(*document, ec);
  if (ec || !root.is_object()) return invalid_policy("Policy is not a JSON object.");
  const boost::json::object& object = root.as_object();
  const boost::json::value* expiration = object.if_contains("expiration");
  if (!expiration || !expiration->is_string()) {
    return invalid_policy("Policy is missing the expiration.");
  }
  const auto expires_at = parse_iso8601(std::string_view(expiration->as_string()));
  if (!expires_at)
    return invalid_policy("Invalid 'expiration' value: " +
                          quoted(std::string_view(expiration->as_string())));
  const boost::json::value* conditions = object.if_contains("conditions");
  if (!conditions || !conditions->is_array()) {
    return invalid_policy("Policy is missing the conditions.");
  }
  if (clock.now() > *expires_at) return violation("Policy expired.");

  ConditionChecker checker(fields, bucket, sigv2);
  for (const boost::json::value& condition : conditions->as_array()) {
    CV_TRY(checker.check(condition));
  }
  CV_TRY(checker.check_all_covered());
  return checker.length_range();
}

}  // namespace

Result<PostPolicyGrant> verify_post_policy(const FormFields& fields, std::string_view bucket,
                                           CredentialStore& credentials, const Clock& clock,
                                           std::string_view region, bool sigv2) {
  if (!find_field(fields, "x-amz-algorithm") && find_field(fields, "awsaccesskeyid")) {
    if (!sigv2) {
      return fail(ErrorCode::kInvalidRequest,
                  "The authorization mechanism you have provided is not supported. Please use "
                  "AWS4-HMAC-SHA256.");
    }
    const std::string& policy = *CV_TRY(required_field(fields, "policy"));
    Credentials found = CV_TRY(verify_sigv2_form(fields, policy, credentials));
    auto range = CV_TRY(check_policy_document(fields, policy, bucket, clock, true));
    return PostPolicyGrant{found.user_id, found.access_key_id, found.user_name, found.is_root, "2",
                           range};
  }
  const std::string& policy = *CV_TRY(required_field(fields, "policy"));
  const std::string& algorithm = *CV_TRY(required_field(fields, "x-amz-algorithm"));
  const std::string& credential_text = *CV_TRY(required_field(fields, "x-amz-credential"));
  const std::string& date = *CV_TRY(required_field(fields, "x-amz-date"));
  const std::string& signature = *CV_TRY(required_field(fields, "x-amz-signature"));

  const ErrorCode kQueryError = ErrorCode::kAuthorizationQueryParametersError;
  if (algorithm != kSigV4Algorithm) {
    return fail(kQueryError, "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
  }
  auto credential = parse_credential(credential_text);
  if (!credential) {
    return fail(kQueryError, std::string(kCredentialError) +
                                 "the Credential is mal-formed; expecting "
                                 "\"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".");
  }
  if (credential->region != region) {
    return fail(kQueryError, std::string(kCredentialError) + "the region '" + credential->region +
                                 "' is wrong; expecting '" + std::string(region) + "'");
  }
  if (credential->service != kS3Service || credential->terminator != kScopeTerminator) {
    return fail(kQueryError, std::string(kCredentialError) + "the scope must end with " +
                                 "\"/s3/aws4_request\".");
  }
  if (!parse_amz_date(date) || std::string_view(date).substr(0, 8) != credential->date) {
    return fail(kQueryError, "Invalid credential date. Date is not the same as X-Amz-Date.");
  }

  const std::optional<Credentials> found = CV_TRY(credentials.find(credential->access_key_id));
  if (!found) {
    return fail(ErrorCode::kInvalidAccessKeyId,
                "The AWS Access Key Id you provided does not exist in our records.");
  }
  const std::string signing_key =
      derive_signing_key(found->secret_key, credential->date, credential->region, kS3Service);
  if (!constant_time_equal(hex_encode(hmac_sha256(signing_key, policy)), signature)) {
    return fail(ErrorCode::kSignatureDoesNotMatch,
                "The request signature we calculated does not match the signature you "
                "provided. Check your key and signing method.");
  }

  auto range = CV_TRY(check_policy_document(fields, policy, bucket, clock, false));
  return PostPolicyGrant{
      found->user_id, credential->access_key_id, found->user_name, found->is_root, "4", range};
}

}  // namespace cv::auth
