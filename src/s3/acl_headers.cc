#include "s3/acl_headers.h"

#include <array>

#include "core/encoding.h"

namespace cv::s3 {
namespace {

constexpr std::array<std::pair<std::string_view, AclPermission>, 5> kGrantHeaders = {{
    {"x-amz-grant-read", AclPermission::kRead},
    {"x-amz-grant-write", AclPermission::kWrite},
    {"x-amz-grant-read-acp", AclPermission::kReadAcp},
    {"x-amz-grant-write-acp", AclPermission::kWriteAcp},
    {"x-amz-grant-full-control", AclPermission::kFullControl},
}};

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::unexpected<Error> bad_grantee(std::string_view item) {
  return fail(ErrorCode::kInvalidArgument, "Invalid grantee in a x-amz-grant header",
              std::string(item));
}

// One `type="value"` item.
Result<Grantee> parse_grantee(std::string_view item) {
  const size_t equals = item.find('=');
  if (equals == std::string_view::npos) return bad_grantee(item);
  const std::string type = to_lower(trim(item.substr(0, equals)));
  std::string_view value = trim(item.substr(equals + 1));
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    value = value.substr(1, value.size() - 2);
  }
  if (value.empty() || value.find('"') != std::string_view::npos) return bad_grantee(item);
  if (type == "id") return Grantee::user(std::string(value));
  if (type == "emailaddress") return Grantee::by_email(std::string(value));
  if (type == "uri") {
    if (!is_known_group(value)) {
      return fail(ErrorCode::kInvalidArgument, "Invalid group uri", std::string(value));
    }
    return Grantee::group(value);
  }
  return bad_grantee(item);
}

}  // namespace

Result<std::vector<Grantee>> parse_grantee_list(std::string_view value) {
  std::vector<Grantee> grantees;
  // Commas separate items; none occurs inside an id, a URI or an e-mail address.
  while (true) {
    const size_t comma = value.find(',');
    const std::string_view item = trim(value.substr(0, comma));
    grantees.push_back(CV_TRY(parse_grantee(item)));
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return grantees;
}

Result<std::optional<RequestedAcl>> acl_from_headers(const Headers& headers) {
  RequestedAcl requested;
  bool any_grant = false;
  for (const auto& [name, permission] : kGrantHeaders) {
    for (const auto& [field, value] : headers.fields()) {
      if (field != name) continue;
      any_grant = true;
      for (Grantee& grantee : CV_TRY(parse_grantee_list(value))) {
        requested.grants.push_back({std::move(grantee), permission});
      }
    }
  }
  const std::string* canned = headers.find("x-amz-acl");
  if (canned) {
    if (any_grant) {
      return fail(ErrorCode::kInvalidRequest,
                  "Specifying both Canned ACLs and Header Grants is not allowed");
    }
    requested.canned = parse_canned_acl(*canned);
    if (!requested.canned) {
      return fail(ErrorCode::kInvalidArgument, "Invalid canned ACL", *canned);
    }
  }
  if (!canned && !any_grant) return std::nullopt;
  return requested;
}

AccessControlList requested_acl_for(const RequestedAcl& requested, std::string_view owner_id,
                                    std::string_view bucket_owner_id) {
  if (requested.canned) return expand_canned_acl(*requested.canned, owner_id, bucket_owner_id);
  AccessControlList acl;
  acl.owner_id.assign(owner_id);
  acl.grants = requested.grants;
  return acl;
}

}  // namespace cv::s3
