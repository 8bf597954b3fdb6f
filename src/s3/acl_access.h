// The stored side of ACLs and Object Ownership for the S3 handlers: a bucket's ownership
// setting (bucket configuration "ownership") and ACL (configuration "acl"), an object
// version's ACL (ObjectVersion::acl), and what a write that carries ACL headers stores.
// Internal to the s3 layer; thread-safe (state lives in the vault).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "meta/types.h"
#include "s3/acl.h"
#include "s3/acl_headers.h"
#include "s3/call.h"
#include "s3/object_ownership.h"

namespace cv::s3 {

inline constexpr std::string_view kOwnershipConfig = "ownership";
inline constexpr std::string_view kAclConfig = "acl";

// The bucket's stored Object Ownership; nullopt when it has none (created before ownership
// controls existed, or after DeleteBucketOwnershipControls). NoSuchBucket.
Result<std::optional<ObjectOwnership>> stored_ownership(const Services& services,
                                                        std::string_view bucket);
// The ownership in force: the stored one, else ObjectWriter (as on S3 for such buckets).
Result<ObjectOwnership> bucket_ownership(const Services& services, std::string_view bucket);

// The bucket's ACL as stored (the default, owner FULL_CONTROL, when none is), whatever the
// ownership setting. NoSuchBucket.
Result<AccessControlList> stored_bucket_acl(const Services& services, const meta::Bucket& bucket);
// A version's ACL as stored (owner FULL_CONTROL when it has none); the owner is the
// version's owner_id.
AccessControlList stored_object_acl(const meta::ObjectVersion& object);

// Block Public Access on ACLs. refuse_public_acl: AccessDenied when `acl` is public
// (acl_is_public) and BlockPublicAcls is in force for the bucket (its block with the
// account's; for a bucket being created, the block it will start with). ignores_public_acls:
// whether IgnorePublicAcls is in force, so public grants count for nothing.
Status refuse_public_acl(const Services& services, std::string_view bucket,
                         const AccessControlList& acl);
Status refuse_public_acl_of_new_bucket(const Services& services, const AccessControlList& acl);
Result<bool> ignores_public_acls(const Services& services, std::string_view bucket);

// The stored form of an ACL: "" for the default (exactly owner FULL_CONTROL), else the
// AccessControlPolicy document without display names.
std::string acl_document(const AccessControlList& acl);

// Turns e-mail grantees into canonical users (UnresolvableGrantByEmailAddress when no user
// has the address) and checks that every canonical user id names a user (InvalidArgument
// "Invalid id").
Status resolve_grantees(OwnerDirectory& owners, AccessControlList& acl);

// The id that writes on behalf of the caller: the user's, or the bucket owner's for an
// anonymous writer (a bucket whose ACL grants AllUsers WRITE).
std::string writer_id(const auth::Identity& identity, const meta::Bucket& bucket);

// What a new object (PutObject, CopyObject, PostObject, CreateMultipartUpload) gets: its
// owner and its stored ACL, from the bucket's ownership and the ACL the request asks for.
// AccessControlListNotSupported when the bucket is BucketOwnerEnforced and the ACL is not
// bucket-owner-full-control (or an equivalent); errors of resolve_grantees.
struct NewObjectAccess {
  std::string owner_id;
  std::string acl;  // the stored form
};
Result<NewObjectAccess> new_object_access(const Services& services, const meta::Bucket& bucket,
                                          std::string_view writer,
                                          const std::optional<RequestedAcl>& requested);

// The same for the request's own ACL headers.
Result<NewObjectAccess> new_object_access(const Services& services, Call& call,
                                          const meta::Bucket& bucket);

}  // namespace cv::s3
