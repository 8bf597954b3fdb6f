// A bucket's event notification rules, for the console's Events panel: listed with the targets
// a rule may name, added or replaced one at a time, removed by id. Saving goes through
// Vault::put_notification_config with the server's targets, as the S3 API's
// PutBucketNotificationConfiguration does, so the rules (and error codes) are S3's.
#include <algorithm>
#include <boost/json.hpp>

#include "console/console_routes.h"
#include "console/json_reply.h"

namespace cv::console {
namespace {

// The account field of the ARNs the console writes: targets are this server's, not AWS's.
constexpr std::string_view kArnAccount = "000000000000";

boost::json::object rule_json(const vault::NotificationRule& rule) {
  boost::json::array events;
  for (const std::string& event : rule.events) events.emplace_back(event);
  return {{"id", rule.id},         {"events", std::move(events)}, {"prefix", rule.prefix},
          {"suffix", rule.suffix}, {"target", rule.target},       {"arn", rule.arn}};
}

// The bucket's rules and the names of the targets the server knows.
Response rules_reply(RouteContext& context, std::string_view bucket, int status = 200) {
  auto config = context.vault.get_notification_config(bucket);
  if (!config) return json_error(config.error());
  boost::json::array rules;
  for (const vault::NotificationRule& rule : config->rules) rules.push_back(rule_json(rule));
  boost::json::array targets;
  for (const std::string& name : context.destinations.notification_target_names()) {
    targets.emplace_back(name);
  }
  return json_reply(
      boost::json::object{{"rules", std::move(rules)}, {"targets", std::move(targets)}}, status);
}

// The rule a PUT body describes, written as a queue configuration naming the target.
Result<vault::NotificationRule> rule_from(const boost::json::object& body,
                                          std::string_view region) {
  vault::NotificationRule rule;
  rule.id = CV_TRY(optional_string_member(body, "id"));
  rule.events = CV_TRY(optional_string_array_member(body, "events"));
  rule.prefix = CV_TRY(optional_string_member(body, "prefix"));
  rule.suffix = CV_TRY(optional_string_member(body, "suffix"));
  const std::string target = CV_TRY(optional_string_member(body, "target"));
  if (target.empty()) {
    return fail(ErrorCode::kInvalidArgument, "Choose the target to notify.");
  }
  rule.kind = vault::NotificationKind::kQueue;
  rule.arn = "arn:aws:sqs:" + std::string(region) + ":" + std::string(kArnAccount) + ":" + target;
  rule.target = vault::notification_target_name(rule.kind, rule.arn);
  if (rule.id.empty()) rule.id = vault::new_notification_rule_id();
  return rule;
}

// Saves `config` as the bucket's, checking every rule's target against the server's; or, with
// `check_targets` false, none (when a rule is removed: the others were checked when saved, and
// a target taken out of the server's configuration since must not keep its rules alive).
Status save(RouteContext& context, std::string_view bucket,
            const vault::NotificationConfiguration& config, bool check_targets) {
  const vault::NotificationTargetCatalog& targets = context.destinations;
  return context.vault.put_notification_config(bucket, config, check_targets ? &targets : nullptr,
                                               change_origin(context));
}

}  // namespace

Response bucket_notifications(RouteContext& context, std::string_view bucket) {
  if (auto allowed = permit_bucket(context, "s3:GetBucketNotification", bucket); !allowed) {
    return json_error(allowed.error());
  }
  return rules_reply(context, bucket);
}

Response put_notification_rule(RouteContext& context, std::string_view bucket) {
  if (auto allowed = permit_bucket(context, "s3:PutBucketNotification", bucket); !allowed) {
    return json_error(allowed.error());
  }
  auto body = read_json_object(context.request, context.options.max_json_body);
  if (!body) return json_error(400, "InvalidRequest", body.error().message);
  auto rule = rule_from(*body, context.vault.options().region);
  if (!rule) return json_error(rule.error());
  auto config = context.vault.get_notification_config(bucket);
  if (!config) return json_error(config.error());
  if (auto same = std::ranges::find(config->rules, rule->id, &vault::NotificationRule::id);
      same != config->rules.end()) {
    *same = std::move(*rule);
  } else {
    config->rules.push_back(std::move(*rule));
  }
  if (auto saved = save(context, bucket, *config, true); !saved) return json_error(saved.error());
  return rules_reply(context, bucket);
}

Response delete_notification_rule(RouteContext& context, std::string_view bucket) {
  if (auto allowed = permit_bucket(context, "s3:PutBucketNotification", bucket); !allowed) {
    return json_error(allowed.error());
  }
  const std::string* id = find_param(context.request.params, "id");
  if (!id) return json_error(400, "InvalidRequest", "Give the id of the rule to remove.");
  auto config = context.vault.get_notification_config(bucket);
  if (!config) return json_error(config.error());
  auto found = std::ranges::find(config->rules, *id, &vault::NotificationRule::id);
  if (found == config->rules.end()) {
    return json_error(404, "NoSuchRule", "This bucket has no event rule with that id.");
  }
  config->rules.erase(found);
  if (auto saved = save(context, bucket, *config, false); !saved) return json_error(saved.error());
  return rules_reply(context, bucket);
}

}  // namespace cv::console
