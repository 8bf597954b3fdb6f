// "My access keys": the signed-in user's own keys, as IAM lets every user manage its own
// (CreateAccessKey, UpdateAccessKey, DeleteAccessKey, ListAccessKeys without UserName):
//   GET keys -> {"user","sessionKey","keys":[key_json]}; POST keys -> 201 with the secret
//   (shown once); PUT keys/<id> {"status"}; DELETE keys/<id>. Changes answer as GET keys.
// Deleting or deactivating the key the session signed in with ends the session.
#include <algorithm>
#include <boost/json.hpp>

#include "console/iam_route_support.h"
#include "console/json_reply.h"

namespace cv::console {
namespace {

// The caller's stored user name (the root user's is "root", its audit name "Root").
Result<std::string> own_name(IamAccess& access) {
  return CV_TRY(access.iam.get_user_by_id(access.caller.user_id)).name;
}

Response keys_reply(RouteContext& context, IamAccess& access, std::string_view user) {
  auto keys = keys_json(access.users, user);
  if (!keys) return json_error(keys.error());
  return json_reply(boost::json::object{
      {"user", user}, {"sessionKey", context.session->access_key_id}, {"keys", std::move(*keys)}});
}

Response own_key(RouteContext& context, IamAccess& access, std::string_view user,
                 std::string_view key) {
  auto keys = access.users.list_keys(user);
  if (!keys) return json_error(keys.error());
  if (std::ranges::find(*keys, key, &iam::KeyInfo::access_key_id) == keys->end()) {
    return json_error(404, "NoSuchEntity", "You have no access key " + std::string(key) + ".");
  }
  const std::string_view method = context.request.method;
  if (method == "DELETE") {
    if (auto deleted = access.users.delete_key(key); !deleted) return json_error(deleted.error());
  } else if (method == "PUT") {
    auto active = key_status_from(context);
    if (!active) return json_error(400, "ValidationError", active.error().message);
    if (auto set = access.users.set_key_active(key, *active); !set) return json_error(set.error());
  } else {
    return method_not_allowed();
  }
  return keys_reply(context, access, user);
}

}  // namespace

Response own_keys_route(RouteContext& context) {
  auto access = iam_access(context, /*root_only=*/false);
  if (!access) return std::move(access.error());
  auto user = own_name(*access);
  if (!user) return json_error(user.error());
  const std::vector<std::string_view> path = route_segments(context.route);  // keys[, id]
  const std::string_view method = context.request.method;
  if (path.size() == 1) {
    if (method == "GET") return keys_reply(context, *access, *user);
    if (method != "POST") return method_not_allowed();
    auto created = access->users.create_key(*user, std::nullopt, std::nullopt);
    if (!created) return json_error(created.error());
    // The secret is in this answer only: it is stored sealed and never shown again.
    return json_reply(boost::json::object{{"accessKeyId", created->access_key_id},
                                          {"secretAccessKey", created->secret_key},
                                          {"user", *user}},
                      201);
  }
  if (path.size() == 2 && !path[1].empty()) return own_key(context, *access, *user, path[1]);
  return no_such_route();
}

}  // namespace cv::console
