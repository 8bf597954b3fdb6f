#include "s3/s3_api.h"

#include <spdlog/spdlog.h>

#include <optional>

#include "core/clock.h"
#include "s3/access_checks.h"
#include "s3/authorizer.h"
#include "s3/acl_admission.h"
#include "s3/call.h"
#include "s3/encryption_headers.h"
#include "s3/error_response.h"
#include "s3/request_audit.h"

namespace cv::s3 {
namespace {

OperationHandler handler_for(Operation operation) {
  switch (operation) {
    case Operation::kListBuckets:
      return list_buckets;
    case Operation::kCreateBucket:
      return create_bucket;
    case Operation::kHeadBucket:
      return head_bucket;
    case Operation::kDeleteBucket:
      return delete_bucket;
    case Operation::kGetBucketLocation:
      return get_bucket_location;
    case Operation::kGetBucketVersioning:
      return get_bucket_versioning;
    case Operation::kPutBucketVersioning:
      return put_bucket_versioning;
    case Operation::kListObjectVersions:
      return list_object_versions;
    case Operation::kPutBucketCors:
      return put_bucket_cors;
    case Operation::kGetBucketCors:
      return get_bucket_cors;
    case Operation::kDeleteBucketCors:
      return delete_bucket_cors;
    case Operation::kListObjects:
      return list_objects_v1;
    case Operation::kListObjectsV2:
      return list_objects_v2;
    case Operation::kListMultipartUploads:
      return list_multipart_uploads;
    case Operation::kDeleteObjects:
      return delete_objects;
    case Operation::kPostObject:
      return post_object;
    case Operation::kPutObject:
      return put_object;
    case Operation::kCopyObject:
      return copy_object;
    case Operation::kGetObject:
      return get_object;
    case Operation::kHeadObject:
      return head_object;
    case Operation::kDeleteObject:
      return delete_object;
    case Operation::kGetObjectTagging:
      return get_object_tagging;
    case Operation::kPutObjectTagging:
      return put_object_tagging;
    case Operation::kDeleteObjectTagging:
      return delete_object_tagging;
    case Operation::kCreateMultipartUpload:
      return create_multipart_upload;
    case Operation::kUploadPart:
      return upload_part;
    case Operation::kUploadPartCopy:
      return upload_part_copy;
    case Operation::kCompleteMultipartUpload:
      return complete_multipart_upload;
    case Operation::kAbortMultipartUpload:
      return abort_multipart_upload;
    case Operation::kListParts:
      return list_parts;
    case Operation::kPreflight:
      return preflight;
    case Operation::kRestoreObject:
      return restore_object;
    case Operation::kPutBucketEncryption:
      return put_bucket_encryption;
    case Operation::kGetBucketEncryption:
      return get_bucket_encryption;
    case Operation::kDeleteBucketEncryption:
      return delete_bucket_encryption;
    case Operation::kPutBucketNotificationConfiguration:
      return put_bucket_notification;
    case Operation::kGetBucketNotificationConfiguration:
      return get_bucket_notification;
    case Operation::kPutBucketLifecycleConfiguration:
      return put_bucket_lifecycle;
    case Operation::kGetBucketLifecycleConfiguration:
      return get_bucket_lifecycle;
    case Operation::kDeleteBucketLifecycle:
      return delete_bucket_lifecycle;
    case Operation::kPutBucketReplication:
      return put_bucket_replication;
    case Operation::kGetBucketReplication:
      return get_bucket_replication;
    case Operation::kDeleteBucketReplication:
      return delete_bucket_replication;
    case Operation::kPutBucketPolicy:
      return put_bucket_policy;
    case Operation::kGetBucketPolicy:
      return get_bucket_policy;
    case Operation::kDeleteBucketPolicy:
      return delete_bucket_policy;
    case Operation::kGetBucketPolicyStatus:
      return get_bucket_policy_status;
    case Operation::kPutPublicAccessBlock:
      return put_public_access_block;
    case Operation::kGetPublicAccessBlock:
      return get_public_access_block;
    case Operation::kDeletePublicAccessBlock:
      return delete_public_access_block;
    case Operation::kGetBucketAcl:
      return get_bucket_acl;
    case Operation::kPutBucketAcl:
      return put_bucket_acl;
    case Operation::kGetObjectAcl:
      return get_object_acl;
    case Operation::kPutObjectAcl:
      return put_object_acl;
    case Operation::kPutBucketOwnershipControls:
      return put_bucket_ownership_controls;
    case Operation::kGetBucketOwnershipControls:
      return get_bucket_ownership_controls;
    case Operation::kDeleteBucketOwnershipControls:
      return delete_bucket_ownership_controls;
    case Operation::kPutBucketTagging:
      return put_bucket_tagging;
    case Operation::kGetBucketTagging:
      return get_bucket_tagging;
    case Operation::kDeleteBucketTagging:
      return delete_bucket_tagging;
    case Operation::kGetObjectAttributes:
      return get_object_attributes;
    case Operation::kPutObjectLockConfiguration:
      return put_object_lock_configuration;
    case Operation::kGetObjectLockConfiguration:
      return get_object_lock_configuration;
    case Operation::kPutObjectRetention:
      return put_object_retention;
    case Operation::kGetObjectRetention:
      return get_object_retention;
    case Operation::kPutObjectLegalHold:
      return put_object_legal_hold;
    case Operation::kGetObjectLegalHold:
      return get_object_legal_hold;
  }
  return nullptr;
}

}  // namespace

struct S3Api::Impl {
  Impl(vault::Vault& vault, auth::CredentialStore& credentials, OwnerDirectory& owners,
       iam::CallerPolicySource& callers, const Clock& clock, S3Options opts)
      : options(std::move(opts)),
        verifier(credentials, clock,
                 auth::VerifierOptions{
                     .region = options.region, .sigv2 = options.sigv2, .domain = options.domain}),
        authorizer(vault, callers, clock, options.account_id),
        services{vault, credentials, owners, clock, options, authorizer},
        routing{options.domain} {}

  // Authenticates, then asks the authorizer for every permission the route needs.
  Status admit(Call& call) {
    if (call.route.access == Access::kAnonymous) return {};
    auto identity = verifier.verify(call.request);
    if (!identity) {
      call.authentication_failed = true;
      return fail(std::move(identity).error());
    }
    call.identity = std::move(*identity);
    if (call.identity.anonymous && call.route.access == Access::kAuthenticated) {
      return fail(ErrorCode::kAccessDenied, "Access Denied");
    }
    for (const AccessCheck& check : access_checks(call.route, call.request)) {
      CV_TRY(authorize_with_acls(services, call, check));
    }
    return {};
  }

  Result<PermissionAnswer> decide_permission(const auth::Identity& identity, const Request& request,
                                             const PermissionQuery& query) const {
    // The S3 request this permission would be for, as far as its condition keys go.
    Request asked;
    asked.remote_address = request.remote_address;
    asked.secure = request.secure;
    asked.request_id = request.request_id;
    for (std::string_view header : {"user-agent", "referer"}) {
      if (request.headers.contains(header)) {
        asked.headers.add(header, request.headers.get(header));
      }
    }
    if (query.prefix) asked.params.emplace_back("prefix", *query.prefix);
    if (query.delimiter) asked.params.emplace_back("delimiter", *query.delimiter);
    if (!query.version_id.empty()) asked.params.emplace_back("versionId", query.version_id);
    Call call{asked, permission_route(query), identity};
    const AccessCheck check =
        !query.key.empty() ? object_check(query.action, query.bucket, query.key, query.version_id)
        : query.bucket.empty()
            ? AccessCheck{query.action, {}, {}, "arn:aws:s3:::*", false}
            : AccessCheck{query.action, query.bucket, {}, bucket_arn(query.bucket), false};
    auto allowed = authorize_with_acls(services, call, check);
    if (allowed) return PermissionAnswer{true, {}};
    if (allowed.error().code != ErrorCode::kAccessDenied) return fail(std::move(allowed).error());
    std::string denial = call.denial.empty() ? check.action + " on " + check.resource + " for " +
                                                   identity.user_name + ": no ACL grants it"
                                             : std::move(call.denial);
    return PermissionAnswer{false, std::move(denial)};
  }

  // The route a permission's S3 request would have: what its condition keys depend on (a
  // listing's s3:prefix and s3:delimiter count for listings only).
  static Route permission_route(const PermissionQuery& query) {
    Operation operation = query.key.empty() ? Operation::kHeadBucket : Operation::kHeadObject;
    if (query.action == "s3:ListBucket") operation = Operation::kListObjectsV2;
    if (query.action == "s3:ListBucketVersions") operation = Operation::kListObjectVersions;
    return Route{operation, Access::kBucketOwner, query.bucket, query.key, "ConsolePermission"};
  }

  // S3 tells a caller that a key does not exist only when it may list the bucket
  // (s3:ListBucket); anyone else gets AccessDenied, as for a key it may not read.
  void hide_missing_key(Call& call, Error& error) const {
    if (error.code != ErrorCode::kNoSuchKey) return;
    if (call.route.operation != Operation::kGetObject &&
        call.route.operation != Operation::kHeadObject) {
      return;
    }
    const AccessCheck list{"s3:ListBucket", call.route.bucket, {}, bucket_arn(call.route.bucket),
                           false};
    if (auto allowed = authorizer.authorize(call, list); !allowed) error = allowed.error();
  }

  // An error response; failures on our side are logged with the request id the client sees.
  static Response refuse(const Error& error, const Request& request, std::string_view operation,
                         audit::AuditEvent* record) {
    if (error_http_status(error.code) >= 500 && error.code != ErrorCode::kNotImplemented) {
      spdlog::error("request {} {} {} ({}) failed: {} {}", request.request_id, request.method,
                    request.target, operation, error_code_name(error.code), error.message);
    }
    if (record) describe_error(*record, error);
    return error_response(error, request);
  }

  // Who the record names: the verified caller, else the owner of the key the request claims
  // (looked up only for refused requests, from the credential cache), else anonymous.
  void describe_request_caller(const Request& request, const auth::Identity& identity,
                               bool post_form, audit::AuditEvent& record) {
    std::optional<auth::Credentials> claimed_owner;
    if (identity.anonymous) {
      if (const std::string key = claimed_access_key(request); !key.empty()) {
        if (auto found = services.credentials.find(key); found) claimed_owner = std::move(*found);
      }
    }
    describe_caller(record, request, post_form, &identity, claimed_owner, options.audit.account_id);
  }

  // The access log's view of the call: who (the verified caller), what bucket and key, and
  // whether its credentials were refused.
  static void describe_subject(const Call& call, Response& response) {
    response.bucket = call.route.bucket;
    response.key = call.route.key;
    response.authentication_failed = call.authentication_failed;
    if (call.identity.anonymous) return;
    if (!call.identity.role_name.empty()) {
      response.user = "assumed-role/" + call.identity.role_name + "/" + call.identity.session_name;
    } else {
      response.user = call.identity.user_name;
    }
  }

  // Errors that refuse the request's credentials wherever they are found after the signature
  // check: the chunk signatures of an aws-chunked body, a POST form's policy signature.
  static bool refuses_credentials(ErrorCode code) {
    return code == ErrorCode::kSignatureDoesNotMatch || code == ErrorCode::kInvalidAccessKeyId ||
           code == ErrorCode::kExpiredToken || code == ErrorCode::kInvalidToken;
  }

  // Serves the request; fills `record` (when the trail is on) as it goes.
  Response serve(Request& request, audit::AuditEvent* record) {
    auto route = route_request(request, routing);
    if (!route) {
      if (record) {
        describe_unrouted(*record, request);
        describe_request_caller(request, auth::Identity{}, false, *record);
      }
      return refuse(route.error(), request, "unrouted", record);
    }
    Call call{request, std::move(*route), {}};
    if (record) describe_route(*record, call.route);
    Result<Response> response = answer(call);
    if (record) {
      describe_request_caller(request, call.identity,
                              call.route.operation == Operation::kPostObject, *record);
    }
    Response answered;
    if (!response) {
      if (record && !call.denial.empty()) {
        describe_error(*record, response.error());
        record->error_message += ": " + call.denial;  // the client sees only "Access Denied"
        answered = error_response(response.error(), request);
      } else {
        answered = refuse(response.error(), request, call.route.name, record);
      }
    } else {
      if (record) describe_response(*record, *response);
      answered = std::move(*response);
    }
    answered.operation = call.route.name;
    describe_subject(call, answered);
    if (!response && refuses_credentials(response.error().code)) {
      answered.authentication_failed = true;
    }
    return answered;
  }

  // Admits and runs the routed call.
  Result<Response> answer(Call& call) {
    CV_TRY(admit(call));
    CV_TRY(require_secure_customer_key(call.request, options.plain_http_secrets));
    const OperationHandler handler = handler_for(call.route.operation);
    if (handler == nullptr) return fail(ErrorCode::kNotImplemented);
    auto handled = handler(services, call);
    if (!handled) {
      hide_missing_key(call, handled.error());
      return fail(std::move(handled).error());
    }
    auto response = std::move(*handled);
    if (call.request.headers.contains("origin") && !call.route.bucket.empty() &&
        call.route.operation != Operation::kPreflight) {
      apply_cors(services, call, response);
    }
    return response;
  }

  // Data events on the trail's own bucket are not recorded (writing the trail would
  // record itself); its management events are.
  bool records(const audit::AuditEvent& record) const {
    return options.audit.trail_bucket.empty() || record.bucket != options.audit.trail_bucket ||
           !audit::is_data_event(record.event_name);
  }

  S3Options options;
  auth::SigV4Verifier verifier;
  Authorizer authorizer;
  Services services;
  RoutingOptions routing;
};

S3Api::S3Api(vault::Vault& vault, auth::CredentialStore& credentials, OwnerDirectory& owners,
             iam::CallerPolicySource& callers, const Clock& clock, S3Options options)
    : impl_(std::make_unique<Impl>(vault, credentials, owners, callers, clock,
                                   std::move(options))) {}

S3Api::~S3Api() = default;

Response S3Api::handle(Request& request) {
  audit::AuditSink* const sink = impl_->options.audit.sink;
  std::optional<audit::AuditEvent> record;
  if (sink) {
    record = begin_s3_record(request, impl_->options.region, impl_->options.audit.account_id,
                             to_unix_nanos(impl_->services.clock.now()));
  }
  Response response;
  try {
    response = impl_->serve(request, record ? &*record : nullptr);
  } catch (const std::exception& e) {
    spdlog::error("request {} {} {} failed: {}", request.request_id, request.method, request.target,
                  e.what());
    const Error error{ErrorCode::kInternalError, {}, {}};
    if (record) describe_error(*record, error);
    response = error_response(error, request);
  }
  if (record && impl_->records(*record)) {
    audit::record_on_completion(response, std::move(*record), *sink);
  }
  return response;
}

Result<PermissionAnswer> S3Api::decide_permission(const auth::Identity& identity,
                                                  const Request& request,
                                                  const PermissionQuery& query) const {
  return impl_->decide_permission(identity, request, query);
}

Response xml_response(std::string body, int status) {
  Response response;
  response.status = status;
  response.headers.add("content-type", "application/xml");
  response.body = std::move(body);
  return response;
}

Result<std::shared_ptr<const vault::BucketState>> route_bucket_state(const Services& services,
                                                                     Call& call) {
  if (!call.bucket_state) call.bucket_state = CV_TRY(services.vault.bucket_state(call.route.bucket));
  return call.bucket_state;
}

void add_version_header(const Services& services, Call& call, std::string_view version_id,
                        Headers& headers) {
  if (version_id.empty()) return;
  if (version_id == "null") {
    const auto state = route_bucket_state(services, call);
    if (!state || (*state)->versioning == vault::Versioning::kUnversioned) return;
  }
  headers.set("x-amz-version-id", version_id);
}

Response empty_response(int status) {
  Response response;
  response.status = status;
  return response;
}

}  // namespace cv::s3
