// `cloudvault admin user|group|policy|role ...` and the key status verbs: IAM administration
// against the data folder through the same iam::IamDirectory as the IAM query API, safe while
// the server runs (changes are announced through credentials.changed). Output is JSON.
#include <boost/json.hpp>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "app/change_file.h"
#include "app/commands.h"
#include "app/data_dir.h"
#include "app/data_folder_lock.h"
#include "app/migration_report.h"
#include "app/trail_identity.h"
#include "app/wiring.h"
#include "iam/caller_directory.h"
#include "iam/iam_directory.h"

namespace cv::app {
namespace {

int report(const Error& error) {
  std::fprintf(stderr, "cloudvault: %s: %s\n", std::string(error_code_name(error.code)).c_str(),
               error.message.c_str());
  return 1;
}

void print_json(const boost::json::value& value) {
  std::printf("%s\n", boost::json::serialize(value).c_str());
}

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::kInvalidArgument, "cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

boost::json::object user_json(iam::IamDirectory& directory, const meta::User& user) {
  return {{"user", user.name}, {"id", user.iam_id},    {"arn", directory.user_arn(user)},
          {"path", user.path}, {"root", user.is_root}, {"display_name", user.display_name}};
}

// The principal named by --user / --group / --role (exactly one).
Result<iam::PrincipalName> principal_of(const IamAdminArgs& args) {
  const int given = args.user.has_value() + args.group.has_value() + args.role.has_value();
  if (given != 1) {
    return fail(ErrorCode::kInvalidArgument, "name exactly one of --user, --group, --role");
  }
  if (args.user) return iam::PrincipalName{meta::IamPrincipalKind::kUser, *args.user};
  if (args.group) return iam::PrincipalName{meta::IamPrincipalKind::kGroup, *args.group};
  return iam::PrincipalName{meta::IamPrincipalKind::kRole, *args.role};
}

// One verb; prints its JSON and returns success, or the error.
Status run_verb(iam::IamDirectory& directory, iam::UserDirectory& users, const IamAdminArgs& args) {
  const std::string& verb = args.verb;
  if (verb == "user list") {
    boost::json::array out;
    for (const auto& user : CV_TRY(users.list_users())) out.push_back(user_json(directory, user));
    print_json(out);
  } else if (verb == "user delete") {
    CV_TRY(directory.delete_user(args.name));
  } else if (verb == "key activate" || verb == "key deactivate") {
    CV_TRY(users.set_key_active(args.name, verb == "key activate"));
  } else if (verb == "group create") {
    const auto group = CV_TRY(directory.create_group(args.name, args.path.value_or("/")));
    print_json({{"group", group.name}, {"id", group.id}, {"arn", directory.group_arn(group)}});
  } else if (verb == "group delete") {
    CV_TRY(directory.delete_group(args.name));
  } else if (verb == "group list") {
    boost::json::array out;
    for (const auto& group : CV_TRY(directory.list_groups())) {
      const auto info = CV_TRY(directory.get_group(group.name));
      boost::json::array members;
      for (const auto& member : info.members) members.push_back(boost::json::string(member.name));
      out.push_back({{"group", group.name},
                     {"id", group.id},
                     {"arn", directory.group_arn(group)},
                     {"users", std::move(members)}});
    }
    print_json(out);
  } else if (verb == "group add-user") {
    CV_TRY(directory.add_user_to_group(args.name, args.other));
  } else if (verb == "group remove-user") {
    CV_TRY(directory.remove_user_from_group(args.name, args.other));
  } else if (verb == "policy create") {
    const std::string document = CV_TRY(read_file(*args.file));
    const auto policy = CV_TRY(directory.create_policy(args.name, args.path.value_or("/"), document,
                                                       args.description.value_or("")));
    print_json({{"policy", policy.name}, {"id", policy.id}, {"arn", directory.policy_arn(policy)}});
  } else if (verb == "policy list") {
    boost::json::array out;
    for (const auto& policy : CV_TRY(directory.list_policies())) {
      out.push_back({{"policy", policy.name},
                     {"arn", directory.policy_arn(policy)},
                     {"attachments", CV_TRY(directory.attachment_count(policy))}});
    }
    print_json(out);
  } else if (verb == "policy get") {
    const auto policy = CV_TRY(directory.get_policy_by_name(args.name));
    std::printf("%s\n", policy.document.c_str());
  } else if (verb == "policy delete") {
    const auto policy = CV_TRY(directory.get_policy_by_name(args.name));
    CV_TRY(directory.delete_policy(directory.policy_arn(policy)));
  } else if (verb == "policy attach" || verb == "policy detach") {
    const auto policy = CV_TRY(directory.get_policy_by_name(args.name));
    const auto owner = CV_TRY(principal_of(args));
    if (verb == "policy attach") {
      CV_TRY(directory.attach_policy(owner, directory.policy_arn(policy)));
    } else {
      CV_TRY(directory.detach_policy(owner, directory.policy_arn(policy)));
    }
  } else if (verb == "inline put") {
    const std::string document = CV_TRY(read_file(*args.file));
    CV_TRY(directory.put_inline_policy(CV_TRY(principal_of(args)), args.name, document));
  } else if (verb == "inline get") {
    const auto policy = CV_TRY(directory.get_inline_policy(CV_TRY(principal_of(args)), args.name));
    std::printf("%s\n", policy.document.c_str());
  } else if (verb == "inline delete") {
    CV_TRY(directory.delete_inline_policy(CV_TRY(principal_of(args)), args.name));
  } else if (verb == "inline list") {
    boost::json::array out;
    for (const auto& name : CV_TRY(directory.list_inline_policies(CV_TRY(principal_of(args))))) {
      out.push_back(boost::json::string(name));
    }
    print_json(out);
  } else if (verb == "role create") {
    const std::string trust = CV_TRY(read_file(*args.file));
    const auto role =
        CV_TRY(directory.create_role(args.name, args.path.value_or("/"), trust,
                                     args.description.value_or(""), args.max_session_seconds));
    print_json({{"role", role.name}, {"id", role.id}, {"arn", directory.role_arn(role)}});
  } else if (verb == "role list") {
    boost::json::array out;
    for (const auto& role : CV_TRY(directory.list_roles())) {
      out.push_back({{"role", role.name}, {"id", role.id}, {"arn", directory.role_arn(role)}});
    }
    print_json(out);
  } else if (verb == "role get") {
    const auto role = CV_TRY(directory.find_role(args.name));
    if (!role) {
      return fail(ErrorCode::kNoSuchEntity,
                  "The role with name " + args.name + " cannot be found.");
    }
    boost::json::array policies;
    for (const auto& ref : role->policies) policies.push_back(boost::json::string(ref.source));
    print_json({{"role", role->name},
                {"id", role->id},
                {"arn", role->arn},
                {"path", role->path},
                {"description", role->description},
                {"max_session_seconds", role->max_session_seconds},
                {"trust_policy", role->trust_policy},
                {"policies", std::move(policies)}});
  } else if (verb == "role delete") {
    CV_TRY(directory.delete_role(args.name));
  } else {
    return fail(ErrorCode::kInvalidArgument, "unknown verb " + verb);
  }
  return {};
}

}  // namespace

int admin_iam(const Config& config, const IamAdminArgs& args) {
  auto folder_lock =
      DataFolderLock::acquire(config.data_dir, DataFolderLock::Mode::kShared, /*wait=*/true);
  if (!folder_lock) return report(folder_lock.error());
  auto stores = open_stores_for_cli(config);
  if (!stores) return report(stores.error());
  auto account_id = trail_account_id(config);
  if (!account_id) return report(account_id.error());
  SystemClock clock;
  ChangeFile changes(config.data_dir / "credentials.changed");
  iam::UserDirectory users(*stores->meta, stores->master_key, clock, changes);
  iam::IamDirectory directory(
      *stores->meta, users, changes, clock,
      iam::IamDirectoryOptions{*account_id, iam::validate_policy_document});
  const Status done = run_verb(directory, users, args);
  // Servers look at credentials.changed at most every kServerLookInterval: return once every
  // running server sees the change, so a script's next request is served under it.
  changes.wait_until_servers_see();
  if (!done) return report(done.error());
  return 0;
}

}  // namespace cv::app
