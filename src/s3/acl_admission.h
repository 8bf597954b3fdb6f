// Interim ACL-based admission (issue 14): until the policy authorizer replaces
// S3Api's admit(), a request from someone other than the bucket's owner (or from nobody) is
// allowed when the bucket's or the object's ACL grants the permission its S3 action needs
// (acl_permission_for). One function, so the authorizer can take it over whole.
// Thread-safe; blocks (reads the bucket's settings and, for object reads, the version).
#pragma once

#include <optional>
#include <string_view>

#include "core/error.h"
#include "meta/types.h"
#include "s3/acl.h"
#include "s3/call.h"

namespace cv::s3 {

// The IAM action of a routed call that an ACL can allow ("s3:GetObject", "s3:ListBucket",
// "s3:GetObjectVersion" when a versionId is named, ...); nullopt for calls only the bucket
// owner may make (configuration calls).
std::optional<std::string_view> acl_action_of(const Call& call);

// Admits `call` (by `caller`, not the owner of `bucket`) when the ACLs grant it: the
// bucket's ACL for listings, object writes and deletes and the bucket ACL calls; the
// object version's ACL for object reads and object ACL calls. A read of a missing object or
// version answers its NoSuchKey / NoSuchVersion when the caller may list the bucket, else
// AccessDenied (as S3). With ObjectOwnership BucketOwnerEnforced ACLs count for nothing:
// AccessDenied.
Status admit_by_acl(const Services& services, const Call& call, const meta::Bucket& bucket,
                    const AclCaller& caller);

// Whether `caller` may read `object` (a CopyObject or UploadPartCopy source) of `bucket`:
// its owner may, else its ACL must grant READ (not under BucketOwnerEnforced).
Status admit_object_read(const Services& services, const meta::Bucket& bucket,
                         const meta::ObjectVersion& object, const AclCaller& caller);

// The caller of a verified identity.
AclCaller acl_caller(const auth::Identity& identity);

}  // namespace cv::s3
