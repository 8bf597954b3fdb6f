// JSON responses of the console API, and errors as {"error":{"code","message"}}.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/http_message.h"

namespace cv::console {

Response json_reply(const boost::json::value& body, int status = 200);
// A console error: `code` is a stable identifier for the page, `message` is shown to people.
Response json_error(int status, std::string_view code, std::string_view message);
// A vault Error with the status S3 gives its code and a message for people.
Response json_error(const Error& error);

// 401 SignInRequired when the session's key is gone (AccessDenied), else json_error(error).
Response signed_out(const Error& error);

// The request's JSON object body (at most `limit` bytes): InvalidArgument when it is not one.
Result<boost::json::object> read_json_object(Request& request, size_t limit);
// A string member of `object`, InvalidArgument when absent or not a string.
Result<std::string> string_member(const boost::json::object& object, std::string_view name);
// Optional members (absent or null: "" / false / none); InvalidArgument for another type.
Result<std::string> optional_string_member(const boost::json::object& object,
                                           std::string_view name);
Result<bool> optional_bool_member(const boost::json::object& object, std::string_view name);
Result<std::vector<std::string>> optional_string_array_member(const boost::json::object& object,
                                                              std::string_view name);

}  // namespace cv::console
