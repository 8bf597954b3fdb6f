#include "iam/session_token.h"

#include <boost/json.hpp>

#include "core/encoding.h"
#include "core/hash.h"
#include "core/seal.h"

namespace cv::iam {
namespace {

namespace json = boost::json;

constexpr std::string_view kContext = "cloudvault sts session v1";

Error invalid_token() {
  return Error{ErrorCode::kInvalidToken, "The security token included in the request is invalid.",
               {}};
}

}  // namespace

std::string seal_session_token(const SessionGrant& grant, std::string_view master_key) {
  const json::object fields{{"k", grant.access_key_id},  {"s", grant.secret_key},
                            {"i", grant.issued_ns},      {"e", grant.expires_ns},
                            {"u", grant.user_id},        {"un", grant.user_name},
                            {"r", grant.role_name},      {"ri", grant.role_id},
                            {"n", grant.session_name},   {"p", grant.session_policy}};
  return base64_encode(seal(master_key, json::serialize(fields), kContext));
}

Result<SessionGrant> open_session_token(std::string_view token, std::string_view master_key) {
  const auto sealed = base64_decode(token);
  if (!sealed) return fail(invalid_token());
  const auto plain = unseal(master_key, *sealed, kContext);
  if (!plain) return fail(invalid_token());
  boost::system::error_code ec;
  const json::value value = json::parse(*plain, ec);
  if (ec || !value.is_object()) return fail(invalid_token());
  const json::object& fields = value.as_object();
  SessionGrant grant;
  try {
    grant.access_key_id = fields.at("k").as_string();
    grant.secret_key = fields.at("s").as_string();
    grant.issued_ns = fields.at("i").as_int64();
    grant.expires_ns = fields.at("e").as_int64();
    grant.user_id = fields.at("u").as_string();
    grant.user_name = fields.at("un").as_string();
    grant.role_name = fields.at("r").as_string();
    grant.role_id = fields.at("ri").as_string();
    grant.session_name = fields.at("n").as_string();
    grant.session_policy = fields.at("p").as_string();
  } catch (const std::exception&) {
    return fail(invalid_token());
  }
  return grant;
}

std::string new_session_access_key_id() {
  constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  unsigned char random[16];
  random_bytes(random);
  std::string id = "ASIA";
  for (unsigned char byte : random) id += kAlphabet[byte % 32];
  return id;
}

}  // namespace cv::iam
