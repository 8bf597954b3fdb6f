// Objects: a folder's listing (sub-folders and objects, paged in key order), pre-signed URLs
// for the browser to upload, download and share over the S3 endpoint, and deletion.
#include <boost/json.hpp>
#include <charconv>

#include "auth/sigv4.h"
#include "console/console_routes.h"
#include "console/folder_listing.h"
#include "console/json_reply.h"
#include "core/clock.h"
#include "core/encoding.h"

namespace cv::console {
namespace {

constexpr uint32_t kDefaultPage = 200;
constexpr uint32_t kMaxPage = 1000;
constexpr int64_t kMinExpiry = 60;
constexpr int64_t kMaxExpiry = 7 * 24 * 3600;  // S3's limit for pre-signed URLs

std::string query_param(const Request& request, std::string_view name) {
  const std::string* value = find_param(request.params, name);
  return value ? *value : std::string();
}

}  // namespace

Response list_folder(RouteContext& context) {
  const std::string bucket = query_param(context.request, "bucket");
  FolderQuery query;
  query.owner = context.session->user_id;
  query.bucket = bucket;
  query.prefix = query_param(context.request, "prefix");
  query.after = query_param(context.request, "after");
  query.search = query_param(context.request, "search");
  if (const std::string deleted = query_param(context.request, "deleted"); !deleted.empty()) {
    if (deleted != "true" && deleted != "false") {
      return json_error(400, "InvalidRequest", "deleted must be true or false.");
    }
    query.deleted = deleted == "true";
  }
  query.limit = kDefaultPage;
  if (const std::string limit = query_param(context.request, "limit"); !limit.empty()) {
    uint32_t value = 0;
    const auto [end, ec] = std::from_chars(limit.data(), limit.data() + limit.size(), value);
    if (ec != std::errc() || end != limit.data() + limit.size() || value == 0 || value > kMaxPage) {
      return json_error(400, "InvalidRequest", "limit must be a number from 1 to 1000.");
    }
    query.limit = value;
  }
  if (const std::string sort = query_param(context.request, "sort"); !sort.empty()) {
    const std::optional<SortField> field = parse_sort_field(sort);
    if (!field) {
      return json_error(400, "InvalidRequest",
                        "sort must be name, size, modified or type (\"" + sort + "\" is none).");
    }
    query.sort = *field;
  }
  if (const std::string order = query_param(context.request, "order"); !order.empty()) {
    if (order != "asc" && order != "desc") {
      return json_error(400, "InvalidRequest",
                        "order must be asc or desc (\"" + order + "\" is neither).");
    }
    query.descending = order == "desc";
  }
  // As S3's ListObjectsV2 (ListObjectVersions for deleted keys) of the level: its prefix,
  // "/" as the delimiter.
  const AccessRequest listing{.action = query.deleted ? "s3:ListBucketVersions" : "s3:ListBucket",
                              .bucket = bucket,
                              .prefix = query.prefix,
                              .delimiter = "/"};
  if (auto allowed = permit(context, listing); !allowed) return json_error(allowed.error());
  auto page = list_folder_level(context.vault, query, &context.listings);
  if (!page) return json_error(page.error());
  boost::json::array folders;
  for (const std::string& prefix : page->folders) {
    folders.push_back(boost::json::object{{"prefix", prefix}});
  }
  boost::json::array objects;
  for (const FolderEntry& object : page->objects) {
    objects.push_back(
        boost::json::object{{"key", object.key},
                            {"size", object.size},
                            {"modified", format_iso8601(from_unix_nanos(object.mtime_ns))},
                            {"etag", object.etag},
                            {"storageClass", object.storage_class}});
  }
  boost::json::object out{{"bucket", bucket},
                          {"prefix", query.prefix},
                          {"folders", std::move(folders)},
                          {"objects", std::move(objects)}};
  out["next"] = page->next ? boost::json::value(*page->next) : boost::json::value();
  return json_reply(out);
}

Response presign(RouteContext& context) {
  auto body = read_json_object(context.request, context.options.max_json_body);
  if (!body) return json_error(400, "InvalidRequest", body.error().message);
  auto bucket = string_member(*body, "bucket");
  auto key = string_member(*body, "key");
  auto method = string_member(*body, "method");
  if (!bucket || !key || !method || (*method != "GET" && *method != "PUT")) {
    return json_error(400, "InvalidRequest",
                      "Give a bucket, a key and a method (GET or PUT) to sign.");
  }
  if (context.audit) {
    context.audit->event_name = *method == "GET" ? "ConsolePresignGet" : "ConsolePresignPut";
    context.audit->bucket = *bucket;
    context.audit->key = *key;
  }
  int64_t expires = 900;
  if (const boost::json::value* given = body->if_contains("expiresSeconds")) {
    if (!given->is_int64() || given->get_int64() < kMinExpiry || given->get_int64() > kMaxExpiry) {
      return json_error(400, "InvalidExpiry",
                        "A link lasts from one minute to seven days (60 to 604800 seconds).");
    }
    expires = given->get_int64();
  }
  // Optional members (null counts as absent): versionId, download and inline, GET only.
  std::string version_id;
  if (const boost::json::value* given = body->if_contains("versionId");
      given && !given->is_null()) {
    if (!given->is_string() || given->get_string().empty()) {
      return json_error(400, "InvalidRequest", "versionId must be a version's id (a string).");
    }
    version_id = given->get_string();
  }
  bool download = false;
  bool inline_view = false;
  for (const auto& [name, flag] : {std::pair{"download", &download}, {"inline", &inline_view}}) {
    const boost::json::value* given = body->if_contains(name);
    if (!given || given->is_null()) continue;
    if (!given->is_bool()) {
      return json_error(400, "InvalidRequest", std::string(name) + " must be true or false.");
    }
    *flag = given->get_bool();
  }
  if (*method != "GET" && (!version_id.empty() || download || inline_view)) {
    return json_error(400, "InvalidRequest",
                      "versionId, download and inline apply to GET links only.");
  }
  if (download && inline_view) {
    return json_error(400, "InvalidRequest",
                      "A link either downloads the object or shows it inline, not both.");
  }
  if (auto valid = validate_browser_key(*key); !valid) return json_error(valid.error());
  // What the signed request will do: GetObject (GetObjectVersion) or PutObject.
  const std::string_view action = *method == "PUT"     ? "s3:PutObject"
                                  : version_id.empty() ? "s3:GetObject"
                                                       : "s3:GetObjectVersion";
  if (auto allowed = permit_object(context, action, *bucket, *key, version_id); !allowed) {
    return json_error(allowed.error());
  }
  if (*method == "GET") {
    // The object (or the named version) must exist and have content: NoSuchKey,
    // NoSuchVersion, or MethodNotAllowed for a delete marker.
    if (auto object = context.vault.get_object(*bucket, *key, version_id); !object) {
      return json_error(object.error());
    }
  }
  QueryParams query;
  if (!version_id.empty()) query.emplace_back("versionId", version_id);
  if (download || inline_view) {
    // Inline overrides a stored "attachment" disposition, so previews show in the page.
    std::string disposition = download ? "attachment" : "inline";
    const std::string name = key->substr(key->rfind('/') + 1);
    if (!name.empty()) disposition += "; filename*=UTF-8''" + uri_encode(name, true);
    query.emplace_back("response-content-disposition", std::move(disposition));
  }
  auto url = presigned_url(context, *method, *bucket, *key, std::move(query),
                           std::chrono::seconds(expires));
  if (!url) return signed_out(url.error());
  return json_reply(
      boost::json::object{{"url", *url}, {"method", *method}, {"expiresSeconds", expires}});
}

Response delete_objects(RouteContext& context) {
  auto body = read_json_object(context.request, context.options.max_json_body);
  if (!body) return json_error(400, "InvalidRequest", body.error().message);
  auto bucket = string_member(*body, "bucket");
  const boost::json::value* keys = body->if_contains("keys");
  if (!bucket || !keys || !keys->is_array() || keys->as_array().empty() ||
      keys->as_array().size() > 1000) {
    return json_error(400, "InvalidRequest", "Give a bucket and from 1 to 1000 keys to delete.");
  }
  // Every entry is checked before anything is deleted: a key, or {"key","versionId"} to remove
  // that version for good.
  struct Target {
    std::string key;
    std::string version_id;  // "" for the current version (a delete marker when versioned)
  };
  std::vector<Target> targets;
  for (const boost::json::value& entry : keys->as_array()) {
    if (entry.is_string()) {
      targets.push_back({std::string(entry.get_string()), ""});
      continue;
    }
    const boost::json::object* named = entry.if_object();
    auto key = named ? string_member(*named, "key") : fail(ErrorCode::kInvalidArgument);
    auto version = named ? string_member(*named, "versionId") : fail(ErrorCode::kInvalidArgument);
    if (!key || !version || version->empty()) {
      return json_error(400, "InvalidRequest",
                        "Each entry of keys is a key, or {\"key\", \"versionId\"} for one "
                        "version.");
    }
    targets.push_back({std::move(*key), std::move(*version)});
  }
  // Every entry's permission (DeleteObject, DeleteObjectVersion) before anything is deleted:
  // one refused refuses the call.
  for (const Target& target : targets) {
    const std::string_view action =
        target.version_id.empty() ? "s3:DeleteObject" : "s3:DeleteObjectVersion";
    if (auto allowed = permit_object(context, action, *bucket, target.key, target.version_id);
        !allowed) {
      return json_error(allowed.error());
    }
  }
  boost::json::array deleted;
  boost::json::array failed;
  for (const Target& target : targets) {
    // Answers mirror the entries: a key as a string, a version as {"key","versionId"}.
    boost::json::object named{{"key", target.key}};
    if (!target.version_id.empty()) named["versionId"] = target.version_id;
    auto gone = context.vault.delete_object(*bucket, target.key, target.version_id,
                                            change_origin(context));
    if (gone) {
      deleted.push_back(target.version_id.empty() ? boost::json::value(target.key)
                                                  : boost::json::value(std::move(named)));
    } else {
      named["message"] = gone.error().message;
      failed.push_back(std::move(named));
    }
  }
  return json_reply(
      boost::json::object{{"deleted", std::move(deleted)}, {"failed", std::move(failed)}});
}

}  // namespace cv::console
