#include "iam_api/query_protocol.h"

#include <sstream>

#include "core/clock.h"
#include "core/encoding.h"

namespace cv::iam_api {
namespace {

// The service of "AKID/20240101/us-east-1/iam/aws4_request".
std::string_view scope_service(std::string_view credential) {
  const size_t end = credential.rfind('/');
  if (end == std::string_view::npos) return {};
  const size_t start = credential.rfind('/', end - 1);
  if (start == std::string_view::npos || end == 0) return {};
  return credential.substr(start + 1, end - start - 1);
}

std::optional<std::string> known(std::string_view service) {
  if (service == "iam" || service == "sts") return std::string(service);
  return std::nullopt;
}

}  // namespace

std::optional<std::string> query_service_of(const Request& request) {
  if (const std::string* authorization = request.headers.find("authorization")) {
    const std::string_view value = *authorization;
    const size_t at = value.find("Credential=");
    if (at == std::string_view::npos) return std::nullopt;
    std::string_view credential = value.substr(at + 11);
    credential = credential.substr(0, credential.find_first_of(", "));
    return known(scope_service(credential));
  }
  if (const std::string* credential = find_param(request.params, "X-Amz-Credential")) {
    return known(scope_service(*credential));
  }
  return std::nullopt;
}

const std::string* ActionCall::find(std::string_view name) const {
  auto it = params.find(name);
  return it == params.end() ? nullptr : &it->second;
}

Result<std::string> ActionCall::required(std::string_view name) const {
  if (const std::string* value = find(name)) return *value;
  std::string field(name);
  if (!field.empty()) field[0] = static_cast<char>(std::tolower(field[0]));
  return fail(ErrorCode::kValidationError, "1 validation error detected: Value null at '" + field +
                                               "' failed to satisfy constraint: Member must not "
                                               "be null");
}

std::string ActionCall::get_or(std::string_view name, std::string_view fallback) const {
  if (const std::string* value = find(name)) return *value;
  return std::string(fallback);
}

void ActionTable::add_service(std::string service, std::string xml_namespace) {
  services_[std::move(service)].xml_namespace = std::move(xml_namespace);
}

void ActionTable::add(std::string_view service, std::string action, ActionHandler handler) {
  auto it = services_.find(service);
  if (it == services_.end()) it = services_.emplace(std::string(service), Service{}).first;
  it->second.actions.insert_or_assign(std::move(action), std::move(handler));
}

std::string_view ActionTable::known_action(std::string_view service,
                                          std::string_view action) const {
  const auto found = services_.find(service);
  if (found == services_.end()) return "UnknownOperation";
  const auto named = found->second.actions.find(action);
  if (named == found->second.actions.end()) return "UnknownOperation";
  return named->first;
}

const ActionHandler* ActionTable::find(std::string_view service, std::string_view action) const {
  auto it = services_.find(service);
  if (it == services_.end()) return nullptr;
  auto action_it = it->second.actions.find(action);
  return action_it == it->second.actions.end() ? nullptr : &action_it->second;
}

std::string_view ActionTable::xml_namespace(std::string_view service) const {
  auto it = services_.find(service);
  if (it == services_.end()) return "https://iam.amazonaws.com/doc/2010-05-08/";
  return it->second.xml_namespace;
}

Response xml_response(const pugi::xml_document& document) {
  std::ostringstream out;
  document.save(out, "", pugi::format_raw | pugi::format_no_declaration);
  Response response;
  response.headers.add("content-type", "text/xml");
  response.body = R"(<?xml version="1.0" encoding="UTF-8"?>)" + out.str();
  return response;
}

Response error_response(const Error& error, std::string_view xml_namespace,
                        std::string_view request_id) {
  const int status = error_http_status(error.code);
  pugi::xml_document document;
  auto root = document.append_child("ErrorResponse");
  root.append_attribute("xmlns") = std::string(xml_namespace).c_str();
  auto body = root.append_child("Error");
  body.append_child("Type").text() = status >= 500 ? "Receiver" : "Sender";
  body.append_child("Code").text() = std::string(error_code_name(error.code)).c_str();
  const std::string message =
      error.message.empty() ? std::string(error_default_message(error.code)) : error.message;
  body.append_child("Message").text() = message.c_str();
  root.append_child("RequestId").text() = std::string(request_id).c_str();
  Response response = xml_response(document);
  response.status = status;
  response.error_code = error_code_name(error.code);
  return response;
}

std::string iam_time(int64_t unix_nanos) {
  std::string text = format_iso8601(from_unix_nanos(unix_nanos));  // "...T17:50:30.000Z"
  if (const size_t dot = text.find('.'); dot != std::string::npos) {
    text = text.substr(0, dot) + "Z";
  }
  return text;
}

}  // namespace cv::iam_api
