// DeleteObject and DeleteObjects.
#include "s3/access_checks.h"
#include "s3/acl_admission.h"
#include "s3/authorizer.h"
#include "s3/call.h"
#include "s3/object_lock_headers.h"
#include "s3/request_body.h"
#include "s3/xml.h"

namespace cv::s3 {

Result<Response> delete_object(const Services& services, Call& call) {
  const std::string* version = find_param(call.request.params, "versionId");
  const auto outcome = CV_TRY(
      services.vault.delete_object(call.route.bucket, call.route.key, version ? *version : "",
                                   call.origin(), bypass_governance_requested(services, call)));
  Response response = empty_response(204);
  if (outcome.delete_marker) response.headers.add("x-amz-delete-marker", "true");
  if (version || outcome.delete_marker) {
    add_version_header(services, call, outcome.version_id, response.headers);
  }
  return response;
}

Result<Response> delete_objects(const Services& services, Call& call) {
  CV_TRY(route_bucket_state(services, call));
  const std::string body =
      CV_TRY(read_request_document(call.request, call.identity, services.options.max_xml_body,
                                   IntegrityHeader::kRequired));
  pugi::xml_document doc;
  const auto root = CV_TRY(parse_xml(doc, body, "Delete"));
  const bool quiet = child_text(root, "Quiet") == "true";
  struct Target {
    std::string key;
    std::string version_id;
  };
  std::vector<Target> targets;
  for (auto node : root.children()) {
    if (local_name(node) != "Object") continue;
    const auto key_node = child(node, "Key");
    if (!key_node) return fail(ErrorCode::kMalformedXML);
    targets.push_back({key_node.text().get(), child_text(node, "VersionId")});
  }
  if (targets.empty() || targets.size() > 1000) return fail(ErrorCode::kMalformedXML);

  XmlWriter xml("DeleteResult");
  const bool bypass_governance = bypass_governance_requested(services, call);
  for (const auto& target : targets) {
    // Each key is authorized on its own, as on S3: a denied key is an <Error> entry.
    const auto allowed = authorize_with_acls(
        services, call,
        object_check(target.version_id.empty() ? "s3:DeleteObject" : "s3:DeleteObjectVersion",
                     call.route.bucket, target.key, target.version_id));
    auto outcome = allowed ? services.vault.delete_object(call.route.bucket, target.key,
                                                          target.version_id, call.origin(),
                                                          bypass_governance)
                           : Result<meta::DeleteOutcome>(fail(allowed.error()));
    if (outcome) {
      if (quiet) continue;
      auto deleted = xml.root().append_child("Deleted");
      add_text(deleted, "Key", target.key);
      if (!target.version_id.empty()) add_text(deleted, "VersionId", target.version_id);
      if (outcome->delete_marker) {
        add_text(deleted, "DeleteMarker", "true");
        add_text(deleted, "DeleteMarkerVersionId", outcome->version_id);
      }
    } else {
      auto error = xml.root().append_child("Error");
      add_text(error, "Key", target.key);
      if (!target.version_id.empty()) add_text(error, "VersionId", target.version_id);
      add_text(error, "Code", error_code_name(outcome.error().code));
      add_text(error, "Message",
               outcome.error().message.empty() ? error_default_message(outcome.error().code)
                                               : outcome.error().message);
    }
  }
  return xml_response(xml.str());
}

}  // namespace cv::s3
