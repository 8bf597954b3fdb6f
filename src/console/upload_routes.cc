// Multipart uploads for the browser (what Uppy's AWS S3 plugin asks its server for): the
// upload is created, completed, aborted and listed here; every part goes from the browser to
// the S3 endpoint over a pre-signed PUT this API signs.
#include <boost/json.hpp>

#include "auth/sigv4.h"
#include "console/console_routes.h"
#include "console/json_reply.h"
#include "core/encoding.h"

namespace cv::console {
namespace {

constexpr std::chrono::seconds kPartUrlLifetime{3600};

struct UploadTarget {
  std::string bucket;
  std::string key;
  std::string upload_id;  // empty for create
};

// bucket and key (and uploadId unless creating) from the body, the bucket owned by the user.
Result<UploadTarget> target_of(RouteContext& context, const boost::json::object& body,
                               bool needs_upload_id) {
  UploadTarget target;
  target.bucket = CV_TRY(string_member(body, "bucket"));
  target.key = CV_TRY(string_member(body, "key"));
  if (needs_upload_id) target.upload_id = CV_TRY(string_member(body, "uploadId"));
  CV_TRY(vault::validate_key(target.key));
  CV_TRY(owned_bucket(context, target.bucket));
  return target;
}

Response refused(const Error& error) {
  if (error.code == ErrorCode::kInvalidArgument && error.resource.empty()) {
    return json_error(400, "InvalidRequest", error.message);
  }
  return json_error(error);
}

}  // namespace

Response create_upload(RouteContext& context) {
  auto body = read_json_object(context.request, context.options.max_json_body);
  if (!body) return json_error(400, "InvalidRequest", body.error().message);
  auto target = target_of(context, *body, false);
  if (!target) return refused(target.error());
  meta::ObjectVersion attributes;
  attributes.owner_id = context.session->user_id;
  if (const boost::json::value* type = body->if_contains("contentType");
      type && type->is_string()) {
    attributes.content_type = std::string(type->get_string());
  }
  auto upload = context.vault.create_upload(target->bucket, target->key, attributes);
  if (!upload) return json_error(upload.error());
  return json_reply(boost::json::object{{"uploadId", upload->upload_id}, {"key", target->key}},
                    201);
}

Response sign_part(RouteContext& context) {
  auto body = read_json_object(context.request, context.options.max_json_body);
  if (!body) return json_error(400, "InvalidRequest", body.error().message);
  auto target = target_of(context, *body, true);
  if (!target) return refused(target.error());
  const boost::json::value* number = body->if_contains("partNumber");
  if (!number || !number->is_int64() || number->get_int64() < 1 || number->get_int64() > 10000) {
    return json_error(400, "InvalidRequest", "partNumber must be a number from 1 to 10000.");
  }
  if (auto upload = context.vault.get_upload(target->bucket, target->key, target->upload_id);
      !upload) {
    return json_error(upload.error());
  }
  QueryParams query{{"partNumber", std::to_string(number->get_int64())},
                    {"uploadId", target->upload_id}};
  auto url = presigned_url(context, "PUT", target->bucket, target->key, std::move(query),
                           kPartUrlLifetime);
  if (!url) return signed_out(url.error());
  return json_reply(boost::json::object{{"url", *url}});
}

Response complete_upload(RouteContext& context) {
  auto body = read_json_object(context.request, context.options.max_json_body);
  if (!body) return json_error(400, "InvalidRequest", body.error().message);
  auto target = target_of(context, *body, true);
  if (!target) return refused(target.error());
  const boost::json::value* parts = body->if_contains("parts");
  if (!parts || !parts->is_array() || parts->as_array().empty()) {
    return json_error(400, "InvalidRequest", "Give the parts: [{\"PartNumber\",\"ETag\"}, ...].");
  }
  std::vector<vault::CompletedPart> completed;
  for (const boost::json::value& part : parts->as_array()) {
    const boost::json::object* fields = part.if_object();
    const boost::json::value* number = fields ? fields->if_contains("PartNumber") : nullptr;
    const boost::json::value* etag = fields ? fields->if_contains("ETag") : nullptr;
    if (!number || !number->is_int64() || number->get_int64() < 1 || number->get_int64() > 10000 ||
        !etag || !etag->is_string()) {
      return json_error(400, "InvalidRequest", "Each part needs a PartNumber and an ETag.");
    }
    completed.push_back(vault::CompletedPart{
        static_cast<uint32_t>(number->get_int64()), std::string(etag->get_string()), {}});
  }
  auto object =
      context.vault.complete_upload(target->bucket, target->key, target->upload_id, completed);
  if (!object) return json_error(object.error());
  return json_reply(boost::json::object{
      {"key", target->key}, {"etag", "\"" + object->etag + "\""}, {"size", object->size}});
}

Response abort_upload(RouteContext& context) {
  auto body = read_json_object(context.request, context.options.max_json_body);
  if (!body) return json_error(400, "InvalidRequest", body.error().message);
  auto target = target_of(context, *body, true);
  if (!target) return refused(target.error());
  if (auto aborted = context.vault.abort_upload(target->bucket, target->key, target->upload_id);
      !aborted) {
    return json_error(aborted.error());
  }
  Response response;
  response.status = 204;
  return response;
}

Response list_upload_parts(RouteContext& context) {
  auto body = read_json_object(context.request, context.options.max_json_body);
  if (!body) return json_error(400, "InvalidRequest", body.error().message);
  auto target = target_of(context, *body, true);
  if (!target) return refused(target.error());
  boost::json::array out;
  uint32_t marker = 0;
  for (;;) {
    auto page =
        context.vault.list_parts(target->bucket, target->key, target->upload_id, marker, 1000);
    if (!page) return json_error(page.error());
    for (const meta::Part& part : page->parts) {
      out.push_back(boost::json::object{{"PartNumber", part.part_number},
                                        {"ETag", "\"" + part.etag + "\""},
                                        {"Size", part.size}});
    }
    if (!page->truncated) break;
    marker = page->next_part_number_marker;
  }
  return json_reply(boost::json::object{{"parts", std::move(out)}});
}

}  // namespace cv::console
