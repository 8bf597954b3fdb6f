// S3 Object Lock operations: Put/GetObjectLockConfiguration (?object-lock on a bucket),
// Put/GetObjectRetention (?retention) and Put/GetObjectLegalHold (?legal-hold) on an object
// version. The rules are the vault's and the store's; this file speaks the XML.
#include <charconv>

#include "s3/call.h"
#include "s3/object_lock_headers.h"
#include "s3/request_body.h"
#include "s3/xml.h"

namespace cv::s3 {
namespace {

std::string version_param(const Call& call) {
  const std::string* version = find_param(call.request.params, "versionId");
  return version ? *version : "";
}

Error malformed_xml() {
  return Error{ErrorCode::kMalformedXML,
               "The XML you provided was not well-formed or did not validate against our "
               "published schema"};
}

// A positive decimal number of a <Days>/<Years> element; nullopt when absent.
Result<std::optional<int32_t>> period_of(const pugi::xml_node& retention, std::string_view name) {
  if (!child(retention, name)) return std::optional<int32_t>{};
  const std::string text = child_text(retention, name);
  int32_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size())
    return std::unexpected(malformed_xml());
  if (value <= 0) {
    return fail(ErrorCode::kInvalidArgument,
                "Default retention period must be a positive integer value.");
  }
  return std::optional<int32_t>(value);
}

Result<vault::ObjectLockConfiguration> parse_lock_configuration(std::string_view body) {
  pugi::xml_document doc;
  const auto root = CV_TRY(parse_xml(doc, body, "ObjectLockConfiguration"));
  if (child_text(root, "ObjectLockEnabled") != "Enabled") return std::unexpected(malformed_xml());
  vault::ObjectLockConfiguration config;
  if (const auto rule = child(root, "Rule")) {
    const auto retention = child(rule, "DefaultRetention");
    if (!retention) return std::unexpected(malformed_xml());
    vault::DefaultRetention defaults;
    defaults.mode = child_text(retention, "Mode");
    const auto days = CV_TRY(period_of(retention, "Days"));
    const auto years = CV_TRY(period_of(retention, "Years"));
    if (days.has_value() == years.has_value()) return std::unexpected(malformed_xml());
    defaults.days = days.value_or(0);
    defaults.years = years.value_or(0);
    config.default_retention = defaults;
  }
  return config;
}

}  // namespace

Result<Response> put_object_lock_configuration(const Services& services, Call& call) {
  const std::string body = CV_TRY(read_request_document(
      call.request, call.identity, services.options.max_xml_body, IntegrityHeader::kRequired));
  const auto config = CV_TRY(parse_lock_configuration(body));
  CV_TRY(services.vault.put_object_lock(call.route.bucket, config));
  return empty_response(200);
}

Result<Response> get_object_lock_configuration(const Services& services, Call& call) {
  const auto config = CV_TRY(services.vault.object_lock(call.route.bucket));
  if (!config) {
    return fail(ErrorCode::kObjectLockConfigurationNotFoundError,
                "Object Lock configuration does not exist for this bucket", call.route.bucket);
  }
  XmlWriter xml("ObjectLockConfiguration");
  add_text(xml.root(), "ObjectLockEnabled", "Enabled");
  if (config->default_retention) {
    auto retention = xml.root().append_child("Rule").append_child("DefaultRetention");
    add_text(retention, "Mode", config->default_retention->mode);
    if (config->default_retention->days > 0) {
      add_text(retention, "Days", std::to_string(config->default_retention->days));
    } else {
      add_text(retention, "Years", std::to_string(config->default_retention->years));
    }
  }
  return xml_response(xml.str());
}

Result<Response> put_object_retention(const Services& services, Call& call) {
  const std::string body = CV_TRY(read_request_document(
      call.request, call.identity, services.options.max_xml_body, IntegrityHeader::kRequired));
  pugi::xml_document doc;
  const auto root = CV_TRY(parse_xml(doc, body, "Retention"));
  const std::string mode = child_text(root, "Mode");
  const std::string until_text = child_text(root, "RetainUntilDate");
  int64_t until_ns = 0;
  if (mode.empty() != until_text.empty()) return std::unexpected(malformed_xml());
  if (!until_text.empty()) {
    const auto parsed = parse_retain_until(until_text);
    if (!parsed) return std::unexpected(malformed_xml());
    until_ns = *parsed;
  }
  const std::string version_id = version_param(call);
  CV_TRY(services.vault.put_object_retention(call.route.bucket, call.route.key, version_id, mode,
                                             until_ns,
                                             bypass_governance_requested(services, call)));
  Response response = empty_response(200);
  return response;
}

Result<Response> get_object_retention(const Services& services, Call& call) {
  const auto object =
      CV_TRY(services.vault.locked_version(call.route.bucket, call.route.key, version_param(call)));
  if (object.lock.mode.empty()) {
    return fail(ErrorCode::kNoSuchObjectLockConfiguration,
                "The specified object does not have a ObjectLock configuration", call.route.key);
  }
  XmlWriter xml("Retention");
  add_text(xml.root(), "Mode", object.lock.mode);
  add_text(xml.root(), "RetainUntilDate", format_retain_until(object.lock.retain_until_ns));
  return xml_response(xml.str());
}

Result<Response> put_object_legal_hold(const Services& services, Call& call) {
  const std::string body = CV_TRY(read_request_document(
      call.request, call.identity, services.options.max_xml_body, IntegrityHeader::kRequired));
  pugi::xml_document doc;
  const auto root = CV_TRY(parse_xml(doc, body, "LegalHold"));
  const std::string status = child_text(root, "Status");
  if (status != "ON" && status != "OFF") return std::unexpected(malformed_xml());
  CV_TRY(services.vault.put_object_legal_hold(call.route.bucket, call.route.key,
                                              version_param(call), status == "ON"));
  return empty_response(200);
}

Result<Response> get_object_legal_hold(const Services& services, Call& call) {
  const auto object =
      CV_TRY(services.vault.locked_version(call.route.bucket, call.route.key, version_param(call)));
  XmlWriter xml("LegalHold");
  add_text(xml.root(), "Status", object.lock.legal_hold ? "ON" : "OFF");
  return xml_response(xml.str());
}

}  // namespace cv::s3
