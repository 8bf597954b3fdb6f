// What several console routes share: the ownership check and the signing of URLs.
#include "auth/sigv4.h"
#include "console/console_routes.h"
#include "core/encoding.h"

namespace cv::console {

Result<meta::Bucket> owned_bucket(RouteContext& context, std::string_view name) {
  auto bucket = context.vault.get_bucket(name);
  if (!bucket || bucket->owner_id != context.session->user_id) {
    return fail(ErrorCode::kNoSuchBucket, "That bucket does not exist.", std::string(name));
  }
  return bucket;
}

Result<std::string> presigned_url(RouteContext& context, std::string_view method,
                                  std::string_view bucket, std::string_view key, QueryParams query,
                                  std::chrono::seconds expires) {
  auto credentials = CV_TRY(context.credentials.find(context.session->access_key_id));
  if (!credentials) {
    return fail(ErrorCode::kAccessDenied, "Sign in to continue: your session has ended.");
  }
  auth::SigningRequest request;
  request.method = method;
  request.host = std::string(context.request.headers.get("host"));
  request.path = "/" + uri_encode(bucket, false) + "/" + uri_encode(key, false);
  request.query = std::move(query);
  const auth::SigningCredentials signer{credentials->access_key_id, credentials->secret_key,
                                        context.vault.options().region};
  const std::string signed_query =
      auth::presign_query(request, signer, context.vault.clock().now(), expires);
  const std::string scheme = context.options.secure_cookies ? "https://" : "http://";
  return scheme + request.host + request.path + "?" + signed_query;
}

}  // namespace cv::console
