// Buckets: the signed-in user's, with their object counts, sizes and versioning; create; delete
// when empty; turn versioning on or suspend it.
#include <boost/json.hpp>

#include "console/console_routes.h"
#include "console/json_reply.h"
#include "core/clock.h"

namespace cv::console {

Response list_buckets(RouteContext& context) {
  // As ListBuckets: the user's own buckets, to whoever may s3:ListAllMyBuckets.
  if (auto allowed = permit(context, AccessRequest{.action = "s3:ListAllMyBuckets"}); !allowed) {
    return json_error(allowed.error());
  }
  auto buckets = context.vault.list_buckets(context.session->user_id);
  if (!buckets) return json_error(buckets.error());
  boost::json::array out;
  for (const meta::Bucket& bucket : *buckets) {
    auto usage = context.vault.bucket_usage(bucket.name);
    if (!usage) return json_error(usage.error());
    auto versioning = context.vault.versioning(bucket.name);
    if (!versioning) return json_error(versioning.error());
    out.push_back({{"name", bucket.name},
                   {"created", format_iso8601(from_unix_nanos(bucket.created_ns))},
                   {"objects", usage->objects},
                   {"bytes", usage->bytes},
                   {"versioning", versioning_name(*versioning)}});
  }
  return json_reply(boost::json::object{{"buckets", std::move(out)}});
}

Response create_bucket(RouteContext& context) {
  auto body = read_json_object(context.request, context.options.max_json_body);
  if (!body) return json_error(400, "InvalidRequest", body.error().message);
  auto name = string_member(*body, "name");
  if (!name) return json_error(400, "InvalidRequest", name.error().message);
  if (auto allowed = permit_bucket(context, "s3:CreateBucket", *name); !allowed) {
    return json_error(allowed.error());
  }
  if (auto created = context.vault.create_bucket(*name, context.session->user_id); !created) {
    if (created.error().code == ErrorCode::kInvalidBucketName) {
      return json_error(400, "InvalidBucketName",
                        "Bucket names have 3 to 63 characters: lowercase letters, digits, dots "
                        "and hyphens, starting and ending with a letter or digit.");
    }
    return json_error(created.error());
  }
  return json_reply(boost::json::object{{"name", *name}}, 201);
}

Response delete_bucket(RouteContext& context, std::string_view bucket) {
  if (auto allowed = permit_bucket(context, "s3:DeleteBucket", bucket); !allowed) {
    return json_error(allowed.error());
  }
  if (auto deleted = context.vault.delete_bucket(bucket); !deleted) {
    if (deleted.error().code == ErrorCode::kBucketNotEmpty) {
      return json_error(409, "BucketNotEmpty",
                        "Only an empty bucket can be deleted: delete its objects first.");
    }
    return json_error(deleted.error());
  }
  Response response;
  response.status = 204;
  return response;
}

Response set_bucket_versioning(RouteContext& context, std::string_view bucket) {
  auto body = read_json_object(context.request, context.options.max_json_body);
  if (!body) return json_error(400, "InvalidRequest", body.error().message);
  auto status = string_member(*body, "status");
  if (!status || (*status != "Enabled" && *status != "Suspended")) {
    return json_error(400, "InvalidRequest",
                      "Versioning is either \"Enabled\" or \"Suspended\" (once on, it can be "
                      "suspended but not turned off).");
  }
  if (auto allowed = permit_bucket(context, "s3:PutBucketVersioning", bucket); !allowed) {
    return json_error(allowed.error());
  }
  const auto state = *status == "Enabled" ? vault::Versioning::kEnabled
                                          : vault::Versioning::kSuspended;
  if (auto set = context.vault.set_versioning(bucket, state); !set) return json_error(set.error());
  return json_reply(boost::json::object{{"name", bucket}, {"versioning", *status}});
}

}  // namespace cv::console
