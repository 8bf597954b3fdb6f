// IAM actions on users, access keys and groups.
#include <boost/json.hpp>
#include <charconv>

#include "iam_api/iam_actions.h"

namespace cv::iam_api {
namespace {

using iam::IamDirectory;

void add_user(IamDirectory& directory, pugi::xml_node parent, const meta::User& user,
              const char* element = "User") {
  auto node = parent.append_child(element);
  add_text(node, "Path", user.path);
  add_text(node, "UserName", user.name);
  add_text(node, "UserId", user.iam_id);
  add_text(node, "Arn", directory.user_arn(user));
  add_text(node, "CreateDate", iam_time(user.created_ns));
  if (!user.tags.empty()) {
    boost::system::error_code ec;
    const auto tags = boost::json::parse(user.tags, ec);
    if (!ec && tags.is_object() && !tags.as_object().empty()) {
      auto list = node.append_child("Tags");
      for (const auto& [key, value] : tags.as_object()) {
        auto member = list.append_child("member");
        add_text(member, "Key", key);
        add_text(member, "Value", value.is_string() ? std::string_view(value.as_string()) : "");
      }
    }
  }
}

void add_group(IamDirectory& directory, pugi::xml_node parent, const meta::IamGroup& group,
               const char* element = "Group") {
  auto node = parent.append_child(element);
  add_text(node, "Path", group.path);
  add_text(node, "GroupName", group.name);
  add_text(node, "GroupId", group.id);
  add_text(node, "Arn", directory.group_arn(group));
  add_text(node, "CreateDate", iam_time(group.created_ns));
}

// Tags.member.N.Key / Tags.member.N.Value as a JSON object text; empty when none.
Result<std::string> tags_of(const ActionCall& call) {
  boost::json::object tags;
  for (int n = 1;; ++n) {
    const std::string prefix = "Tags.member." + std::to_string(n) + ".";
    const std::string* key = call.find(prefix + "Key");
    if (key == nullptr) break;
    if (key->empty() || key->size() > 128) {
      return fail(ErrorCode::kValidationError, "A tag key must be 1-128 characters.");
    }
    const std::string value = call.get_or(prefix + "Value", "");
    if (value.size() > 256) {
      return fail(ErrorCode::kValidationError, "A tag value must be at most 256 characters.");
    }
    tags[*key] = value;
    if (tags.size() > 50) return fail(ErrorCode::kLimitExceeded, "A user can have 50 tags.");
  }
  return tags.empty() ? std::string() : boost::json::serialize(tags);
}

// The user an action names (UserName), or the caller when the parameter is absent.
Result<meta::User> named_or_caller(IamActionContext& context, const ActionCall& call) {
  if (const std::string* name = call.find("UserName")) return context.directory.get_user(*name);
  return context.directory.get_user_by_id(call.caller.user_id);
}

Status authorize(IamActionContext& context, const ActionCall& call, std::string_view action,
                 std::string_view resource) {
  return context.authorize(call.caller, action, resource);
}

std::string user_resource(IamDirectory& directory, std::string_view path, std::string_view name) {
  return iam::iam_arn(directory.account_id(), "user", path, name);
}

// The key with that id owned by `user`; NoSuchEntity otherwise (also for another's key).
Result<iam::KeyInfo> owned_key(IamActionContext& context, const meta::User& user,
                               std::string_view access_key_id) {
  for (auto& key : CV_TRY(context.users.list_keys(user.name))) {
    if (key.access_key_id == access_key_id) return key;
  }
  return fail(ErrorCode::kNoSuchEntity,
              "The Access Key with id " + std::string(access_key_id) + " cannot be found.");
}

}  // namespace

pugi::xml_node add_text(pugi::xml_node parent, const char* name, std::string_view text) {
  auto node = parent.append_child(name);
  node.text() = std::string(text).c_str();
  return node;
}

Result<Page> page_of(const ActionCall& call, size_t total) {
  size_t max_items = 100;
  if (const std::string* text = call.find("MaxItems")) {
    const auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), max_items);
    if (ec != std::errc() || ptr != text->data() + text->size() || max_items < 1 ||
        max_items > 1000) {
      return fail(ErrorCode::kValidationError,
                  "1 validation error detected: Value '" + *text +
                      "' at 'maxItems' failed to satisfy constraint: Member must have value "
                      "between 1 and 1000");
    }
  }
  size_t begin = 0;
  if (const std::string* marker = call.find("Marker")) {
    const auto [ptr, ec] = std::from_chars(marker->data(), marker->data() + marker->size(), begin);
    if (ec != std::errc() || ptr != marker->data() + marker->size()) {
      return fail(ErrorCode::kInvalidInput, "Invalid Marker.");
    }
  }
  begin = std::min(begin, total);
  return Page{begin, std::min(total, begin + max_items)};
}

void finish_page(ActionCall& call, const Page& page, size_t total) {
  const bool truncated = page.end < total;
  add_text(call.result, "IsTruncated", truncated ? "true" : "false");
  if (truncated) add_text(call.result, "Marker", std::to_string(page.end));
}

void add_iam_user_actions(ActionTable& table, IamActionContext& context) {
  IamDirectory& directory = context.directory;
  auto add = [&](const char* action, ActionHandler handler) {
    table.add("iam", action, std::move(handler));
  };

  // --- Users ----------------------------------------------------------------------------
  add("CreateUser", [&](ActionCall& call) -> Status {
    const std::string name = CV_TRY(call.required("UserName"));
    const std::string path = call.get_or("Path", "/");
    CV_TRY(authorize(context, call, "iam:CreateUser", user_resource(directory, path, name)));
    const std::string tags = CV_TRY(tags_of(call));
    const meta::User user = CV_TRY(directory.create_user(name, path, tags));
    add_user(directory, call.result, user);
    return {};
  });
  add("GetUser", [&](ActionCall& call) -> Status {
    const meta::User user = CV_TRY(named_or_caller(context, call));
    CV_TRY(authorize(context, call, "iam:GetUser", directory.user_arn(user)));
    add_user(directory, call.result, user);
    return {};
  });
  add("ListUsers", [&](ActionCall& call) -> Status {
    const std::string prefix = call.get_or("PathPrefix", "/");
    CV_TRY(authorize(context, call, "iam:ListUsers", user_resource(directory, prefix, "")));
    const auto users = CV_TRY(directory.list_users(prefix));
    const Page page = CV_TRY(page_of(call, users.size()));
    auto list = call.result.append_child("Users");
    for (size_t i = page.begin; i < page.end; ++i) add_user(directory, list, users[i], "member");
    finish_page(call, page, users.size());
    return {};
  });
  add("DeleteUser", [&](ActionCall& call) -> Status {
    const meta::User user = CV_TRY(directory.get_user(CV_TRY(call.required("UserName"))));
    CV_TRY(authorize(context, call, "iam:DeleteUser", directory.user_arn(user)));
    return directory.delete_user(user.name);
  });
  add("ListGroupsForUser", [&](ActionCall& call) -> Status {
    const meta::User user = CV_TRY(directory.get_user(CV_TRY(call.required("UserName"))));
    CV_TRY(authorize(context, call, "iam:ListGroupsForUser", directory.user_arn(user)));
    const auto groups = CV_TRY(directory.list_groups_for_user(user.name));
    const Page page = CV_TRY(page_of(call, groups.size()));
    auto list = call.result.append_child("Groups");
    for (size_t i = page.begin; i < page.end; ++i) add_group(directory, list, groups[i], "member");
    finish_page(call, page, groups.size());
    return {};
  });

  // --- Access keys ----------------------------------------------------------------------
  add("CreateAccessKey", [&](ActionCall& call) -> Status {
    const meta::User user = CV_TRY(named_or_caller(context, call));
    CV_TRY(authorize(context, call, "iam:CreateAccessKey", directory.user_arn(user)));
    const auth::Credentials key =
        CV_TRY(context.users.create_key(user.name, std::nullopt, std::nullopt));
    auto node = call.result.append_child("AccessKey");
    add_text(node, "UserName", user.name);
    add_text(node, "AccessKeyId", key.access_key_id);
    add_text(node, "Status", "Active");
    add_text(node, "SecretAccessKey", key.secret_key);
    for (const auto& info : CV_TRY(context.users.list_keys(user.name))) {
      if (info.access_key_id == key.access_key_id) {
        add_text(node, "CreateDate", iam_time(info.created_ns));
      }
    }
    return {};
  });
  add("ListAccessKeys", [&](ActionCall& call) -> Status {
    const meta::User user = CV_TRY(named_or_caller(context, call));
    CV_TRY(authorize(context, call, "iam:ListAccessKeys", directory.user_arn(user)));
    const auto keys = CV_TRY(context.users.list_keys(user.name));
    const Page page = CV_TRY(page_of(call, keys.size()));
    auto list = call.result.append_child("AccessKeyMetadata");
    for (size_t i = page.begin; i < page.end; ++i) {
      auto member = list.append_child("member");
      add_text(member, "UserName", user.name);
      add_text(member, "AccessKeyId", keys[i].access_key_id);
      add_text(member, "Status", keys[i].active ? "Active" : "Inactive");
      add_text(member, "CreateDate", iam_time(keys[i].created_ns));
    }
    finish_page(call, page, keys.size());
    return {};
  });
  add("UpdateAccessKey", [&](ActionCall& call) -> Status {
    const std::string id = CV_TRY(call.required("AccessKeyId"));
    const std::string status = CV_TRY(call.required("Status"));
    if (status != "Active" && status != "Inactive") {
      return fail(ErrorCode::kValidationError,
                  "1 validation error detected: Value '" + status +
                      "' at 'status' failed to satisfy constraint: Member must satisfy enum "
                      "value set: [Active, Inactive]");
    }
    const meta::User user = CV_TRY(named_or_caller(context, call));
    CV_TRY(authorize(context, call, "iam:UpdateAccessKey", directory.user_arn(user)));
    CV_TRY(owned_key(context, user, id));
    return context.users.set_key_active(id, status == "Active");
  });
  add("DeleteAccessKey", [&](ActionCall& call) -> Status {
    const std::string id = CV_TRY(call.required("AccessKeyId"));
    const meta::User user = CV_TRY(named_or_caller(context, call));
    CV_TRY(authorize(context, call, "iam:DeleteAccessKey", directory.user_arn(user)));
    CV_TRY(owned_key(context, user, id));
    return context.users.delete_key(id);
  });
  add("GetAccessKeyLastUsed", [&](ActionCall& call) -> Status {
    const std::string id = CV_TRY(call.required("AccessKeyId"));
    const iam::KeyLastUse use = CV_TRY(context.users.key_last_use(id));
    const meta::User owner = CV_TRY(directory.get_user(use.user_name));
    CV_TRY(authorize(context, call, "iam:GetAccessKeyLastUsed", directory.user_arn(owner)));
    add_text(call.result, "UserName", owner.name);
    auto node = call.result.append_child("AccessKeyLastUsed");
    if (use.used_ns > 0) add_text(node, "LastUsedDate", iam_time(use.used_ns));
    add_text(node, "ServiceName", use.used_ns > 0 ? use.service : "N/A");
    add_text(node, "Region", use.used_ns > 0 ? use.region : "N/A");
    return {};
  });

  // --- Groups ---------------------------------------------------------------------------
  add("CreateGroup", [&](ActionCall& call) -> Status {
    const std::string name = CV_TRY(call.required("GroupName"));
    const std::string path = call.get_or("Path", "/");
    CV_TRY(authorize(context, call, "iam:CreateGroup",
                     iam::iam_arn(directory.account_id(), "group", path, name)));
    add_group(directory, call.result, CV_TRY(directory.create_group(name, path)));
    return {};
  });
  add("GetGroup", [&](ActionCall& call) -> Status {
    const iam::GroupInfo info = CV_TRY(directory.get_group(CV_TRY(call.required("GroupName"))));
    CV_TRY(authorize(context, call, "iam:GetGroup", directory.group_arn(info.group)));
    add_group(directory, call.result, info.group);
    const Page page = CV_TRY(page_of(call, info.members.size()));
    auto list = call.result.append_child("Users");
    for (size_t i = page.begin; i < page.end; ++i) {
      add_user(directory, list, info.members[i], "member");
    }
    finish_page(call, page, info.members.size());
    return {};
  });
  add("ListGroups", [&](ActionCall& call) -> Status {
    const std::string prefix = call.get_or("PathPrefix", "/");
    CV_TRY(authorize(context, call, "iam:ListGroups",
                     iam::iam_arn(directory.account_id(), "group", prefix, "")));
    const auto groups = CV_TRY(directory.list_groups(prefix));
    const Page page = CV_TRY(page_of(call, groups.size()));
    auto list = call.result.append_child("Groups");
    for (size_t i = page.begin; i < page.end; ++i) add_group(directory, list, groups[i], "member");
    finish_page(call, page, groups.size());
    return {};
  });
  add("DeleteGroup", [&](ActionCall& call) -> Status {
    const iam::GroupInfo info = CV_TRY(directory.get_group(CV_TRY(call.required("GroupName"))));
    CV_TRY(authorize(context, call, "iam:DeleteGroup", directory.group_arn(info.group)));
    return directory.delete_group(info.group.name);
  });
  add("AddUserToGroup", [&](ActionCall& call) -> Status {
    const iam::GroupInfo info = CV_TRY(directory.get_group(CV_TRY(call.required("GroupName"))));
    CV_TRY(authorize(context, call, "iam:AddUserToGroup", directory.group_arn(info.group)));
    return directory.add_user_to_group(info.group.name, CV_TRY(call.required("UserName")));
  });
  add("RemoveUserFromGroup", [&](ActionCall& call) -> Status {
    const iam::GroupInfo info = CV_TRY(directory.get_group(CV_TRY(call.required("GroupName"))));
    CV_TRY(authorize(context, call, "iam:RemoveUserFromGroup", directory.group_arn(info.group)));
    return directory.remove_user_from_group(info.group.name, CV_TRY(call.required("UserName")));
  });
}

}  // namespace cv::iam_api
