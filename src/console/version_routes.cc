// Versions: making an older version of an object the current one again.
#include <boost/json.hpp>

#include "console/console_routes.h"
#include "console/json_reply.h"

namespace cv::console {

Response restore_version(RouteContext& context) {
  auto body = read_json_object(context.request, context.options.max_json_body);
  if (!body) return json_error(400, "InvalidRequest", body.error().message);
  auto bucket = string_member(*body, "bucket");
  auto key = string_member(*body, "key");
  auto version_id = string_member(*body, "versionId");
  if (!bucket || !key || !version_id || version_id->empty()) {
    return json_error(400, "InvalidRequest", "Give a bucket, a key and the versionId to restore.");
  }
  // As S3's CopyObject of ?versionId onto its own key: GetObjectVersion and PutObject.
  if (auto allowed = permit_object(context, "s3:GetObjectVersion", *bucket, *key, *version_id);
      !allowed) {
    return json_error(allowed.error());
  }
  if (auto allowed = permit_object(context, "s3:PutObject", *bucket, *key); !allowed) {
    return json_error(allowed.error());
  }
  // get_version (not get_object) so that a delete marker gets its own answer.
  auto source = context.vault.get_version(*bucket, *key, *version_id);
  if (!source) return json_error(source.error());
  if (source->is_delete_marker) {
    return json_error(400, "InvalidRequest", "A delete marker has no content to restore.");
  }
  if (source->encryption.mode == meta::EncryptionMode::kCustomer) {
    return json_error(409, "CustomerKeyRequired",
                      "This version is encrypted with a key only its owner holds; restore it "
                      "with an S3 copy that brings the key.");
  }
  // As S3's CopyObject of ?versionId onto its own key.
  auto restored = copy_as_new_version(context, *source, *key);
  if (!restored) return json_error(restored.error());
  return json_reply(boost::json::object{
      {"key", *key}, {"etag", restored->object.etag}, {"versionId", restored->object.version_id}});
}

}  // namespace cv::console
