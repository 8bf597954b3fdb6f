// Get/Put/DeleteObjectTagging.
#include "s3/call.h"
#include "s3/object_headers.h"
#include "s3/xml.h"

namespace cv::s3 {
namespace {

std::string version_param(const Call& call) {
  const std::string* version = find_param(call.request.params, "versionId");
  return version ? *version : "";
}

}  // namespace

Result<Response> get_object_tagging(const Services& services, Call& call) {
  const auto object =
      CV_TRY(services.vault.get_object(call.route.bucket, call.route.key, version_param(call)));
  XmlWriter xml("Tagging");
  auto set = xml.root().append_child("TagSet");
  for (const auto& [key, value] : object.tags) {
    auto tag = set.append_child("Tag");
    add_text(tag, "Key", key);
    add_text(tag, "Value", value);
  }
  return xml_response(xml.str());
}

Result<Response> put_object_tagging(const Services& services, Call& call) {
  const std::string body = CV_TRY(read_all(*call.request.body, services.options.max_xml_body));
  pugi::xml_document doc;
  const auto root = CV_TRY(parse_xml(doc, body, "Tagging"));
  const auto set = child(root, "TagSet");
  if (!set) return fail(ErrorCode::kMalformedXML);
  meta::StringPairs tags;
  for (auto tag : set.children()) {
    if (local_name(tag) != "Tag") continue;
    if (!child(tag, "Key")) return fail(ErrorCode::kMalformedXML);
    tags.emplace_back(child_text(tag, "Key"), child_text(tag, "Value"));
  }
  CV_TRY(validate_tags(tags));
  CV_TRY(
      services.vault.put_object_tags(call.route.bucket, call.route.key, version_param(call), tags));
  return empty_response(200);
}

Result<Response> delete_object_tagging(const Services& services, Call& call) {
  CV_TRY(
      services.vault.put_object_tags(call.route.bucket, call.route.key, version_param(call), {}));
  return empty_response(204);
}

}  // namespace cv::s3
