// ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation, GetBucketVersioning.
#include "core/byte_source.h"
#include "core/clock.h"
#include "s3/acl_access.h"
#include "core/encoding.h"
#include "s3/call.h"
#include "s3/request_body.h"
#include "s3/xml.h"

namespace cv::s3 {
namespace {

// A new bucket's Object Ownership (x-amz-object-ownership, else the server's default) and
// stored ACL (x-amz-acl / x-amz-grant-*). As S3: an ACL other than private on a
// BucketOwnerEnforced bucket is InvalidBucketAclWithObjectOwnership.
struct BucketAccess {
  ObjectOwnership ownership = ObjectOwnership::kBucketOwnerEnforced;
  std::string acl;
};

Result<BucketAccess> new_bucket_access(const Services& services, const Call& call) {
  BucketAccess access;
  if (const std::string* named = call.request.headers.find("x-amz-object-ownership")) {
    const auto ownership = parse_ownership(*named);
    if (!ownership) {
      return fail(ErrorCode::kInvalidArgument, "Invalid x-amz-object-ownership header", *named);
    }
    access.ownership = *ownership;
  } else {
    access.ownership = parse_ownership(services.options.access.object_ownership)
                           .value_or(ObjectOwnership::kBucketOwnerEnforced);
  }
  const auto requested = CV_TRY(acl_from_headers(call.request.headers));
  if (!requested) return access;
  const std::string& owner = call.identity.user_id;
  AccessControlList acl = requested_acl_for(*requested, owner, owner);
  if (access.ownership == ObjectOwnership::kBucketOwnerEnforced &&
      !acl_is_bucket_owner_full_control(acl, owner)) {
    return fail(ErrorCode::kInvalidBucketAclWithObjectOwnership);
  }
  CV_TRY(refuse_public_acl_of_new_bucket(services, acl));
  CV_TRY(resolve_grantees(services.owners, acl));
  access.acl = acl_document(acl);
  return access;
}

}  // namespace

// A user governed by policies (an IAM user allowed s3:ListAllMyBuckets) sees every bucket of
// the account, as on AWS; root and tenant users see the buckets they own.
Result<Response> list_buckets(const Services& services, Call& call) {
  const bool whole_account = call.caller && !call.caller->tenant && !call.identity.is_root;
  const auto buckets = CV_TRY(whole_account ? services.vault.all_buckets()
                                            : services.vault.list_buckets(call.identity.user_id));
  XmlWriter xml("ListAllMyBucketsResult");
  auto owner = xml.root().append_child("Owner");
  add_text(owner, "ID", call.identity.user_id);
  add_text(owner, "DisplayName", services.owners.display_name(call.identity.user_id));
  auto list = xml.root().append_child("Buckets");
  for (const auto& bucket : buckets) {
    auto node = list.append_child("Bucket");
    add_text(node, "Name", bucket.name);
    add_text(node, "CreationDate", format_iso8601(from_unix_nanos(bucket.created_ns)));
  }
  return xml_response(xml.str());
}

Result<Response> create_bucket(const Services& services, Call& call) {
  // An optional CreateBucketConfiguration may name a LocationConstraint: it must be ours.
  const std::string body =
      CV_TRY(read_request_document(call.request, call.identity, services.options.max_xml_body,
                                   IntegrityHeader::kOptional));
  if (!body.empty()) {
    pugi::xml_document doc;
    auto root = CV_TRY(parse_xml(doc, body, "CreateBucketConfiguration"));
    const std::string location = child_text(root, "LocationConstraint");
    if (!location.empty() && location != services.options.region) {
      return fail(ErrorCode::kIllegalLocationConstraintException,
                  "The " + location +
                      " location constraint is incompatible for the region "
                      "specific endpoint this request was sent to.");
    }
  }
  const BucketAccess access = CV_TRY(new_bucket_access(services, call));
  // Its ownership and ACL are written with the bucket, in one transaction.
  meta::StringPairs configs;
  configs.emplace_back(std::string(kOwnershipConfig), std::string(ownership_name(access.ownership)));
  if (!access.acl.empty()) configs.emplace_back(std::string(kAclConfig), access.acl);
  // x-amz-bucket-object-lock-enabled: true turns versioning and object lock on for good.
  const bool object_lock =
      to_lower(call.request.headers.get("x-amz-bucket-object-lock-enabled")) == "true";
  Response response = empty_response(200);
  response.headers.add("location", "/" + call.route.bucket);
  if (auto created =
          services.vault.create_bucket(call.route.bucket, call.identity.user_id,
                                    object_lock, std::move(configs));
      !created) {
    // S3's legacy us-east-1 answers the owner's re-creation with success; every other region
    // with BucketAlreadyOwnedByYou.
    if (created.error().code == ErrorCode::kBucketAlreadyOwnedByYou &&
        services.options.region == "us-east-1") {
      return response;
    }
    return fail(created.error());
  }
  return response;
}

Result<Response> head_bucket(const Services& services, Call& call) {
  Response response = empty_response(200);
  response.headers.add("x-amz-bucket-region", services.options.region);
  return response;
}

Result<Response> delete_bucket(const Services& services, Call& call) {
  CV_TRY(services.vault.delete_bucket(call.route.bucket));
  return empty_response(204);
}

Result<Response> get_bucket_location(const Services& services, Call& call) {
  const auto bucket = CV_TRY(services.vault.get_bucket(call.route.bucket));
  const std::string& region = bucket.region.empty() ? services.options.region : bucket.region;
  XmlWriter xml("LocationConstraint");
  // S3 answers an empty constraint for us-east-1.
  if (region != "us-east-1") xml.root().append_child(pugi::node_pcdata).set_value(region.c_str());
  return xml_response(xml.str());
}

Result<Response> get_bucket_versioning(const Services& services, Call& call) {
  const auto state = CV_TRY(services.vault.versioning(call.route.bucket));
  XmlWriter xml("VersioningConfiguration");
  // A bucket that was never configured answers an empty configuration, as S3 does.
  if (state != vault::Versioning::kUnversioned) {
    add_text(xml.root(), "Status", state == vault::Versioning::kEnabled ? "Enabled" : "Suspended");
  }
  return xml_response(xml.str());
}

Result<Response> put_bucket_versioning(const Services& services, Call& call) {
  const std::string body =
      CV_TRY(read_request_document(call.request, call.identity, services.options.max_xml_body,
                                   IntegrityHeader::kOptional));
  pugi::xml_document doc;
  const auto root = CV_TRY(parse_xml(doc, body, "VersioningConfiguration"));
  if (child_text(root, "MfaDelete") == "Enabled") {
    return fail(ErrorCode::kNotImplemented, "MFA delete is not supported");
  }
  const std::string status = child_text(root, "Status");
  if (status != "Enabled" && status != "Suspended") {
    return fail(ErrorCode::kMalformedXML,
                "The XML you provided was not well-formed or did not validate against our "
                "published schema.");
  }
  CV_TRY(services.vault.set_versioning(call.route.bucket, status == "Enabled"
                                                              ? vault::Versioning::kEnabled
                                                              : vault::Versioning::kSuspended));
  return empty_response(200);
}

}  // namespace cv::s3
