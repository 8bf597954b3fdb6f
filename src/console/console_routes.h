// The console API's routes (internal to console/): what each receives and the functions, one
// file per family (session_routes.cc, bucket_routes.cc, object_routes.cc, upload_routes.cc,
// folder_routes.cc, version_routes.cc, thumbnail_routes.cc, event_rule_routes.cc,
// backup_rule_routes.cc, iam_routes.cc, policy_routes.cc, own_key_routes.cc,
// bucket_access_routes.cc, bucket_usage_routes.cc).
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "audit/cloudtrail_record.h"
#include "auth/credentials.h"
#include "console/access_gate.h"
#include "console/console_api.h"
#include "console/session_store.h"
#include "console/thumbnailer.h"
#include "core/http_message.h"
#include "vault/vault.h"

namespace cv::console {

struct RouteContext {
  vault::Vault& vault;
  auth::CredentialStore& credentials;
  SessionStore& sessions;
  ThumbnailCache& thumbnails;
  FolderSnapshots& listings;
  SignInThrottle& sign_ins;
  const ConsoleOptions& options;
  // options.destinations, or an empty catalog when the server has none.
  const DestinationCatalog& destinations;
  Request& request;
  std::string route;               // the decoded path after kApiPrefix ("session", "buckets/x")
  std::optional<Session> session;  // set for every route but sign-in
  // The call's audit record while the trail is on (else null): routes add what only they
  // know (sign-in: who tried; presign: which method).
  audit::AuditEvent* audit = nullptr;
  // Where a refused permission's reason goes (permit below), for the audit record's
  // errorMessage; null: nowhere.
  std::string* denial = nullptr;
};

// Who makes this request's changes (the signed-in user, the client's address, the request
// id), for their outbox events. (route_support.cc)
vault::ChangeOrigin change_origin(const RouteContext& context);
// "Enabled", "Suspended" or "Off", as the console shows a bucket's versioning.
// (route_support.cc)
std::string_view versioning_name(vault::Versioning state);
// Whether the signed-in user may do `asked`, decided by options.access (the S3 authorizer
// in the server; console/access_gate.h), or without a gate by ownership: the bucket's owner
// may do anything with it, anyone else is told NoSuchBucket. Errors: AccessDenied with a
// message naming the action, its reason put in *context.denial; NoSuchBucket "That bucket
// does not exist."; the gate's others. (route_support.cc)
Status permit(RouteContext& context, const AccessRequest& asked);
// permit() for a bucket action, and for an object action (of a version when `version_id`).
Status permit_bucket(RouteContext& context, std::string_view action, std::string_view bucket);
Status permit_object(RouteContext& context, std::string_view action, std::string_view bucket,
                     std::string_view key, std::string_view version_id = {});
// The verdict alone, recording nothing: for what a route shows only when allowed.
Result<bool> may(RouteContext& context, const AccessRequest& asked);
// vault::validate_key, and no "." or ".." path segment: browsers resolve those in a URL, so a
// link to "a/../b" would reach another key (or bucket). InvalidArgument. (route_support.cc)
Status validate_browser_key(std::string_view key);
// A pre-signed URL of the S3 endpoint the request came in on, signed with the session's
// access key (AccessDenied when the key is gone). (route_support.cc)
Result<std::string> presigned_url(RouteContext& context, std::string_view method,
                                  std::string_view bucket, std::string_view key, QueryParams query,
                                  std::chrono::seconds expires);

// Copies `source` (that version) with its content type, headers, metadata, tags and checksum
// algorithm as a new current version of `key` in the same bucket (vault::copy_object, as
// S3's CopyObject), owned by the signed-in user; the storage class stays, except that an
// archived one comes back as STANDARD, and SSE-S3 stays. The caller refuses SSE-C sources
// (their key is not here). (route_support.cc)
Result<vault::CopiedObject> copy_as_new_version(RouteContext& context,
                                                const meta::ObjectVersion& source,
                                                std::string_view key);

// POST session (no session needed); 429 TooManySignIns while the key or address is locked out.
Response sign_in(RouteContext& context);
// Every signed-in route: GET/DELETE session, buckets...; 404 for anything else.
Response dispatch(RouteContext& context);

Response current_session(RouteContext& context);
Response sign_out(RouteContext& context);
Response list_buckets(RouteContext& context);
Response create_bucket(RouteContext& context);
Response delete_bucket(RouteContext& context, std::string_view bucket);
// PUT buckets/<name>/versioning {"status":"Enabled"|"Suspended"}.
Response set_bucket_versioning(RouteContext& context, std::string_view bucket);
// GET objects?bucket=&prefix=&after=&limit=&search=&sort=&order=: a folder's sub-folders and
// objects, filtered, sorted and paged as folder_listing.h describes.
Response list_folder(RouteContext& context);
// POST presign {"bucket","key","method":"GET"|"PUT","expiresSeconds"?,"versionId"?,
// "download"?,"inline"?}: a URL signed with the session's access key, for the browser to use on
// the S3 endpoint (versionId, download and inline for GET only).
Response presign(RouteContext& context);
// POST delete {"bucket","keys":[...]}: deletes each key (a delete marker in a versioned
// bucket), or each {"key","versionId"} version for good.
Response delete_objects(RouteContext& context);
// POST uploads/sign {"bucket","key","method","uploadId"?,"partNumber"?} (upload_routes.cc): a
// pre-signed URL for one S3 request of an upload (PUT object; create, upload part, list parts,
// complete or abort a multipart upload), which the browser sends to the S3 endpoint itself.
Response sign_upload_request(RouteContext& context);
// folder_routes.cc: POST folders {"bucket","prefix"} (an empty "prefix/" object), POST
// rename {"bucket","from","to"} (copy, then delete the original), GET object?bucket=&key=
// (details: metadata, tags, class, encryption, replication status, versions).
Response create_folder(RouteContext& context);
// POST folders/delete {"bucket","prefix"}: deletes up to 1000 objects under the folder (delete
// markers in a versioned bucket) and answers {"deleted", "more"}; call again while more.
Response delete_folder(RouteContext& context);
Response rename_object(RouteContext& context);
Response object_details(RouteContext& context);
// version_routes.cc: POST versions/restore {"bucket","key","versionId"}: the version's copy
// becomes the current version (a delete marker cannot be restored: InvalidRequest).
Response restore_version(RouteContext& context);
// event_rule_routes.cc: a bucket's event notification rules, as
// {"rules":[{"id","events","prefix","suffix","target","arn"}],"targets":[names]}: GET
// buckets/<name>/notifications; PUT (body {"id"?,"events","prefix"?,"suffix"?,"target"}) adds
// the rule, or replaces the one with its id, through Vault::put_notification_config (S3's
// validation and codes); DELETE ...?id= removes one (404 NoSuchRule). Each answers the rules.
Response bucket_notifications(RouteContext& context, std::string_view bucket);
Response put_notification_rule(RouteContext& context, std::string_view bucket);
Response delete_notification_rule(RouteContext& context, std::string_view bucket);
// backup_rule_routes.cc: a bucket's replication (backup) rules, as {"rules":[{"id",
// "priority","enabled","destinationBucket","remote","storageClass","prefix","suffix",
// "contentType","tags","deleteMarkers","existingObjects"}],"remotes":[names],"versioning"}:
// GET buckets/<name>/backup; POST (body {"id"?,"destinationBucket","remote"?,"prefix"?,
// "suffix"?,"deleteMarkers"?,"existingObjects"?}) checks the new rule, turns versioning on for
// the bucket and a destination bucket on this server (which the user must be allowed
// s3:ReplicateObject into), then adds the rule through Vault::put_replication (201);
// DELETE ...?id= removes one (404 NoSuchRule; the last one removes the configuration). Each
// answers the rules.
Response bucket_backup(RouteContext& context, std::string_view bucket);
Response add_backup_rule(RouteContext& context, std::string_view bucket);
Response delete_backup_rule(RouteContext& context, std::string_view bucket);
// activity_routes.cc (docs/API.md): every route under activity/ (signed in), and
// public/activity/TOKEN (no session).
Response activity_route(RouteContext& context);
// operations_routes.cc: operations/dashboard, operations/alarms, operations/alarms/history
// (root only; console/operations_reports.h).
Response operations_route(RouteContext& context);
Response public_activity(RouteContext& context, std::string_view token);
// trail_routes.cc: GET trail?user=&accessKey=&bucket=&prefix=&event=&error=&readOnly=&from=&to=
// &max=&next=: the audit trail's records, newest first, paged (root: all; others: their own).
Response lookup_trail(RouteContext& context);
// The IAM pages' routes (docs/CONSOLE_API.md, "Users, keys and policies"), on
// options.iam / options.users (404 IamOff without them). iam_routes.cc: iam/users... and
// iam/groups (root only: 403 AccessDenied for others).
Response iam_users_route(RouteContext& context);
// policy_routes.cc: iam/policies... (managed policies) and iam/roles... (root only).
Response iam_policies_route(RouteContext& context);
// own_key_routes.cc: keys and keys/<id>: the signed-in user's own access keys (any user, as
// IAM lets a user manage its own keys).
Response own_keys_route(RouteContext& context);
// bucket_access_routes.cc (s3:GetBucketPolicy and s3:GetBucketPublicAccessBlock; changes:
// s3:PutBucketPolicy, s3:DeleteBucketPolicy, s3:PutBucketPublicAccessBlock): GET
// buckets/<name>/access: the bucket's policy, whether it is public, its Block Public Access
// and the account's; PUT/DELETE buckets/<name>/policy and buckets/<name>/public-access-block.
// Each answers as GET access.
Response bucket_access(RouteContext& context, std::string_view bucket);
Response bucket_policy_route(RouteContext& context, std::string_view bucket);
Response public_access_block_route(RouteContext& context, std::string_view bucket);
// bucket_usage_routes.cc (s3:ListBucket): GET buckets/<name>/usage: {"bucket","objects","bytes",
// "versions","version_bytes","noncurrent_bytes","delete_markers","classes":[{"storage_class",
// "objects","versions","logical_bytes","stored_bytes","restored_bytes","monthly"}],
// "estimate":{"currency","monthly","unit","region","as_of","prices":{class: USD},"source"}}
// (the prices of console/storage_prices.h).
Response bucket_usage_route(RouteContext& context, std::string_view bucket);
// GET / PUT (the four settings) / DELETE account/public-access-block: the account-wide Block
// Public Access, root only (403 otherwise); answers {"account": settings|null}.
Response account_public_access_block_route(RouteContext& context);
// thumbnail_routes.cc: GET thumbnail?bucket=&key=&size= (128, 256 or 512): image/jpeg.
Response thumbnail(RouteContext& context);

}  // namespace cv::console
