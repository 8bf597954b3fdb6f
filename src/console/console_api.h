// The console's JSON API under /_console/api/: sign-in sessions and the operations the web
// console needs, as calls on the vault (never the S3 XML layer).
//
// Sessions: POST session with {"accessKeyId","secretAccessKey"} sets an HttpOnly,
// SameSite=Strict cookie and answers the CSRF token; every other request needs that cookie
// (401 otherwise), and every state-changing one (POST/PUT/PATCH/DELETE) also the CSRF token
// in X-CSRF-Token and, when the browser sends an Origin, one that matches the Host (403
// otherwise). Errors are {"error":{"code":...,"message":...}} with a message a person can act
// on. Failed sign-ins are throttled per access key and per client address (sign_in_throttle.h):
// while locked out, POST session answers 429 TooManySignIns with Retry-After and does not
// check the secret. Thread-safe: handle() runs on many worker threads at once.
#pragma once

#include <string>

#include "audit/request_capture.h"
#include "auth/credentials.h"
#include "console/access_gate.h"
#include "console/destination_catalog.h"
#include "console/folder_listing.h"
#include "console/session_store.h"
#include "console/sign_in_throttle.h"
#include "console/thumbnailer.h"
#include "core/http_message.h"
#include "iam/iam_directory.h"
#include "iam/user_directory.h"
#include "vault/vault.h"

namespace cv::console {

inline constexpr std::string_view kApiPrefix = "/_console/api/";
inline constexpr std::string_view kSessionCookie = "cv_session";

class ActivityReports;    // console/activity_reports.h
class OperationsReports;  // console/operations_reports.h

struct ConsoleOptions {
  // Adds Secure to the session cookie and makes the console's pre-signed URLs https:// for
  // every request (set when a proxy in front terminates HTTPS); requests that came over
  // the server's own TLS (Request::secure) get both anyway.
  bool secure_cookies = false;
  size_t max_json_body = 64 * 1024;
  SignInThrottlePolicy sign_in_throttle;
  // The notification targets and replication remotes a bucket's rules may name; null: none.
  // Must outlive the ConsoleApi.
  const DestinationCatalog* destinations = nullptr;
  // The audit trail: every call yields one record (console/console_audit.h), handed to
  // audit.sink after its response was sent. No sink: nothing is recorded.
  audit::CaptureOptions audit;
  std::string region = "us-east-1";  // the records' awsRegion
  // The activity pages' data (console/activity_reports.h); null: no activity routes (404).
  // Must outlive the ConsoleApi.
  ActivityReports* activity = nullptr;
  // The Dashboard page's data (console/operations_reports.h); null: operations/ routes
  // answer 404. Must outlive the ConsoleApi.
  OperationsReports* operations = nullptr;
  // Whether the sign-in (a secret in the body) is served over plain HTTP; refused otherwise
  // with 403 InsecureTransport.
  PlainHttpSecrets plain_http_secrets = PlainHttpSecrets::kLoopback;
  // IAM (issue 14): the Users, Policies and access-key pages' routes (iam/..., keys/...)
  // call these; null: those routes answer 404 IamOff. Both must outlive the ConsoleApi.
  iam::IamDirectory* iam = nullptr;
  iam::UserDirectory* users = nullptr;
  // Decides every bucket and object route's permission as the S3 API would (issue 14);
  // null: the bucket's owner alone may use it (others get NoSuchBucket). Must outlive the
  // ConsoleApi.
  AccessGate* access = nullptr;
};

class ConsoleApi final : public RequestHandler {
 public:
  ConsoleApi(vault::Vault& vault, auth::CredentialStore& credentials, SessionStore& sessions,
             ThumbnailCache& thumbnails, ConsoleOptions options = {});

  // Whether the request's path is under kApiPrefix.
  static bool owns(const Request& request);
  // With an audit sink, the Response carries the call's record in Response::on_complete:
  // whoever sends it must call that (http::Server does).
  Response handle(Request& request) override;

 private:
  // Serves the call; fills `record` (when the trail is on) with who made it, and `denial`
  // with the reason a permission was refused.
  Response serve(Request& request, audit::AuditEvent* record, std::string& denial);

  vault::Vault& vault_;
  auth::CredentialStore& credentials_;
  SessionStore& sessions_;
  ThumbnailCache& thumbnails_;
  ConsoleOptions options_;
  FolderSnapshots listings_;        // sorted folder levels being paged through
  SignInThrottle sign_ins_;         // failed sign-ins per access key and client address
  NoDestinations no_destinations_;  // used when options_.destinations is null
};

}  // namespace cv::console
