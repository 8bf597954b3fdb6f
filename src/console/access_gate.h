// Who may do what through the console: every route that reads or changes a bucket or an
// object asks the gate for the AWS action the same operation has on the S3 API
// (docs/PERMISSIONS.md, "The console"), so the console decides exactly as S3 does. The
// console layer knows the question, not the policies: the server's gate (app/console_gate.h)
// answers it with the S3 authorizer.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/http_message.h"

namespace cv::console {

// One permission a console call needs, in AWS's terms.
struct AccessRequest {
  std::string action;      // "s3:GetObject", "s3:ListBucket", "s3:CreateBucket", ...
  std::string bucket;      // empty only for s3:ListAllMyBuckets
  std::string key;         // an object action's key; empty for a bucket action
  std::string version_id;  // the version an object action names; empty: the current one
  // A listing's s3:prefix and s3:delimiter condition keys; absent: the listing has none.
  std::optional<std::string> prefix;
  std::optional<std::string> delimiter;
};

struct AccessVerdict {
  bool allowed = false;
  // Why it was refused, for the server log and the audit record's errorMessage; the page
  // sees only that access was denied.
  std::string denial;
};

// Thread-safe: decide() is called from many worker threads at once. May block (reads the
// caller's policies and the bucket's settings).
class AccessGate {
 public:
  virtual ~AccessGate() = default;
  // Whether the owner of `access_key_id` (the session's key) may do `asked`, with the global
  // condition keys of `request` (client address, TLS, user agent). A refusal is a verdict,
  // not an error. Errors: NoSuchBucket when the bucket does not exist (except
  // s3:CreateBucket); NoSuchKey / NoSuchVersion for a missing object when the caller may
  // list the bucket; AccessDenied when the key is gone; storage failures.
  virtual Result<AccessVerdict> decide(std::string_view access_key_id, const Request& request,
                                       const AccessRequest& asked) = 0;
};

}  // namespace cv::console
