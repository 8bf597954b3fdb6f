#include "app/console_gate.h"

namespace cv::app {

ConsoleGate::ConsoleGate(const s3::S3Api& s3, auth::CredentialStore& credentials)
    : s3_(s3), credentials_(credentials) {}

Result<console::AccessVerdict> ConsoleGate::decide(std::string_view access_key_id,
                                                   const Request& request,
                                                   const console::AccessRequest& asked) {
  auto credentials = CV_TRY(credentials_.find(access_key_id));
  if (!credentials) {
    return fail(ErrorCode::kAccessDenied, "Sign in to continue: your session has ended.");
  }
  // The caller as the signature verifier would have it for a request signed with this key.
  auth::Identity identity;
  identity.anonymous = false;
  identity.access_key_id = credentials->access_key_id;
  identity.user_id = credentials->user_id;
  identity.user_name = credentials->user_name;
  identity.is_root = credentials->is_root;
  identity.session = credentials->expires_ns != 0;
  identity.session_expires_ns = credentials->expires_ns;
  identity.role_name = credentials->role_name;
  identity.role_id = credentials->role_id;
  identity.session_name = credentials->session_name;
  identity.session_policy = credentials->session_policy;
  const s3::PermissionQuery query{asked.action,     asked.bucket, asked.key,
                                  asked.version_id, asked.prefix, asked.delimiter};
  auto answer = CV_TRY(s3_.decide_permission(identity, request, query));
  return console::AccessVerdict{answer.allowed, std::move(answer.denial)};
}

}  // namespace cv::app
