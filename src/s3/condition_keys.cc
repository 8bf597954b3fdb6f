#include "s3/condition_keys.h"

#include <fmt/format.h>

#include "core/encoding.h"
#include "policy/global_keys.h"

namespace cv::s3 {
namespace {

void set(policy::ConditionKeys& keys, std::string name, std::string value) {
  keys[std::move(name)] = {std::move(value)};
}

// A request header as the condition key s3:<header> (x-amz-acl, x-amz-copy-source, ...).
void header_key(const Call& call, policy::ConditionKeys& keys, std::string_view header) {
  if (!call.request.headers.contains(header)) return;
  set(keys, "s3:" + std::string(header), std::string(call.request.headers.get(header)));
}

void query_key(const Call& call, policy::ConditionKeys& keys, std::string_view param,
               std::string name) {
  if (const std::string* value = find_param(call.request.params, param)) {
    set(keys, std::move(name), *value);
  }
}

bool is_listing(Operation operation) {
  return operation == Operation::kListObjects || operation == Operation::kListObjectsV2 ||
         operation == Operation::kListObjectVersions;
}

}  // namespace

policy::ConditionKeys request_condition_keys(const Call& call, const policy::Principal& principal,
                                             TimePoint now) {
  policy::ConditionKeys keys = policy::global_condition_keys(principal, now);
  const Request& request = call.request;
  if (!request.remote_address.empty()) set(keys, "aws:sourceip", request.remote_address);
  set(keys, "aws:securetransport", request.secure ? "true" : "false");
  if (request.headers.contains("user-agent")) {
    set(keys, "aws:useragent", std::string(request.headers.get("user-agent")));
  }
  if (request.headers.contains("referer")) {
    set(keys, "aws:referer", std::string(request.headers.get("referer")));
  }
  if (!call.identity.anonymous) {
    set(keys, "s3:signatureversion", call.identity.signature_version == "2" ? "AWS"
                                                                            : "AWS4-HMAC-SHA256");
    set(keys, "s3:authtype", call.identity.auth_type.empty()
                                 ? (call.identity.presigned ? "REST-QUERY-STRING" : "REST-HEADER")
                                 : call.identity.auth_type);
  }
  if (is_listing(call.route.operation)) {
    query_key(call, keys, "prefix", "s3:prefix");
    query_key(call, keys, "delimiter", "s3:delimiter");
    query_key(call, keys, "max-keys", "s3:max-keys");
  }
  query_key(call, keys, "versionId", "s3:versionid");
  for (std::string_view header :
       {"x-amz-acl", "x-amz-server-side-encryption", "x-amz-server-side-encryption-aws-kms-key-id",
        "x-amz-server-side-encryption-customer-algorithm", "x-amz-storage-class",
        "x-amz-copy-source", "x-amz-metadata-directive", "x-amz-content-sha256",
        "x-amz-grant-read", "x-amz-grant-write", "x-amz-grant-read-acp", "x-amz-grant-write-acp",
        "x-amz-grant-full-control", "x-amz-object-ownership"}) {
    header_key(call, keys, header);
  }
  for (const auto& [header, key] :
       {std::pair{"x-amz-object-lock-mode", "s3:object-lock-mode"},
        std::pair{"x-amz-object-lock-retain-until-date", "s3:object-lock-retain-until-date"},
        std::pair{"x-amz-object-lock-legal-hold", "s3:object-lock-legal-hold"}}) {
    if (request.headers.contains(header)) set(keys, key, std::string(request.headers.get(header)));
  }
  // s3:RequestObjectTag/<k> and s3:RequestObjectTagKeys from x-amz-tagging (URL-query form).
  if (request.headers.contains("x-amz-tagging")) {
    if (auto tags = parse_query(request.headers.get("x-amz-tagging")); tags) {
      std::vector<std::string> tag_keys;
      for (const auto& [name, value] : *tags) {
        set(keys, "s3:requestobjecttag/" + name, value);
        tag_keys.push_back(name);
      }
      if (!tag_keys.empty()) keys["s3:requestobjecttagkeys"] = std::move(tag_keys);
    }
  }
  return keys;
}

void add_existing_object_tags(const meta::ObjectVersion& object, policy::ConditionKeys& keys) {
  for (const auto& [name, value] : object.tags) set(keys, "s3:existingobjecttag/" + name, value);
}

}  // namespace cv::s3
