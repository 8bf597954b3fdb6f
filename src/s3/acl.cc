#include "s3/acl.h"

#include <algorithm>
#include <array>
#include <utility>

namespace cv::s3 {
namespace {

constexpr std::array<std::pair<AclPermission, std::string_view>, 5> kPermissionNames = {{
    {AclPermission::kRead, "READ"},
    {AclPermission::kWrite, "WRITE"},
    {AclPermission::kReadAcp, "READ_ACP"},
    {AclPermission::kWriteAcp, "WRITE_ACP"},
    {AclPermission::kFullControl, "FULL_CONTROL"},
}};

constexpr std::array<std::pair<CannedAcl, std::string_view>, 7> kCannedNames = {{
    {CannedAcl::kPrivate, "private"},
    {CannedAcl::kPublicRead, "public-read"},
    {CannedAcl::kPublicReadWrite, "public-read-write"},
    {CannedAcl::kAuthenticatedRead, "authenticated-read"},
    {CannedAcl::kBucketOwnerRead, "bucket-owner-read"},
    {CannedAcl::kBucketOwnerFullControl, "bucket-owner-full-control"},
    {CannedAcl::kLogDeliveryWrite, "log-delivery-write"},
}};

struct ActionPermission {
  std::string_view action;
  bool on_object;
  AclPermission permission;
};

// S3's "Mapping of ACL permissions and access policy permissions". The multipart steps after
// the first (UploadPart and CompleteMultipartUpload are s3:PutObject) need the WRITE that
// let the upload start: s3:AbortMultipartUpload and s3:ListMultipartUploadParts are granted
// with it, so a writer can clean up and resume its own uploads.
constexpr std::array<ActionPermission, 17> kActionPermissions = {{
    {"s3:ListBucket", false, AclPermission::kRead},
    {"s3:ListBucketVersions", false, AclPermission::kRead},
    {"s3:ListBucketMultipartUploads", false, AclPermission::kRead},
    {"s3:PutObject", false, AclPermission::kWrite},
    {"s3:DeleteObject", false, AclPermission::kWrite},
    {"s3:DeleteObjectVersion", false, AclPermission::kWrite},
    {"s3:AbortMultipartUpload", false, AclPermission::kWrite},
    {"s3:ListMultipartUploadParts", false, AclPermission::kWrite},
    {"s3:GetBucketAcl", false, AclPermission::kReadAcp},
    {"s3:PutBucketAcl", false, AclPermission::kWriteAcp},
    {"s3:GetObject", true, AclPermission::kRead},
    {"s3:GetObjectVersion", true, AclPermission::kRead},
    {"s3:GetObjectAcl", true, AclPermission::kReadAcp},
    {"s3:GetObjectVersionAcl", true, AclPermission::kReadAcp},
    {"s3:PutObjectAcl", true, AclPermission::kWriteAcp},
    {"s3:PutObjectVersionAcl", true, AclPermission::kWriteAcp},
    {"s3:GetObjectTorrent", true, AclPermission::kRead},
}};

bool grantee_matches(const Grantee& grantee, const AclCaller& caller) {
  switch (grantee.type) {
    case GranteeType::kCanonicalUser:
      return !caller.anonymous && grantee.id == caller.user_id;
    case GranteeType::kGroup:
      return grantee.uri == kAllUsersGroup ||
             (grantee.uri == kAuthenticatedUsersGroup && !caller.anonymous);
    case GranteeType::kEmail:
      return false;
  }
  return false;
}

}  // namespace

std::string_view permission_name(AclPermission permission) {
  for (const auto& [value, name] : kPermissionNames) {
    if (value == permission) return name;
  }
  return "READ";
}

std::optional<AclPermission> parse_permission(std::string_view name) {
  for (const auto& [value, known] : kPermissionNames) {
    if (known == name) return value;
  }
  return std::nullopt;
}

bool is_known_group(std::string_view uri) {
  return uri == kAllUsersGroup || uri == kAuthenticatedUsersGroup || uri == kLogDeliveryGroup;
}

AccessControlList owner_full_control(std::string_view owner_id) {
  AccessControlList acl;
  acl.owner_id.assign(owner_id);
  acl.grants.push_back({Grantee::user(std::string(owner_id)), AclPermission::kFullControl});
  return acl;
}

std::optional<CannedAcl> parse_canned_acl(std::string_view name) {
  for (const auto& [value, known] : kCannedNames) {
    if (known == name) return value;
  }
  return std::nullopt;
}

AccessControlList expand_canned_acl(CannedAcl canned, std::string_view owner_id,
                                    std::string_view bucket_owner_id) {
  AccessControlList acl = owner_full_control(owner_id);
  // On a bucket (the bucket owner is the owner) the bucket-owner-* ACLs add nothing.
  const bool other_bucket_owner = !bucket_owner_id.empty() && bucket_owner_id != owner_id;
  switch (canned) {
    case CannedAcl::kPrivate:
      break;
    case CannedAcl::kPublicRead:
      acl.grants.push_back({Grantee::group(kAllUsersGroup), AclPermission::kRead});
      break;
    case CannedAcl::kPublicReadWrite:
      acl.grants.push_back({Grantee::group(kAllUsersGroup), AclPermission::kRead});
      acl.grants.push_back({Grantee::group(kAllUsersGroup), AclPermission::kWrite});
      break;
    case CannedAcl::kAuthenticatedRead:
      acl.grants.push_back({Grantee::group(kAuthenticatedUsersGroup), AclPermission::kRead});
      break;
    case CannedAcl::kBucketOwnerRead:
      if (other_bucket_owner) {
        acl.grants.push_back({Grantee::user(std::string(bucket_owner_id)), AclPermission::kRead});
      }
      break;
    case CannedAcl::kBucketOwnerFullControl:
      if (other_bucket_owner) {
        acl.grants.push_back(
            {Grantee::user(std::string(bucket_owner_id)), AclPermission::kFullControl});
      }
      break;
    case CannedAcl::kLogDeliveryWrite:
      acl.grants.push_back({Grantee::group(kLogDeliveryGroup), AclPermission::kWrite});
      acl.grants.push_back({Grantee::group(kLogDeliveryGroup), AclPermission::kReadAcp});
      break;
  }
  return acl;
}

bool acl_permits(const AccessControlList& acl, const AclCaller& caller, AclPermission needed) {
  if (!caller.anonymous && caller.user_id == acl.owner_id &&
      (needed == AclPermission::kReadAcp || needed == AclPermission::kWriteAcp)) {
    return true;
  }
  for (const Grant& grant : acl.grants) {
    if ((grant.permission == needed || grant.permission == AclPermission::kFullControl) &&
        grantee_matches(grant.grantee, caller)) {
      return true;
    }
  }
  return false;
}

namespace {

bool is_public_grant(const Grant& grant) {
  return grant.grantee.type == GranteeType::kGroup &&
         (grant.grantee.uri == kAllUsersGroup || grant.grantee.uri == kAuthenticatedUsersGroup);
}

}  // namespace

bool acl_is_public(const AccessControlList& acl) {
  return std::any_of(acl.grants.begin(), acl.grants.end(), is_public_grant);
}

AccessControlList without_public_grants(const AccessControlList& acl) {
  AccessControlList kept = acl;
  std::erase_if(kept.grants, is_public_grant);
  return kept;
}

std::optional<AclPermission> acl_permission_for(std::string_view s3_action, bool on_object) {
  for (const auto& entry : kActionPermissions) {
    if (entry.action == s3_action && entry.on_object == on_object) return entry.permission;
  }
  return std::nullopt;
}

bool acl_is_bucket_owner_full_control(const AccessControlList& acl,
                                      std::string_view bucket_owner_id) {
  bool bucket_owner_has_full_control = false;
  for (const Grant& grant : acl.grants) {
    if (grant.grantee.type != GranteeType::kCanonicalUser) return false;
    if (grant.grantee.id == bucket_owner_id) {
      if (grant.permission == AclPermission::kFullControl) bucket_owner_has_full_control = true;
    } else if (grant.grantee.id != acl.owner_id) {
      return false;  // a grant to someone else
    }
  }
  return bucket_owner_has_full_control;
}

}  // namespace cv::s3
