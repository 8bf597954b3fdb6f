// The AccessControlPolicy document of Get/PutBucketAcl and Get/PutObjectAcl, read and
// written as S3 does (Grantee with xmlns:xsi and xsi:type CanonicalUser, Group or
// AmazonCustomerByEmail). The same document, without display names, is how ACLs are stored
// (bucket configuration "acl", an object version's acl). Thread-safe.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "s3/acl.h"

namespace cv::s3 {

inline constexpr std::string_view kXsiNamespace = "http://www.w3.org/2001/XMLSchema-instance";
inline constexpr size_t kMaxAclGrants = 100;  // S3's limit per ACL

// Parses an AccessControlPolicy. MalformedACLError when the document is not well-formed, is
// not an AccessControlPolicy, lacks Owner/ID, has a Grant without a Grantee or a known
// Permission, a Grantee of unknown type or without its ID / URI / EmailAddress, or more than
// kMaxAclGrants grants; InvalidArgument for a Group URI S3 does not have. Display names are
// kept as given (informational).
Result<AccessControlList> parse_access_control_policy(std::string_view body);

// Writes the document. `display_name` gives the owner's and each canonical user grantee's
// DisplayName; when empty, no DisplayName is written (the stored form).
using DisplayNames = std::function<std::string(std::string_view user_id)>;
std::string write_access_control_policy(const AccessControlList& acl,
                                        const DisplayNames& display_name = {});

}  // namespace cv::s3
