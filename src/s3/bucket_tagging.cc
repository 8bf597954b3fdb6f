// Get/Put/DeleteBucketTagging.
#include "s3/call.h"
#include "s3/request_body.h"
#include "s3/xml.h"

namespace cv::s3 {

Result<Response> get_bucket_tagging(const Services& services, Call& call) {
  const auto tags = CV_TRY(services.vault.bucket_tags(call.route.bucket));
  if (!tags) return fail(ErrorCode::kNoSuchTagSet, {}, call.route.bucket);
  XmlWriter xml("Tagging");
  auto set = xml.root().append_child("TagSet");
  for (const auto& [key, value] : *tags) {
    auto tag = set.append_child("Tag");
    add_text(tag, "Key", key);
    add_text(tag, "Value", value);
  }
  return xml_response(xml.str());
}

Result<Response> put_bucket_tagging(const Services& services, Call& call) {
  // S3 requires Content-MD5 (or an x-amz-checksum-*) on PutBucketTagging.
  const std::string body = CV_TRY(read_request_document(
      call.request, call.identity, services.options.max_xml_body, IntegrityHeader::kRequired));
  pugi::xml_document doc;
  const auto root = CV_TRY(parse_xml(doc, body, "Tagging"));
  const auto set = child(root, "TagSet");
  if (!set) return fail(ErrorCode::kMalformedXML);
  meta::StringPairs tags;
  for (auto tag : set.children()) {
    if (local_name(tag) != "Tag") continue;
    if (!child(tag, "Key") || !child(tag, "Value")) return fail(ErrorCode::kMalformedXML);
    tags.emplace_back(child_text(tag, "Key"), child_text(tag, "Value"));
  }
  CV_TRY(services.vault.put_bucket_tags(call.route.bucket, tags));
  return empty_response(204);
}

Result<Response> delete_bucket_tagging(const Services& services, Call& call) {
  CV_TRY(services.vault.delete_bucket_tags(call.route.bucket));
  return empty_response(204);
}

}  // namespace cv::s3
