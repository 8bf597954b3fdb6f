// ACLs in an S3 permission decision (docs/PERMISSIONS.md): what the policies leave undecided
// (no Allow, no explicit Deny) an ACL grant may still allow, as on S3.
// Thread-safe; blocks (reads the bucket's settings and, for object reads, the version).
#pragma once

#include <optional>
#include <string_view>

#include "core/error.h"
#include "meta/types.h"
#include "s3/access_checks.h"
#include "s3/acl.h"
#include "s3/call.h"

namespace cv::s3 {

// Admits `check` (denied by the policies without an explicit Deny) for `caller`, not the
// owner of `bucket`, when the ACLs grant the permission S3 maps its action to
// (acl_permission_for): the bucket's ACL for listings, object writes and deletes and the
// bucket ACL calls; the object version's ACL (check.key, check.version_id) for object reads
// and object ACL calls. Actions no ACL can grant (configuration, tagging, ...) stay denied. A
// read of a missing object or version answers its NoSuchKey / NoSuchVersion when the caller
// may list the bucket, else AccessDenied (as S3). With ObjectOwnership BucketOwnerEnforced
// ACLs count for nothing; with IgnorePublicAcls in force public grants do not.
Status admit_by_acl(const Services& services, const AccessCheck& check, const meta::Bucket& bucket,
                    const AclCaller& caller);

// The policies first (Authorizer::authorize), then the ACLs for what no policy allows and
// none denies: the one way an S3 permission is decided. `caller` is who the ACLs judge (a
// POST form's signer; else the call's identity).
Status authorize_with_acls(const Services& services, Call& call, const AccessCheck& check,
                           const std::optional<AclCaller>& caller = std::nullopt);

// Whether `caller` may read `object` (a CopyObject or UploadPartCopy source) of `bucket`:
// its owner may, else its ACL must grant READ (not under BucketOwnerEnforced).
Status admit_object_read(const Services& services, const meta::Bucket& bucket,
                         const meta::ObjectVersion& object, const AclCaller& caller);

// The caller of a verified identity.
AclCaller acl_caller(const auth::Identity& identity);

}  // namespace cv::s3
