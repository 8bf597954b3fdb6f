// What an S3 request asks permission for, in AWS's terms: the IAM action names and resource
// ARNs of "Actions, resources, and condition keys for Amazon S3". One request may need
// several permissions (PutObject with x-amz-tagging: s3:PutObjectTagging as well). Pure
// functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/http_message.h"
#include "s3/operation.h"

namespace cv::s3 {

struct AccessCheck {
  std::string action;    // "s3:GetObject"
  std::string bucket;    // whose policy, owner and ACLs apply; empty: none (ListBuckets)
  std::string key;       // the object's key for object actions, else empty
  std::string resource;  // "arn:aws:s3:::bucket/key", "arn:aws:s3:::bucket", "arn:aws:s3:::*"
  bool on_object = false;
  // The version the request names (versionId), for s3:ExistingObjectTag; empty: the current one.
  std::string version_id;
  // The action whose ACL permission admits this check when no policy decides it; empty: the
  // check's own. A write that creates an object also sets its ACL, tags and lock, which its
  // writer (the new object's owner) may do wherever the bucket's ACL lets it write.
  std::string acl_action;
};

// "arn:aws:s3:::bucket" and "arn:aws:s3:::bucket/key" (the key as it is, not encoded).
std::string bucket_arn(std::string_view bucket);
std::string object_arn(std::string_view bucket, std::string_view key);

// The permissions `route` needs on its own bucket, the first one being the operation's own.
// Empty for routes the authorizer does not check before the handler (Access::kAnonymous)
// and for DeleteObjects. Checked by their handlers instead: DeleteObjects' per key
// (s3:DeleteObject / s3:DeleteObjectVersion), a copy's source (s3:GetObject /
// s3:GetObjectVersion), a POST form's s3:PutObject.
std::vector<AccessCheck> access_checks(const Route& route, const Request& request);

// The check for one object action ("s3:DeleteObject", ...).
AccessCheck object_check(std::string_view action, std::string_view bucket, std::string_view key,
                         std::string_view version_id = {});

}  // namespace cv::s3
