#include "s3/acl_access.h"

#include "s3/acl_xml.h"

namespace cv::s3 {

namespace {

Result<std::optional<ObjectOwnership>> ownership_of(const vault::BucketState& state) {
  const std::string* document = state.document(kOwnershipConfig);
  if (!document) return std::nullopt;
  const auto ownership = parse_ownership(*document);
  if (!ownership) return fail(ErrorCode::kInternalError, "unreadable ownership setting", *document);
  return *ownership;
}

}  // namespace

Result<std::optional<ObjectOwnership>> stored_ownership(const Services& services,
                                                        std::string_view bucket) {
  return ownership_of(*CV_TRY(services.vault.bucket_state(bucket)));
}

Result<ObjectOwnership> bucket_ownership(const Services& services, std::string_view bucket) {
  return CV_TRY(stored_ownership(services, bucket)).value_or(ObjectOwnership::kObjectWriter);
}

Result<AccessControlList> stored_bucket_acl(const Services& services, const meta::Bucket& bucket) {
  const auto document = CV_TRY(services.vault.get_bucket_config(bucket.name, kAclConfig));
  if (!document) return owner_full_control(bucket.owner_id);
  auto acl = parse_access_control_policy(*document);
  if (!acl) return fail(ErrorCode::kInternalError, "unreadable bucket ACL", bucket.name);
  acl->owner_id = bucket.owner_id;
  return std::move(*acl);
}

AccessControlList stored_object_acl(const meta::ObjectVersion& object) {
  if (object.acl.empty()) return owner_full_control(object.owner_id);
  auto acl = parse_access_control_policy(object.acl);
  // A document this layer wrote always parses; should one not, nobody but the owner gets in.
  if (!acl) return owner_full_control(object.owner_id);
  acl->owner_id = object.owner_id;
  return std::move(*acl);
}

std::string acl_document(const AccessControlList& acl) {
  if (acl == owner_full_control(acl.owner_id)) return {};
  AccessControlList stored = acl;
  stored.owner_display_name.clear();
  for (Grant& grant : stored.grants) grant.grantee.display_name.clear();
  return write_access_control_policy(stored);
}

Status resolve_grantees(OwnerDirectory& owners, AccessControlList& acl) {
  for (Grant& grant : acl.grants) {
    Grantee& grantee = grant.grantee;
    if (grantee.type == GranteeType::kEmail) {
      const auto id = owners.user_id_for_email(grantee.email);
      if (!id) return fail(ErrorCode::kUnresolvableGrantByEmailAddress, {}, grantee.email);
      grantee = Grantee::user(*id);
    } else if (grantee.type == GranteeType::kCanonicalUser) {
      grantee.display_name.clear();
      if (!owners.user_exists(grantee.id)) {
        return fail(ErrorCode::kInvalidArgument, "Invalid id", grantee.id);
      }
    }
  }
  return {};
}

std::string writer_id(const auth::Identity& identity, const meta::Bucket& bucket) {
  return identity.anonymous ? bucket.owner_id : identity.user_id;
}

Status refuse_public_acl(const Services& services, std::string_view bucket,
                         const AccessControlList& acl) {
  if (!acl_is_public(acl)) return {};
  const auto access = CV_TRY(services.vault.bucket_access(bucket));
  if (CV_TRY(services.vault.public_access_in_force(*access)).block_public_acls) {
    return fail(ErrorCode::kAccessDenied, "Access Denied", std::string(bucket));
  }
  return {};
}

Status refuse_public_acl_of_new_bucket(const Services& services, const AccessControlList& acl) {
  if (!acl_is_public(acl)) return {};
  std::optional<vault::PublicAccessBlock> initial;
  if (services.vault.options().block_public_access_default) {
    initial = vault::PublicAccessBlock::all_on();
  }
  const auto account = CV_TRY(services.vault.account_public_access_block());
  if (vault::combine(initial, account).block_public_acls) {
    return fail(ErrorCode::kAccessDenied, "Access Denied");
  }
  return {};
}

Result<bool> ignores_public_acls(const Services& services, std::string_view bucket) {
  const auto access = CV_TRY(services.vault.bucket_access(bucket));
  return CV_TRY(services.vault.public_access_in_force(*access)).ignore_public_acls;
}

namespace {

Result<NewObjectAccess> new_object_access_under(const Services& services,
                                                ObjectOwnership ownership,
                                                const meta::Bucket& bucket, std::string_view writer,
                                                const std::optional<RequestedAcl>& requested) {
  NewObjectAccess access;
  switch (ownership) {
    case ObjectOwnership::kBucketOwnerEnforced:
      if (requested &&
          !acl_is_bucket_owner_full_control(requested_acl_for(*requested, writer, bucket.owner_id),
                                            bucket.owner_id)) {
        return fail(ErrorCode::kAccessControlListNotSupported);
      }
      access.owner_id = bucket.owner_id;
      return access;  // ACLs are off: the default ACL
    case ObjectOwnership::kBucketOwnerPreferred:
      access.owner_id = requested && requested->canned == CannedAcl::kBucketOwnerFullControl
                            ? bucket.owner_id
                            : std::string(writer);
      break;
    case ObjectOwnership::kObjectWriter:
      access.owner_id.assign(writer);
      break;
  }
  if (requested) {
    AccessControlList acl = requested_acl_for(*requested, access.owner_id, bucket.owner_id);
    CV_TRY(refuse_public_acl(services, bucket.name, acl));
    CV_TRY(resolve_grantees(services.owners, acl));
    access.acl = acl_document(acl);
  }
  return access;
}

}  // namespace

Result<NewObjectAccess> new_object_access(const Services& services, const meta::Bucket& bucket,
                                          std::string_view writer,
                                          const std::optional<RequestedAcl>& requested) {
  const ObjectOwnership ownership = CV_TRY(bucket_ownership(services, bucket.name));
  return new_object_access_under(services, ownership, bucket, writer, requested);
}

Result<NewObjectAccess> new_object_access(const Services& services, Call& call,
                                          const meta::Bucket& bucket) {
  const auto requested = CV_TRY(acl_from_headers(call.request.headers));
  const ObjectOwnership ownership =
      bucket.name == call.route.bucket
          ? CV_TRY(ownership_of(*CV_TRY(route_bucket_state(services, call))))
                .value_or(ObjectOwnership::kObjectWriter)
          : CV_TRY(bucket_ownership(services, bucket.name));
  return new_object_access_under(services, ownership, bucket, writer_id(call.identity, bucket),
                                 requested);
}

}  // namespace cv::s3
