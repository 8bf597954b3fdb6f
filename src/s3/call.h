// What every S3 operation handler receives: the services it may use and the request being
// served, already routed and authenticated. Internal to the s3 layer.
#pragma once

#include "auth/credentials.h"
#include "auth/sigv4.h"
#include "core/clock.h"
#include "core/http_message.h"
#include "iam/caller_policies.h"
#include "s3/operation.h"
#include "s3/owner_directory.h"
#include "s3/s3_api.h"
#include "vault/vault.h"

namespace cv::s3 {

class Authorizer;

struct Services {
  vault::Vault& vault;
  auth::CredentialStore& credentials;
  OwnerDirectory& owners;
  const Clock& clock;
  const S3Options& options;
  const Authorizer& authorizer;
};

struct Call {
  Request& request;
  Route route;
  auth::Identity identity;
  // Filled by the authorizer on first use: the caller's policies (null while not loaded or
  // anonymous), the request's condition keys, and why a check refused the request (for the
  // log and the audit trail; the client sees only AccessDenied).
  std::shared_ptr<const iam::CallerPolicies> caller;
  std::optional<policy::ConditionKeys> condition_keys;
  std::string denial;
  bool explicit_deny = false;          // a policy's Deny refused it (ACLs cannot grant it then)
  bool authentication_failed = false;  // the signature verifier refused the request
  // The route's bucket as this request sees it: loaded at most once (route_bucket_state) and
  // shared by the authorizer, the handler and the vault's writes (DESIGN.md rule 7).
  std::shared_ptr<const vault::BucketState> bucket_state;

  // Who makes this request's changes, for their outbox events.
  vault::ChangeOrigin origin() const {
    return {identity.user_id, request.remote_address, request.request_id};
  }
};

using OperationHandler = Result<Response> (*)(const Services&, Call&);

// The state of the call's route bucket, loaded on first use and kept in the call.
// NoSuchBucket when the bucket does not exist.
Result<std::shared_ptr<const vault::BucketState>> route_bucket_state(const Services& services,
                                                                     Call& call);

// A response with an XML body.
Response xml_response(std::string body, int status = 200);
// A response with no body.
Response empty_response(int status);

// Adds x-amz-version-id for a version of the call's bucket when that bucket has (or had)
// versioning configured, or for any version other than the unversioned "null" one. Reads the
// call's bucket state (route_bucket_state); a bucket that cannot be read adds nothing.
void add_version_header(const Services& services, Call& call, std::string_view version_id,
                        Headers& headers);

// The partNumber query parameter (1..10000), InvalidArgument otherwise.
Result<uint32_t> part_number_of(const Call& call);

// One handler per operation, grouped in files by family.
Result<Response> list_buckets(const Services&, Call&);
Result<Response> create_bucket(const Services&, Call&);
Result<Response> head_bucket(const Services&, Call&);
Result<Response> delete_bucket(const Services&, Call&);
Result<Response> get_bucket_location(const Services&, Call&);
Result<Response> get_bucket_versioning(const Services&, Call&);
Result<Response> put_bucket_versioning(const Services&, Call&);
Result<Response> list_object_versions(const Services&, Call&);
Result<Response> put_bucket_cors(const Services&, Call&);
Result<Response> get_bucket_cors(const Services&, Call&);
Result<Response> delete_bucket_cors(const Services&, Call&);
Result<Response> preflight(const Services&, Call&);
Result<Response> list_objects_v1(const Services&, Call&);
Result<Response> list_objects_v2(const Services&, Call&);
Result<Response> list_multipart_uploads(const Services&, Call&);
Result<Response> delete_objects(const Services&, Call&);
Result<Response> post_object(const Services&, Call&);
Result<Response> put_object(const Services&, Call&);
Result<Response> copy_object(const Services&, Call&);
Result<Response> get_object(const Services&, Call&);
Result<Response> head_object(const Services&, Call&);
Result<Response> delete_object(const Services&, Call&);
Result<Response> get_object_tagging(const Services&, Call&);
Result<Response> put_object_tagging(const Services&, Call&);
Result<Response> delete_object_tagging(const Services&, Call&);
Result<Response> create_multipart_upload(const Services&, Call&);
Result<Response> upload_part(const Services&, Call&);
Result<Response> upload_part_copy(const Services&, Call&);
Result<Response> complete_multipart_upload(const Services&, Call&);
Result<Response> abort_multipart_upload(const Services&, Call&);
Result<Response> list_parts(const Services&, Call&);
Result<Response> restore_object(const Services&, Call&);
// Bucket default encryption (bucket_encryption.cc).
Result<Response> put_bucket_encryption(const Services&, Call&);
Result<Response> get_bucket_encryption(const Services&, Call&);
Result<Response> delete_bucket_encryption(const Services&, Call&);
// Bucket event notification configuration (notification_config.cc).
Result<Response> put_bucket_notification(const Services&, Call&);
Result<Response> get_bucket_notification(const Services&, Call&);
// Bucket lifecycle configuration (lifecycle_config.cc).
Result<Response> put_bucket_lifecycle(const Services&, Call&);
Result<Response> get_bucket_lifecycle(const Services&, Call&);
Result<Response> delete_bucket_lifecycle(const Services&, Call&);
// Bucket replication configuration (replication_config.cc).
Result<Response> put_bucket_replication(const Services&, Call&);
Result<Response> get_bucket_replication(const Services&, Call&);
Result<Response> delete_bucket_replication(const Services&, Call&);
// Bucket policy (bucket_policy.cc) and public access block (public_access_block.cc).
Result<Response> put_bucket_policy(const Services&, Call&);
Result<Response> get_bucket_policy(const Services&, Call&);
Result<Response> delete_bucket_policy(const Services&, Call&);
Result<Response> get_bucket_policy_status(const Services&, Call&);
Result<Response> put_public_access_block(const Services&, Call&);
Result<Response> get_public_access_block(const Services&, Call&);
Result<Response> delete_public_access_block(const Services&, Call&);

// Access control lists and Object Ownership (acl_ops.cc).
Result<Response> get_bucket_acl(const Services&, Call&);
Result<Response> put_bucket_acl(const Services&, Call&);
Result<Response> get_object_acl(const Services&, Call&);
Result<Response> put_object_acl(const Services&, Call&);
Result<Response> put_bucket_ownership_controls(const Services&, Call&);
Result<Response> get_bucket_ownership_controls(const Services&, Call&);
Result<Response> delete_bucket_ownership_controls(const Services&, Call&);

// Bucket tagging (bucket_tagging.cc).
Result<Response> put_bucket_tagging(const Services&, Call&);
Result<Response> get_bucket_tagging(const Services&, Call&);
Result<Response> delete_bucket_tagging(const Services&, Call&);
// GetObjectAttributes (object_attributes.cc).
Result<Response> get_object_attributes(const Services&, Call&);

// Object lock (object_lock_config.cc).
Result<Response> put_object_lock_configuration(const Services&, Call&);
Result<Response> get_object_lock_configuration(const Services&, Call&);
Result<Response> put_object_retention(const Services&, Call&);
Result<Response> get_object_retention(const Services&, Call&);
Result<Response> put_object_legal_hold(const Services&, Call&);
Result<Response> get_object_legal_hold(const Services&, Call&);

// Adds Access-Control-* headers to `response` when the request has an Origin that the
// bucket's CORS configuration allows.
void apply_cors(const Services& services, Call& call, Response& response);

}  // namespace cv::s3
