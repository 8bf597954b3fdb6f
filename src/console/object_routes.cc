// Objects: a folder's listing (sub-folders and objects, paged in key order), pre-signed URLs
// for the browser to upload, download and share over the S3 endpoint, and deletion.
#include <boost/json.hpp>
#include <charconv>

#include "auth/sigv4.h"
#include "console/console_routes.h"
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
  if (auto owned = owned_bucket(context, bucket); !owned) return json_error(owned.error());
  meta::ListObjectsQuery query;
  query.bucket = bucket;
  query.prefix = query_param(context.request, "prefix");
  query.delimiter = "/";
  query.start_after = query_param(context.request, "after");
  query.max_keys = kDefaultPage;
  if (const std::string limit = query_param(context.request, "limit"); !limit.empty()) {
    uint32_t value = 0;
    const auto [end, ec] = std::from_chars(limit.data(), limit.data() + limit.size(), value);
    if (ec != std::errc() || end != limit.data() + limit.size() || value == 0 || value > kMaxPage) {
      return json_error(400, "InvalidRequest", "limit must be a number from 1 to 1000.");
    }
    query.max_keys = value;
  }
  auto page = context.vault.list_objects(query);
  if (!page) return json_error(page.error());
  boost::json::array folders;
  for (const std::string& prefix : page->common_prefixes) {
    folders.push_back(boost::json::object{{"prefix", prefix}});
  }
  boost::json::array objects;
  for (const meta::ObjectVersion& object : page->objects) {
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
  out["next"] = page->truncated ? boost::json::value(page->last_entry) : boost::json::value();
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
  int64_t expires = 900;
  if (const boost::json::value* given = body->if_contains("expiresSeconds")) {
    if (!given->is_int64() || given->get_int64() < kMinExpiry || given->get_int64() > kMaxExpiry) {
      return json_error(400, "InvalidExpiry",
                        "A link lasts from one minute to seven days (60 to 604800 seconds).");
    }
    expires = given->get_int64();
  }
  if (auto valid = vault::validate_key(*key); !valid) return json_error(valid.error());
  if (auto owned = owned_bucket(context, *bucket); !owned) return json_error(owned.error());
  if (*method == "GET") {
    if (auto object = context.vault.get_object(*bucket, *key); !object) {
      return json_error(object.error());
    }
  }
  QueryParams query;
  if (const boost::json::value* download = body->if_contains("download");
      download && download->is_bool() && download->get_bool()) {
    const std::string name = key->substr(key->rfind('/') + 1);
    query.emplace_back("response-content-disposition",
                       "attachment; filename*=UTF-8''" + uri_encode(name, true));
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
  if (auto owned = owned_bucket(context, *bucket); !owned) return json_error(owned.error());
  boost::json::array deleted;
  boost::json::array failed;
  for (const boost::json::value& key : keys->as_array()) {
    if (!key.is_string()) return json_error(400, "InvalidRequest", "Keys must be strings.");
    const std::string name(key.get_string());
    if (auto gone = context.vault.delete_object(*bucket, name); gone) {
      deleted.push_back(boost::json::value(name));
    } else {
      failed.push_back(boost::json::object{{"key", name}, {"message", gone.error().message}});
    }
  }
  return json_reply(
      boost::json::object{{"deleted", std::move(deleted)}, {"failed", std::move(failed)}});
}

}  // namespace cv::console
