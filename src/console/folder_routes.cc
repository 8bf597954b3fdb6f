// Folders and single objects: create a folder, delete one with everything in it, rename or
// move an object within its bucket, and an object's details (metadata, tags, class, versions).
#include <boost/json.hpp>

#include "console/console_routes.h"
#include "console/json_reply.h"
#include "core/clock.h"
#include "core/http_message.h"

namespace cv::console {
namespace {

// Objects deleted per call of POST folders/delete.
constexpr uint32_t kFolderDeleteBatch = 1000;
constexpr size_t kMaxVersions = 1000;  // versions an object's details show

boost::json::array pairs_json(const meta::StringPairs& pairs) {
  boost::json::array out;
  for (const auto& [name, value] : pairs) {
    out.push_back(boost::json::object{{"name", name}, {"value", value}});
  }
  return out;
}

}  // namespace

Response create_folder(RouteContext& context) {
  auto body = read_json_object(context.request, context.options.max_json_body);
  if (!body) return json_error(400, "InvalidRequest", body.error().message);
  auto bucket = string_member(*body, "bucket");
  auto prefix = string_member(*body, "prefix");
  if (!bucket || !prefix || prefix->empty() || !prefix->ends_with('/') ||
      prefix->starts_with('/') || prefix->find("//") != std::string::npos) {
    return json_error(400, "InvalidFolderName",
                      "A folder is a path ending in '/', without empty parts.");
  }
  if (auto valid = validate_browser_key(*prefix); !valid) {
    return json_error(400, "InvalidFolderName", valid.error().message);
  }
  if (auto allowed = permit_object(context, "s3:PutObject", *bucket, *prefix); !allowed) {
    return json_error(allowed.error());
  }
  // A folder is an empty object named after it, as the S3 console makes them.
  StringSource empty("");
  vault::PutObjectInput input;
  input.bucket = *bucket;
  input.key = *prefix;
  input.attributes.owner_id = context.session->user_id;
  input.attributes.content_type = "application/x-directory";
  input.body = &empty;
  input.expected_size = 0;
  input.origin = change_origin(context);
  if (auto stored = context.vault.put_object(input); !stored) return json_error(stored.error());
  return json_reply(boost::json::object{{"prefix", *prefix}}, 201);
}

Response delete_folder(RouteContext& context) {
  auto body = read_json_object(context.request, context.options.max_json_body);
  if (!body) return json_error(400, "InvalidRequest", body.error().message);
  auto bucket = string_member(*body, "bucket");
  auto prefix = string_member(*body, "prefix");
  if (!bucket || !prefix || prefix->empty() || !prefix->ends_with('/')) {
    return json_error(400, "InvalidFolderName", "Give a bucket and a folder (a path ending in '/').");
  }
  if (auto valid = validate_browser_key(*prefix); !valid) {
    return json_error(400, "InvalidFolderName", valid.error().message);
  }
  // As S3 clients do it: list the folder (ListBucket), then delete each object in it.
  const AccessRequest listing{.action = "s3:ListBucket", .bucket = *bucket, .prefix = *prefix};
  if (auto allowed = permit(context, listing); !allowed) return json_error(allowed.error());
  // Deleted objects leave the listing (gone, or behind a delete marker), so each call starts
  // from the folder's beginning; the page asks again while `more` says so.
  meta::ListObjectsQuery query;
  query.bucket = *bucket;
  query.prefix = *prefix;
  query.max_keys = kFolderDeleteBatch;
  auto page = context.vault.list_objects(query);
  if (!page) return json_error(page.error());
  // Every object's DeleteObject before any is deleted: one refused refuses the batch.
  for (const meta::ObjectVersion& object : page->objects) {
    if (auto allowed = permit_object(context, "s3:DeleteObject", *bucket, object.key); !allowed) {
      return json_error(allowed.error());
    }
  }
  uint64_t deleted = 0;
  for (const meta::ObjectVersion& object : page->objects) {
    if (auto gone = context.vault.delete_object(*bucket, object.key, "", change_origin(context));
        !gone) {
      return json_error(gone.error());
    }
    ++deleted;
  }
  return json_reply(boost::json::object{{"deleted", deleted}, {"more", page->truncated}});
}

Response rename_object(RouteContext& context) {
  auto body = read_json_object(context.request, context.options.max_json_body);
  if (!body) return json_error(400, "InvalidRequest", body.error().message);
  auto bucket = string_member(*body, "bucket");
  auto from = string_member(*body, "from");
  auto to = string_member(*body, "to");
  if (!bucket || !from || !to) {
    return json_error(400, "InvalidRequest", "Give a bucket, the key to move and its new key.");
  }
  if (*from == *to) return json_error(400, "InvalidRequest", "The new name is the same.");
  if (auto valid = validate_browser_key(*to); !valid) return json_error(valid.error());
  // A copy then a delete, as S3 clients move an object: GetObject on the original,
  // PutObject on the new key, DeleteObject on the original, all before anything changes.
  for (const auto& [action, key] :
       {std::pair{"s3:GetObject", *from}, {"s3:PutObject", *to}, {"s3:DeleteObject", *from}}) {
    if (auto allowed = permit_object(context, action, *bucket, key); !allowed) {
      return json_error(allowed.error());
    }
  }
  auto source = context.vault.get_object(*bucket, *from);
  if (!source) return json_error(source.error());
  if (source->encryption.mode == meta::EncryptionMode::kCustomer) {
    return json_error(409, "CustomerKeyRequired",
                      "This object is encrypted with a key only its owner holds; it cannot be "
                      "moved here.");
  }
  if (auto exists = context.vault.get_object(*bucket, *to); exists) {
    return json_error(409, "AlreadyExists", "An object with the new name already exists.");
  }
  auto moved = copy_as_new_version(context, *source, *to);
  if (!moved) return json_error(moved.error());
  // The copy is durable before the original goes: a failure leaves both, never neither.
  if (auto removed = context.vault.delete_object(*bucket, *from, "", change_origin(context));
      !removed) {
    return json_error(removed.error());
  }
  return json_reply(boost::json::object{{"key", *to}, {"etag", moved->object.etag}});
}

Response object_details(RouteContext& context) {
  const std::string* bucket = find_param(context.request.params, "bucket");
  const std::string* key = find_param(context.request.params, "key");
  if (!bucket || !key) return json_error(400, "InvalidRequest", "Give a bucket and a key.");
  // As HeadObject (GetObject); the versions as ListObjectVersions of the key, shown only to
  // whoever may list them.
  if (auto allowed = permit_object(context, "s3:GetObject", *bucket, *key); !allowed) {
    return json_error(allowed.error());
  }
  const AccessRequest version_listing{
      .action = "s3:ListBucketVersions", .bucket = *bucket, .prefix = *key};
  auto lists_versions = may(context, version_listing);
  if (!lists_versions) return json_error(lists_versions.error());
  // Every version of this key alone (a listing by prefix would count other keys' versions),
  // the current one first, then newest first; at most kMaxVersions of them.
  auto key_versions = context.vault.key_versions(*bucket, *key);
  if (!key_versions) return json_error(key_versions.error());
  boost::json::array versions;
  for (const meta::ObjectVersion& version : *key_versions) {
    if (versions.size() == kMaxVersions || !*lists_versions) break;
    versions.push_back(
        boost::json::object{{"versionId", version.version_id},
                            {"latest", version.is_latest},
                            {"deleteMarker", version.is_delete_marker},
                            {"etag", version.is_delete_marker ? boost::json::value()
                                                              : boost::json::value(version.etag)},
                            {"size", version.size},
                            {"modified", format_iso8601(from_unix_nanos(version.mtime_ns))},
                            {"replicationStatus", version.replication_status}});
  }
  // A deleted key of a versioned bucket: its versions, to restore one.
  if (!key_versions->empty() && key_versions->front().is_latest &&
      key_versions->front().is_delete_marker) {
    return json_reply(boost::json::object{{"bucket", *bucket},
                                          {"key", *key},
                                          {"deleted", true},
                                          {"versions", std::move(versions)}});
  }
  auto object = context.vault.get_object(*bucket, *key);
  if (!object) return json_error(object.error());
  const char* encryption = object->encryption.mode == meta::EncryptionMode::kS3         ? "SSE-S3"
                           : object->encryption.mode == meta::EncryptionMode::kCustomer ? "SSE-C"
                                                                                        : "none";
  return json_reply(
      boost::json::object{{"bucket", *bucket},
                          {"key", *key},
                          {"size", object->size},
                          {"contentType", object->content_type},
                          {"etag", object->etag},
                          {"modified", format_iso8601(from_unix_nanos(object->mtime_ns))},
                          {"storageClass", object->storage_class},
                          {"encryption", encryption},
                          {"versionId", object->version_id},
                          {"replicationStatus", object->replication_status},
                          {"deleted", false},
                          {"metadata", pairs_json(object->user_metadata)},
                          {"headers", pairs_json(object->headers)},
                          {"tags", pairs_json(object->tags)},
                          {"versions", std::move(versions)}});
}

}  // namespace cv::console
