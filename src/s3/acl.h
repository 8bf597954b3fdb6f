// Access control lists as S3 has them: grants of READ, WRITE, READ_ACP, WRITE_ACP and
// FULL_CONTROL to canonical users, e-mail addresses and the predefined groups; the canned
// ACLs; and the pure questions an authorizer asks of an ACL (does it permit this caller this
// permission, is it public, which permission does an S3 action need).
//
// Values only: no I/O, no shared state; every function is thread-safe. The request side
// (headers, XML) is in acl_headers.h and acl_xml.h.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cv::s3 {

enum class AclPermission { kRead, kWrite, kReadAcp, kWriteAcp, kFullControl };

// "READ", "WRITE", "READ_ACP", "WRITE_ACP", "FULL_CONTROL".
std::string_view permission_name(AclPermission permission);
std::optional<AclPermission> parse_permission(std::string_view name);  // exact, as S3

// The predefined groups (Grantee xsi:type="Group").
inline constexpr std::string_view kAllUsersGroup =
    "http://acs.amazonaws.com/groups/global/AllUsers";
inline constexpr std::string_view kAuthenticatedUsersGroup =
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
inline constexpr std::string_view kLogDeliveryGroup =
    "http://acs.amazonaws.com/groups/s3/LogDelivery";
bool is_known_group(std::string_view uri);

enum class GranteeType {
  kCanonicalUser,  // `id` (+ `display_name`, informational)
  kGroup,          // `uri`, one of the groups above
  kEmail,          // `email` (AmazonCustomerByEmail); resolved to a canonical user before use
};

struct Grantee {
  GranteeType type = GranteeType::kCanonicalUser;
  std::string id;
  std::string display_name;
  std::string uri;
  std::string email;

  static Grantee user(std::string id) { return {GranteeType::kCanonicalUser, std::move(id)}; }
  static Grantee group(std::string_view uri) {
    return {GranteeType::kGroup, {}, {}, std::string(uri)};
  }
  static Grantee by_email(std::string email) {
    return {GranteeType::kEmail, {}, {}, {}, std::move(email)};
  }
  bool operator==(const Grantee&) const = default;
};

struct Grant {
  Grantee grantee;
  AclPermission permission = AclPermission::kRead;
  bool operator==(const Grant&) const = default;
};

struct AccessControlList {
  std::string owner_id;
  std::string owner_display_name;  // informational; not stored
  std::vector<Grant> grants;
  bool operator==(const AccessControlList&) const = default;
};

// The default ACL of every bucket and object: its owner has FULL_CONTROL.
AccessControlList owner_full_control(std::string_view owner_id);

enum class CannedAcl {
  kPrivate,
  kPublicRead,
  kPublicReadWrite,
  kAuthenticatedRead,
  kBucketOwnerRead,
  kBucketOwnerFullControl,
  kLogDeliveryWrite,
};
// The x-amz-acl values above ("private", "public-read", ...); nullopt for any other.
std::optional<CannedAcl> parse_canned_acl(std::string_view name);

// The grants S3 documents for a canned ACL, owned by `owner_id`. bucket-owner-read and
// bucket-owner-full-control add `bucket_owner_id` (nothing when it is the owner, and nothing
// on a bucket, where S3 ignores them); log-delivery-write grants the LogDelivery group WRITE
// and READ_ACP.
AccessControlList expand_canned_acl(CannedAcl canned, std::string_view owner_id,
                                    std::string_view bucket_owner_id);

// Who asks: nobody (an anonymous request) or a canonical user id.
struct AclCaller {
  bool anonymous = true;
  std::string user_id;

  static AclCaller nobody() { return {}; }
  static AclCaller user(std::string id) { return {false, std::move(id)}; }
};

// Whether `acl` grants `caller` the permission `needed`: a grant of it or of FULL_CONTROL to
// the caller's id, to AllUsers, or (for a signed request) to AuthenticatedUsers. The owner
// always may read and write the ACL (READ_ACP, WRITE_ACP), as on S3. E-mail grantees never
// match (they are resolved to ids before an ACL is stored).
bool acl_permits(const AccessControlList& acl, const AclCaller& caller, AclPermission needed);

// Whether the ACL grants anything to AllUsers or AuthenticatedUsers (what S3's Block Public
// Access calls a public ACL).
bool acl_is_public(const AccessControlList& acl);
// The ACL without its grants to AllUsers and AuthenticatedUsers (IgnorePublicAcls).
AccessControlList without_public_grants(const AccessControlList& acl);

// The ACL permission S3 maps an IAM action to ("s3:GetObject" on an object is READ,
// "s3:PutObject" on a bucket is WRITE, ...), per S3's "Mapping of ACL permissions and access
// policy permissions"; nullopt when no ACL permission allows the action (configuration
// calls: only the owner, or a policy, may make them). `on_object`: the object's ACL is asked
// (reads of objects and their ACLs), else the bucket's (listings, object writes and deletes,
// the bucket's ACL).
std::optional<AclPermission> acl_permission_for(std::string_view s3_action, bool on_object);

// Whether the ACL says no more than "the bucket owner has FULL_CONTROL": what S3 still accepts
// on a bucket whose ObjectOwnership is BucketOwnerEnforced (bucket-owner-full-control, or
// private from the bucket owner).
bool acl_is_bucket_owner_full_control(const AccessControlList& acl,
                                      std::string_view bucket_owner_id);

}  // namespace cv::s3
