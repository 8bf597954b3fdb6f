// What the console's IAM routes share (iam_routes.cc, policy_routes.cc, own_key_routes.cc):
// the IAM services with the signed-in caller, IAM errors as console errors, the route's path
// segments, and the JSON of users, keys, managed policies and roles. Internal to console/.
#pragma once

#include <boost/json/object.hpp>
#include <expected>
#include <optional>
#include <string_view>
#include <vector>

#include "console/console_routes.h"
#include "iam/iam_directory.h"
#include "iam/user_directory.h"

namespace cv::console {

// The IAM services and who is asking (the session's key; user_name "Root" for root).
struct IamAccess {
  iam::IamDirectory& iam;
  iam::UserDirectory& users;
  auth::Credentials caller;
};

// The IAM services with the signed-in caller, or the response to give instead: 404 IamOff
// when the server passed no IAM services, 401 SignInRequired when the session's key is gone,
// 403 AccessDenied when `root_only` and the caller is not root.
std::expected<IamAccess, Response> iam_access(RouteContext& context, bool root_only);

// The route's path segments ("iam/users/ann/keys" -> iam, users, ann, keys); empty segments
// are kept, so "iam/users//keys" does not name the user "keys".
std::vector<std::string_view> route_segments(std::string_view route);

// ISO 8601 of a nanosecond time, null for 0 (never).
boost::json::value time_json(int64_t unix_ns);

// {"accessKeyId","status":"Active"|"Inactive","created","lastUsed","lastUsedService",
// "lastUsedRegion"} (the last use null/"" when never).
boost::json::object key_json(iam::UserDirectory& users, const iam::KeyInfo& key);
// Every key of the user (by stored name) as key_json, oldest first.
Result<boost::json::array> keys_json(iam::UserDirectory& users, std::string_view user_name);

// {"name","arn","path","id","description","created","attachments"}; with the document when
// `with_document`.
Result<boost::json::object> managed_policy_json(iam::IamDirectory& iam,
                                                const meta::ManagedPolicy& policy,
                                                bool with_document);

// The body {"status":"Active"|"Inactive"}: true for Active; ValidationError otherwise.
// (iam_routes.cc)
Result<bool> key_status_from(RouteContext& context);
// The string member `member` of the JSON body (a policy document, as text). (iam_routes.cc)
Result<std::string> policy_document_from(RouteContext& context,
                                         std::string_view member = "document");

// GET / PUT {"document"} / DELETE of `owner`'s inline policy `policy` (a user's or a role's):
// the GET's answer {"name","document"}, or the response to an error or another method; nullopt
// after a PUT or DELETE that changed it, for the caller to answer its own detail.
// (iam_routes.cc)
std::optional<Response> inline_policy_route(RouteContext& context, IamAccess& access,
                                            const iam::PrincipalName& owner,
                                            std::string_view policy);

// Adds `name`=`value` to the call's audit record (when the trail is on): the name a creating
// call gives in its body, as CloudTrail's requestParameters of the IAM call.
void note_parameter(RouteContext& context, std::string_view name, std::string_view value);

// 405 MethodNotAllowed.
Response method_not_allowed();
// 404 NotFound for a path under iam/ or keys/ that names no route.
Response no_such_route();

}  // namespace cv::console
