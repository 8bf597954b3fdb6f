// The ACL a request asks for in its headers: x-amz-acl (a canned ACL) or the explicit
// x-amz-grant-read / -write / -read-acp / -write-acp / -full-control lists
// (`id="..."`, `uri="..."`, `emailAddress="..."`, comma-separated). Values only; thread-safe.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/http_message.h"
#include "s3/acl.h"

namespace cv::s3 {

struct RequestedAcl {
  std::optional<CannedAcl> canned;  // x-amz-acl
  std::vector<Grant> grants;        // x-amz-grant-*, when no canned ACL
};

// nullopt when the request names no ACL. InvalidRequest when it has both x-amz-acl and a
// grant header (S3: "Specifying both Canned ACLs and Header Grants is not allowed");
// InvalidArgument for an unknown canned ACL, a malformed grantee list, an unknown grantee type
// or group URI.
Result<std::optional<RequestedAcl>> acl_from_headers(const Headers& headers);

// A grantee list as the x-amz-grant-* headers carry it, e.g.
// `id="79a5...", uri="http://acs.amazonaws.com/groups/global/AllUsers"` (quotes optional).
Result<std::vector<Grantee>> parse_grantee_list(std::string_view value);

// The ACL owned by `owner_id` that the request asks for: the canned ACL expanded
// (expand_canned_acl), or exactly the explicit grants, as S3 stores them.
AccessControlList requested_acl_for(const RequestedAcl& requested, std::string_view owner_id,
                                    std::string_view bucket_owner_id);

}  // namespace cv::s3
