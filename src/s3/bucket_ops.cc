// ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation, GetBucketVersioning.
#include "core/byte_source.h"
#include "core/clock.h"
#include "core/encoding.h"
#include "s3/call.h"
#include "s3/request_body.h"
#include "s3/xml.h"

namespace cv::s3 {

Result<Response> list_buckets(const Services& services, Call& call) {
  const auto buckets = CV_TRY(services.vault.list_buckets(call.identity.user_id));
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
      return fail(ErrorCode::kInvalidArgument /* S3: IllegalLocationConstraintException */,
                  "The " + location +
                      " location constraint is incompatible for the region "
                      "specific endpoint this request was sent to.");
    }
  }
  // x-amz-bucket-object-lock-enabled: true turns versioning and object lock on for good.
  const bool object_lock =
      to_lower(call.request.headers.get("x-amz-bucket-object-lock-enabled")) == "true";
  CV_TRY(services.vault.create_bucket(call.route.bucket, call.identity.user_id, object_lock));
  Response response = empty_response(200);
  response.headers.add("location", "/" + call.route.bucket);
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
  XmlWriter xml("LocationConstraint");
  // S3 answers an empty constraint for us-east-1.
  if (services.options.region != "us-east-1") {
    xml.root().append_child(pugi::node_pcdata).set_value(services.options.region.c_str());
  }
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
