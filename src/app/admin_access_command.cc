// `cloudvault admin public-access-block get|put|delete` (the account's Block Public Access
// settings) and `cloudvault admin policy simulate` (the authorizer's decision, explained).
#include <fmt/chrono.h>

#include <thread>

#include <boost/json.hpp>

#include "app/admin_support.h"
#include "app/change_file.h"
#include "app/commands.h"
#include "app/migration_report.h"
#include "app/trail_identity.h"
#include "core/encoding.h"
#include "iam/caller_directory.h"
#include "iam/iam_directory.h"
#include "iam/user_directory.h"
#include "s3/access_checks.h"
#include "s3/authorizer.h"

namespace cv::app {
namespace {

namespace json = boost::json;

json::object block_json(const vault::PublicAccessBlock& block) {
  return {{"BlockPublicAcls", block.block_public_acls},
          {"IgnorePublicAcls", block.ignore_public_acls},
          {"BlockPublicPolicy", block.block_public_policy},
          {"RestrictPublicBuckets", block.restrict_public_buckets}};
}

// "arn:aws:s3:::bucket/key" -> the check; "arn:aws:s3:::bucket" for bucket actions; "*"
// (or "arn:aws:s3:::*") for account actions.
Result<s3::AccessCheck> check_for(const std::string& action, const std::string& resource) {
  constexpr std::string_view kPrefix = "arn:aws:s3:::";
  if (resource == "*" || resource == "arn:aws:s3:::*") {
    return s3::AccessCheck{action, {}, {}, "arn:aws:s3:::*", false};
  }
  if (!std::string_view(resource).starts_with(kPrefix) || resource.size() == kPrefix.size()) {
    return fail(ErrorCode::kInvalidArgument,
                "--resource must be an S3 ARN: arn:aws:s3:::BUCKET or arn:aws:s3:::BUCKET/KEY");
  }
  const std::string path = resource.substr(kPrefix.size());
  const size_t slash = path.find('/');
  if (slash == std::string::npos) {
    return s3::AccessCheck{action, path, {}, s3::bucket_arn(path), false};
  }
  return s3::object_check(action, path.substr(0, slash), path.substr(slash + 1));
}

}  // namespace

int admin_public_access_block(const Config& config, const std::string& verb,
                              const vault::PublicAccessBlock& settings) {
  return with_vault(config, [&](vault::Vault& vault) {
    if (verb == "put" || verb == "delete") {
      const auto changed = vault.set_account_public_access_block(
          verb == "put" ? std::optional(settings) : std::nullopt);
      if (!changed) return report_error(changed.error());
      ChangeFile(config.data_dir / std::string(kBucketChangesFile)).announce();
      // A running server looks at the announcement at most every other_changes_interval;
      // returning once that has passed means the next request sees the new settings.
      std::this_thread::sleep_for(vault::VaultOptions{}.other_changes_interval +
                                  std::chrono::milliseconds(50));
    }
    const auto block = vault.account_public_access_block();
    if (!block) return report_error(block.error());
    print_json(json::object{{"account", block->has_value() ? json::value(block_json(**block))
                                                           : json::value(nullptr)}});
    return 0;
  });
}

int admin_policy_simulate(const Config& config, const PolicySimulation& simulation) {
  auto account_id = trail_account_id(config);
  if (!account_id) return report_error(account_id.error());
  auto stores = open_stores_for_cli(config);
  if (!stores) return report_error(stores.error());
  meta::MetaStore& meta = *stores->meta;
  SystemClock clock;
  vault::Vault vault(meta, *stores->blobs, clock, vault_options_from(config));
  {
    auto check = check_for(simulation.action, simulation.resource);
    if (!check) return report_error(check.error());
    std::shared_ptr<const iam::CallerPolicies> caller;
    ChangeFile changes(config.data_dir / "credentials.changed");
    iam::UserDirectory users(meta, stores->master_key, clock, changes);
    iam::IamDirectory directory(meta, users, changes, clock,
                                iam::IamDirectoryOptions{*account_id, iam::validate_policy_document});
    iam::CallerDirectory callers(*account_id, &directory, &changes);
    if (!simulation.user.empty()) {
      auto user = meta.find_user_by_name(simulation.user);
      if (!user) return report_error(user.error());
      if (!*user) return report_error(Error{ErrorCode::kInvalidArgument,
                                            "no user named " + simulation.user, {}});
      auth::Identity identity;
      identity.anonymous = false;
      identity.user_id = (*user)->id;
      identity.user_name = (*user)->name;
      identity.is_root = (*user)->is_root;
      auto found = callers.policies_for(identity);
      if (!found) return report_error(found.error());
      caller = *found;
    }
    policy::ConditionKeys keys;
    const auto now = std::chrono::time_point_cast<std::chrono::seconds>(vault.clock().now());
    keys["aws:currenttime"] = {fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", now)};
    keys["aws:epochtime"] = {std::to_string(now.time_since_epoch().count())};
    keys["aws:securetransport"] = {"false"};
    if (caller) {
      keys["aws:principalarn"] = {caller->principal.arn};
      keys["aws:userid"] = {caller->principal.user_id};
      if (!caller->principal.user_name.empty()) {
        keys["aws:username"] = {caller->principal.user_name};
      }
    }
    // Keys given with --context (KEY=VALUE, repeated for several values) replace the defaults.
    policy::ConditionKeys given;
    for (const std::string& pair : simulation.context) {
      const size_t equals = pair.find('=');
      if (equals == std::string::npos || equals == 0) {
        return report_error(
            Error{ErrorCode::kInvalidArgument, "--context takes KEY=VALUE: " + pair, {}});
      }
      given[to_lower(pair.substr(0, equals))].push_back(pair.substr(equals + 1));
    }
    for (auto& [key, values] : given) keys[key] = std::move(values);
    s3::Authorizer authorizer(vault, callers, vault.clock(), *account_id);
    auto decision = authorizer.decide(caller.get(), *check, keys);
    if (!decision) return report_error(decision.error());
    print_json(json::object{{"decision", decision->allowed ? "allowed" : "denied"},
                            {"action", simulation.action},
                            {"resource", check->resource},
                            {"principal", caller ? caller->principal.arn : "anonymous"},
                            {"explanation", decision->explanation}});
    return decision->allowed ? 0 : 3;
  }
}

}  // namespace cv::app
