// What several console routes share: the permission check and the signing of URLs.
#include "auth/sigv4.h"
#include "console/console_routes.h"
#include "core/encoding.h"
#include "vault/storage_class.h"

namespace cv::console {

vault::ChangeOrigin change_origin(const RouteContext& context) {
  return {context.session ? context.session->user_id : std::string(),
          context.request.remote_address, context.request.request_id};
}

std::string_view versioning_name(vault::Versioning state) {
  switch (state) {
    case vault::Versioning::kEnabled:
      return "Enabled";
    case vault::Versioning::kSuspended:
      return "Suspended";
    case vault::Versioning::kUnversioned:
      break;
  }
  return "Off";
}

namespace {

// The gate's verdict, or without a gate the ownership rule's.
Result<AccessVerdict> verdict_of(RouteContext& context, const AccessRequest& asked) {
  const bool names_bucket = !asked.bucket.empty() && asked.action != "s3:CreateBucket";
  auto no_such_bucket = [&] {
    return fail(ErrorCode::kNoSuchBucket, "That bucket does not exist.", asked.bucket);
  };
  if (!context.options.access) {
    if (!names_bucket) return AccessVerdict{true, {}};
    auto bucket = context.vault.get_bucket(asked.bucket);
    if (!bucket || bucket->owner_id != context.session->user_id) return no_such_bucket();
    return AccessVerdict{true, {}};
  }
  auto verdict =
      context.options.access->decide(context.session->access_key_id, context.request, asked);
  if (!verdict && verdict.error().code == ErrorCode::kNoSuchBucket) return no_such_bucket();
  return verdict;
}

// What the page shows for a refusal: the missing permission, not the policy that refused it.
std::string refusal_message(const AccessRequest& asked) {
  if (asked.bucket.empty()) {
    return "You do not have permission for " + asked.action + ". Ask an administrator to allow it.";
  }
  return "You do not have permission for " + asked.action +
         (asked.key.empty() ? " on this bucket" : " on this object") +
         ". Ask the bucket's owner or an administrator to allow it.";
}

}  // namespace

Result<bool> may(RouteContext& context, const AccessRequest& asked) {
  return CV_TRY(verdict_of(context, asked)).allowed;
}

Status permit(RouteContext& context, const AccessRequest& asked) {
  AccessVerdict verdict = CV_TRY(verdict_of(context, asked));
  if (verdict.allowed) return {};
  if (context.denial) *context.denial = std::move(verdict.denial);
  return fail(ErrorCode::kAccessDenied, refusal_message(asked), asked.bucket);
}

Status permit_bucket(RouteContext& context, std::string_view action, std::string_view bucket) {
  return permit(context,
                AccessRequest{.action = std::string(action), .bucket = std::string(bucket)});
}

Status permit_object(RouteContext& context, std::string_view action, std::string_view bucket,
                     std::string_view key, std::string_view version_id) {
  return permit(context, AccessRequest{.action = std::string(action),
                                       .bucket = std::string(bucket),
                                       .key = std::string(key),
                                       .version_id = std::string(version_id)});
}

Status validate_browser_key(std::string_view key) {
  CV_TRY(vault::validate_key(key));
  size_t start = 0;
  while (start <= key.size()) {
    const size_t end = std::min(key.find('/', start), key.size());
    const std::string_view segment = key.substr(start, end - start);
    if (segment == "." || segment == "..") {
      return fail(ErrorCode::kInvalidArgument,
                  "Names with \".\" or \"..\" as a folder level cannot be used from the browser, "
                  "which would resolve them in the link. Rename that part.",
                  std::string(key));
    }
    start = end + 1;
  }
  return {};
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
  // The URL goes where the page came from: https when the console was reached over TLS.
  const bool https = context.options.secure_cookies || context.request.secure;
  const std::string scheme = https ? "https://" : "http://";
  return scheme + request.host + request.path + "?" + signed_query;
}

Result<vault::CopiedObject> copy_as_new_version(RouteContext& context,
                                                const meta::ObjectVersion& source,
                                                std::string_view key) {
  vault::CopyObjectRequest request;
  // This very version, even when another became current meanwhile.
  request.source.bucket = source.bucket;
  request.source.key = source.key;
  request.source.version_id = source.version_id;
  request.bucket = source.bucket;
  request.key = std::string(key);
  request.attributes.owner_id = context.session->user_id;
  // The source's class, but a copy of an archived one comes back readable (STANDARD).
  const auto storage_class = vault::parse_storage_class(source.storage_class);
  if (storage_class && !vault::is_archive(*storage_class)) {
    request.storage_class = source.storage_class;
  }
  if (source.encryption.mode == meta::EncryptionMode::kS3) {
    request.encryption.mode = meta::EncryptionMode::kS3;
  }
  return context.vault.copy_object(request, change_origin(context));
}

}  // namespace cv::console
