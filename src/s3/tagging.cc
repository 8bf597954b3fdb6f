// Get/Put/DeleteObjectTagging.
#include "s3/call.h"
#include "s3/request_body.h"
#include "s3/object_headers.h"
#include "s3/xml.h"

namespace cv::s3 {
namespace {

std::string version_param(const Call& call) {
  const std::string* version = find_param(call.request.params, "versionId");
  return version ? *version : "";
}

// Replaces the tag set of the version the request names (the current one by default) and
// answers with that version's id.
Result<Response> replace_tags(const Services& services, Call& call, const meta::StringPairs& tags,
                              int status) {
  const auto object =
      CV_TRY(services.vault.get_object(call.route.bucket, call.route.key, version_param(call)));
  CV_TRY(
      services.vault.put_object_tags(call.route.bucket, call.route.key, object.version_id, tags,
                                     call.origin()));
  Response response = empty_response(status);
  add_version_header(services, call, object.version_id, response.headers);
  return response;
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
  Response response = xml_response(xml.str());
  add_version_header(services, call, object.version_id, response.headers);
  return response;
}

Result<Response> put_object_tagging(const Services& services, Call& call) {
  const std::string body =
      CV_TRY(read_request_document(call.request, call.identity, services.options.max_xml_body,
                                   IntegrityHeader::kOptional));
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
  return replace_tags(services, call, tags, 200);
}

Result<Response> delete_object_tagging(const Services& services, Call& call) {
  return replace_tags(services, call, {}, 204);
}

}  // namespace cv::s3
