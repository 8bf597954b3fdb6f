// A bucket's Permissions panel (GetBucketPolicy and GetBucketPublicAccessBlock to see it, their
// Put*/Delete* actions to change it): its policy and its Block Public Access, saved
// through the same vault calls as PutBucketPolicy and PutPublicAccessBlock (so S3's checks,
// codes and messages: MalformedPolicy, the AccessDenied of a public policy while
// BlockPublicPolicy is in force). Every route answers the panel's state:
//   {"policy": text|null, "public": GetBucketPolicyStatus's IsPublic,
//    "block": the bucket's four settings|null, "account": the account's|null,
//    "inForce": each setting on in either}
// And the account's own Block Public Access (root only): {"account": the settings|null}.
#include <boost/json.hpp>

#include "console/console_routes.h"
#include "console/json_reply.h"

namespace cv::console {
namespace {

boost::json::value block_json(const std::optional<vault::PublicAccessBlock>& block) {
  if (!block) return nullptr;
  return boost::json::object{{"blockPublicAcls", block->block_public_acls},
                             {"ignorePublicAcls", block->ignore_public_acls},
                             {"blockPublicPolicy", block->block_public_policy},
                             {"restrictPublicBuckets", block->restrict_public_buckets}};
}

Result<bool> required_bool(const boost::json::object& body, std::string_view name) {
  const boost::json::value* found = body.if_contains(name);
  if (!found || !found->is_bool()) {
    return fail(ErrorCode::kInvalidArgument,
                "The request needs \"" + std::string(name) + "\" as true or false.");
  }
  return found->get_bool();
}

Result<vault::PublicAccessBlock> block_from(RouteContext& context) {
  const boost::json::object body =
      CV_TRY(read_json_object(context.request, context.options.max_json_body));
  return vault::PublicAccessBlock{CV_TRY(required_bool(body, "blockPublicAcls")),
                                  CV_TRY(required_bool(body, "ignorePublicAcls")),
                                  CV_TRY(required_bool(body, "blockPublicPolicy")),
                                  CV_TRY(required_bool(body, "restrictPublicBuckets"))};
}

Result<boost::json::object> access_state(RouteContext& context, std::string_view bucket) {
  const auto access = CV_TRY(context.vault.bucket_access(bucket));
  boost::json::value policy = nullptr;
  if (access->policy) policy = CV_TRY(context.vault.bucket_policy(bucket));
  return boost::json::object{
      {"policy", std::move(policy)},
      {"public", access->policy_is_public},
      {"block", block_json(access->block)},
      {"account", block_json(CV_TRY(context.vault.account_public_access_block()))},
      {"inForce", block_json(CV_TRY(context.vault.public_access_in_force(*access)))}};
}

Response state_reply(RouteContext& context, std::string_view bucket) {
  auto state = access_state(context, bucket);
  if (!state) return json_error(state.error());
  return json_reply(*state);
}

}  // namespace

Response bucket_access(RouteContext& context, std::string_view bucket) {
  // The panel shows the policy and the Block Public Access settings.
  for (std::string_view action : {"s3:GetBucketPolicy", "s3:GetBucketPublicAccessBlock"}) {
    if (auto allowed = permit_bucket(context, action, bucket); !allowed) {
      return json_error(allowed.error());
    }
  }
  if (context.request.method != "GET") {
    return json_error(405, "MethodNotAllowed", "That method is not allowed here.");
  }
  return state_reply(context, bucket);
}

Response bucket_policy_route(RouteContext& context, std::string_view bucket) {
  const std::string_view method = context.request.method;
  if (method == "PUT" || method == "DELETE") {
    const std::string_view action =
        method == "PUT" ? "s3:PutBucketPolicy" : "s3:DeleteBucketPolicy";
    if (auto allowed = permit_bucket(context, action, bucket); !allowed) {
      return json_error(allowed.error());
    }
  }
  Status changed;
  if (method == "PUT") {
    auto body = read_json_object(context.request, context.options.max_json_body);
    if (!body) return json_error(400, "InvalidRequest", body.error().message);
    auto document = string_member(*body, "document");
    if (!document) return json_error(400, "InvalidRequest", document.error().message);
    changed = context.vault.put_bucket_policy(bucket, *document);
  } else if (method == "DELETE") {
    changed = context.vault.delete_bucket_policy(bucket);
  } else {
    return json_error(405, "MethodNotAllowed", "That method is not allowed here.");
  }
  if (!changed) return json_error(changed.error());
  return state_reply(context, bucket);
}

Response public_access_block_route(RouteContext& context, std::string_view bucket) {
  const std::string_view method = context.request.method;
  if (method == "PUT" || method == "DELETE") {
    if (auto allowed = permit_bucket(context, "s3:PutBucketPublicAccessBlock", bucket); !allowed) {
      return json_error(allowed.error());
    }
  }
  Status changed;
  if (method == "PUT") {
    auto block = block_from(context);
    if (!block) return json_error(400, "InvalidRequest", block.error().message);
    changed = context.vault.put_public_access_block(bucket, *block);
  } else if (method == "DELETE") {
    changed = context.vault.delete_public_access_block(bucket);
  } else {
    return json_error(405, "MethodNotAllowed", "That method is not allowed here.");
  }
  if (!changed) return json_error(changed.error());
  return state_reply(context, bucket);
}

Response account_public_access_block_route(RouteContext& context) {
  // Who may change it: root, as with `cloudvault admin public-access-block`.
  auto key = context.credentials.find(context.session->access_key_id);
  if (!key) return json_error(key.error());
  if (!*key || !(*key)->is_root) {
    return json_error(403, "AccessDenied",
                      "Only the root user may change the account's Block Public Access.");
  }
  const std::string_view method = context.request.method;
  Status changed;
  if (method == "PUT") {
    auto block = block_from(context);
    if (!block) return json_error(400, "InvalidRequest", block.error().message);
    changed = context.vault.set_account_public_access_block(*block);
  } else if (method == "DELETE") {
    changed = context.vault.set_account_public_access_block(std::nullopt);
  } else if (method != "GET") {
    return json_error(405, "MethodNotAllowed", "That method is not allowed here.");
  }
  if (!changed) return json_error(changed.error());
  auto account = context.vault.account_public_access_block();
  if (!account) return json_error(account.error());
  return json_reply(boost::json::object{{"account", block_json(*account)}});
}

}  // namespace cv::console
