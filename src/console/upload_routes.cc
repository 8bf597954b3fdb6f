// Uploads from the browser: the page (Uppy's AWS S3 plugin) asks this route to sign each S3
// request of an upload, then sends it straight to the S3 endpoint, bytes and all. Only the
// requests an upload needs are signed; anything else is refused, so a stolen session cannot
// turn this into a general signer.
#include <boost/json.hpp>

#include "console/console_routes.h"
#include "console/json_reply.h"

namespace cv::console {
namespace {

constexpr std::chrono::seconds kUploadUrlLifetime{3600};

// The S3 request an upload step is, named by Uppy's method and whether an upload id and a part
// number come with it.
enum class UploadStep { kPutObject, kCreate, kUploadPart, kListParts, kComplete, kAbort };

Result<UploadStep> step_of(std::string_view method, bool has_upload_id, bool has_part) {
  if (method == "PUT" && !has_upload_id && !has_part) return UploadStep::kPutObject;
  if (method == "POST" && !has_upload_id && !has_part) return UploadStep::kCreate;
  if (method == "PUT" && has_upload_id && has_part) return UploadStep::kUploadPart;
  if (method == "GET" && has_upload_id && !has_part) return UploadStep::kListParts;
  if (method == "POST" && has_upload_id && !has_part) return UploadStep::kComplete;
  if (method == "DELETE" && has_upload_id && !has_part) return UploadStep::kAbort;
  return fail(ErrorCode::kInvalidArgument,
              "Only the requests of an upload can be signed here: PUT an object, or create, "
              "send a part of, list, complete or abort a multipart upload.");
}

// The permission the step's S3 request needs.
std::string_view action_of(UploadStep step) {
  switch (step) {
    case UploadStep::kListParts:
      return "s3:ListMultipartUploadParts";
    case UploadStep::kAbort:
      return "s3:AbortMultipartUpload";
    case UploadStep::kPutObject:
    case UploadStep::kCreate:
    case UploadStep::kUploadPart:
    case UploadStep::kComplete:
      break;
  }
  return "s3:PutObject";
}

}  // namespace

Response sign_upload_request(RouteContext& context) {
  auto body = read_json_object(context.request, context.options.max_json_body);
  if (!body) return json_error(400, "InvalidRequest", body.error().message);
  auto bucket = string_member(*body, "bucket");
  auto key = string_member(*body, "key");
  auto method = string_member(*body, "method");
  if (!bucket || !key || !method) {
    return json_error(400, "InvalidRequest", "Give the bucket, the key and the method to sign.");
  }
  std::string upload_id;
  if (const boost::json::value* given = body->if_contains("uploadId"); given && !given->is_null()) {
    if (!given->is_string() || given->get_string().empty()) {
      return json_error(400, "InvalidRequest", "uploadId must be the id S3 gave the upload.");
    }
    upload_id = std::string(given->get_string());
  }
  int64_t part_number = 0;
  if (const boost::json::value* given = body->if_contains("partNumber");
      given && !given->is_null()) {
    if (!given->is_int64() || given->get_int64() < 1 || given->get_int64() > 10000) {
      return json_error(400, "InvalidRequest", "partNumber must be a number from 1 to 10000.");
    }
    part_number = given->get_int64();
  }
  auto step = step_of(*method, !upload_id.empty(), part_number != 0);
  if (!step) return json_error(400, "InvalidRequest", step.error().message);
  if (auto valid = validate_browser_key(*key); !valid) return json_error(valid.error());
  if (auto allowed = permit_object(context, action_of(*step), *bucket, *key); !allowed) {
    return json_error(allowed.error());
  }

  QueryParams query;
  switch (*step) {
    case UploadStep::kPutObject:
      break;
    case UploadStep::kCreate:
      query.emplace_back("uploads", "");
      break;
    case UploadStep::kUploadPart:
      query.emplace_back("partNumber", std::to_string(part_number));
      query.emplace_back("uploadId", upload_id);
      break;
    case UploadStep::kListParts:
    case UploadStep::kComplete:
    case UploadStep::kAbort:
      query.emplace_back("uploadId", upload_id);
      break;
  }
  auto url =
      presigned_url(context, *method, *bucket, *key, std::move(query), kUploadUrlLifetime);
  if (!url) return signed_out(url.error());
  return json_reply(boost::json::object{{"url", *url}});
}

}  // namespace cv::console
