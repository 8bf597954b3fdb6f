// The S3 protocol front-end: routes a request, verifies its signature, checks access, calls
// the vault and encodes the reply (XML bodies, S3 headers, S3 error documents).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "audit/request_capture.h"
#include "auth/credentials.h"
#include "auth/sigv4.h"
#include "core/clock.h"
#include "core/http_message.h"
#include "iam/caller_policies.h"
#include "s3/owner_directory.h"
#include "vault/vault.h"

namespace cv::s3 {

// The access-control defaults of new buckets ([access] in the configuration).
struct AccessDefaults {
  // A new bucket's Object Ownership (s3/object_ownership.h) unless CreateBucket names one in
  // x-amz-object-ownership: "BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter".
  std::string object_ownership = "BucketOwnerEnforced";
  // Whether a new bucket's Block Public Access settings are all on (for Block Public Access).
  bool block_public_access = true;
};

struct S3Options {
  // The targets notification configurations may name; not owned, must outlive the S3Api.
  // Null: none configured, every configuration naming a target is refused (unless the
  // request skips destination validation).
  const vault::NotificationTargetCatalog* notification_targets = nullptr;
  std::string region = "us-east-1";
  std::string account_id;             // the account policies name ("123456789012")
  std::string domain;                 // virtual-hosted-style base domain; empty: path only
  size_t max_xml_body = 1024 * 1024;  // request XML documents larger than this are refused
  // The remote S3 endpoints replication rules may name (<Account>); not owned, must outlive
  // the S3Api. Null: none configured, every remote destination is refused.
  const vault::ReplicationRemoteCatalog* replication_remotes = nullptr;
  // The audit trail: every request (routed or not, denied, failed or served) yields one
  // record, handed to audit.sink after its response was sent (s3/request_audit.h), except
  // data events on audit.trail_bucket. No sink: nothing is recorded.
  audit::CaptureOptions audit;
  // Whether SSE-C requests (customer keys in headers) are served over plain HTTP; refused
  // otherwise with 400 InvalidRequest, as AWS refuses SSE-C without TLS.
  PlainHttpSecrets plain_http_secrets = PlainHttpSecrets::kLoopback;
  // Accept AWS Signature Version 2 (auth/sigv2.h); false: refused with InvalidRequest
  // "Please use AWS4-HMAC-SHA256".
  bool sigv2 = true;
  AccessDefaults access;
};

// One permission asked for outside an S3 request (the web console's calls), in AWS's terms.
struct PermissionQuery {
  std::string action;      // "s3:GetObject", "s3:ListBucket", "s3:CreateBucket", ...
  std::string bucket;      // empty only for s3:ListAllMyBuckets
  std::string key;         // an object action's key; empty: a bucket action
  std::string version_id;  // the version an object action names (s3:versionid); empty: current
  // A listing's s3:prefix and s3:delimiter (s3:ListBucket, s3:ListBucketVersions); absent:
  // the listing has none.
  std::optional<std::string> prefix;
  std::optional<std::string> delimiter;
};

struct PermissionAnswer {
  bool allowed = false;
  // Why it was refused ("s3:DeleteObject on arn:... for arn:...: denied by ..."), for the log
  // and the audit trail, never for the client.
  std::string denial;
};

// Thread-safe: handle() is called from many worker threads at once. With an audit sink, the
// Response handle() returns carries the request's record in Response::on_complete: whoever
// sends it must call that (http::Server does).
class S3Api final : public RequestHandler {
 public:
  // Every reference must outlive the S3Api.
  S3Api(vault::Vault& vault, auth::CredentialStore& credentials, OwnerDirectory& owners,
        iam::CallerPolicySource& callers, const Clock& clock, S3Options options);
  ~S3Api() override;
  Response handle(Request& request) override;

  // Decides `query` for `identity` (a verified, not anonymous, caller) exactly as handle()
  // decides an S3 request's permission: the policies (identity, bucket, session) through
  // the one evaluator, the ownership rules, then the ACLs (s3/acl_admission.h). The global
  // condition keys come from `request` (client address, TLS, user agent, referer), the
  // listing keys from `query`. A refusal is logged (the request's id) and answered with its
  // reason, not as an error. Errors: NoSuchBucket when the bucket does not exist (except
  // s3:CreateBucket), NoSuchKey / NoSuchVersion for an object read only an ACL could allow
  // when the caller may list the bucket (as S3), InvalidAccessKeyId when the caller is gone,
  // storage failures.
  Result<PermissionAnswer> decide_permission(const auth::Identity& identity, const Request& request,
                                             const PermissionQuery& query) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cv::s3
