#include "console/json_reply.h"

#include <boost/json.hpp>

#include "core/byte_source.h"

namespace cv::console {

Response json_reply(const boost::json::value& body, int status) {
  Response response;
  response.status = status;
  response.headers.add("content-type", "application/json");
  response.headers.add("cache-control", "no-store");
  response.body = boost::json::serialize(body);
  return response;
}

Response json_error(int status, std::string_view code, std::string_view message) {
  boost::json::object error{{"code", code}, {"message", message}};
  Response response = json_reply(boost::json::object{{"error", std::move(error)}}, status);
  response.error_code = code;
  return response;
}

Response json_error(const Error& error) {
  const std::string message =
      error.message.empty() ? std::string(error_default_message(error.code)) : error.message;
  return json_error(error_http_status(error.code), error_code_name(error.code), message);
}

Response signed_out(const Error& error) {
  if (error.code == ErrorCode::kAccessDenied) {
    return json_error(401, "SignInRequired", "Sign in to continue: your session has ended.");
  }
  return json_error(error);
}

Result<boost::json::object> read_json_object(Request& request, size_t limit) {
  if (request.content_length && *request.content_length > limit) {
    return fail(ErrorCode::kInvalidArgument, "The request body is too large.");
  }
  const std::string text = CV_TRY(read_all(*request.body, limit));
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(text, ec);
  if (ec || !value.is_object()) {
    return fail(ErrorCode::kInvalidArgument, "The request body must be a JSON object.");
  }
  return std::move(value.as_object());
}

Result<std::string> string_member(const boost::json::object& object, std::string_view name) {
  const boost::json::value* found = object.if_contains(name);
  if (!found || !found->is_string()) {
    return fail(ErrorCode::kInvalidArgument,
                "The request needs \"" + std::string(name) + "\" as a string.");
  }
  return std::string(found->get_string());
}

namespace {

// The member `name`, or null when it is absent or null.
const boost::json::value* given(const boost::json::object& object, std::string_view name) {
  const boost::json::value* found = object.if_contains(name);
  return found && !found->is_null() ? found : nullptr;
}

std::unexpected<Error> wrong_type(std::string_view name, std::string_view what) {
  return fail(ErrorCode::kInvalidArgument,
              "\"" + std::string(name) + "\" must be " + std::string(what) + ".");
}

}  // namespace

Result<std::string> optional_string_member(const boost::json::object& object,
                                           std::string_view name) {
  const boost::json::value* found = given(object, name);
  if (!found) return std::string();
  if (!found->is_string()) return wrong_type(name, "a string");
  return std::string(found->get_string());
}

Result<bool> optional_bool_member(const boost::json::object& object, std::string_view name) {
  const boost::json::value* found = given(object, name);
  if (!found) return false;
  if (!found->is_bool()) return wrong_type(name, "true or false");
  return found->get_bool();
}

Result<std::vector<std::string>> optional_string_array_member(const boost::json::object& object,
                                                              std::string_view name) {
  std::vector<std::string> out;
  const boost::json::value* found = given(object, name);
  if (!found) return out;
  if (!found->is_array()) return wrong_type(name, "an array of strings");
  for (const boost::json::value& item : found->get_array()) {
    if (!item.is_string()) return wrong_type(name, "an array of strings");
    out.emplace_back(item.get_string());
  }
  return out;
}

}  // namespace cv::console
