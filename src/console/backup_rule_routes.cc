// A bucket's replication rules, for the console's Backup panel: listed with the remotes a rule
// may name, added one at a time, removed by id. Adding turns versioning on where S3 requires
// it (the bucket, and a destination bucket on this server) once the rule has passed every
// check that does not need it, then saves through Vault::put_replication, whose checks are
// the S3 API's PutBucketReplication's.
#include <algorithm>
#include <boost/json.hpp>

#include "console/console_routes.h"
#include "console/json_reply.h"

namespace cv::console {
namespace {

boost::json::object rule_json(const vault::ReplicationRule& rule) {
  // Our extensions are filter tags with reserved keys; the others are object tags.
  std::string suffix;
  std::string content_type;
  boost::json::array tags;
  for (const auto& [name, value] : rule.filter.tags) {
    if (name == vault::kReplicationSuffixTag) {
      suffix = value;
    } else if (name == vault::kReplicationContentTypeTag) {
      content_type = value;
    } else {
      tags.push_back(boost::json::object{{"name", name}, {"value", value}});
    }
  }
  return {{"id", rule.id},
          {"priority", rule.priority ? boost::json::value(*rule.priority) : nullptr},
          {"enabled", rule.enabled},
          {"destinationBucket", rule.destination.bucket_name()},
          {"remote", rule.destination.account},
          {"storageClass", rule.destination.storage_class},
          {"prefix", rule.filter.prefix},
          {"suffix", suffix},
          {"contentType", content_type},
          {"tags", std::move(tags)},
          {"deleteMarkers", rule.replicates_delete_markers()},
          {"existingObjects", rule.existing_object_replication.value_or(false)}};
}

// The bucket's rules, the names of the remotes the server knows, and its versioning.
Response rules_reply(RouteContext& context, std::string_view bucket, int status = 200) {
  auto config = context.vault.replication(bucket);
  if (!config) return json_error(config.error());
  auto versioning = context.vault.versioning(bucket);
  if (!versioning) return json_error(versioning.error());
  boost::json::array rules;
  if (*config) {
    for (const vault::ReplicationRule& rule : (*config)->rules) rules.push_back(rule_json(rule));
  }
  boost::json::array remotes;
  for (const std::string& name : context.destinations.replication_remote_names()) {
    remotes.emplace_back(name);
  }
  return json_reply(boost::json::object{{"rules", std::move(rules)},
                                        {"remotes", std::move(remotes)},
                                        {"versioning", versioning_name(*versioning)}},
                    status);
}

// The rule a POST body describes, in S3's V2 schema: enabled, the destination's class the
// source version's, a prefix filter and our suffix tag.
Result<vault::ReplicationRule> rule_from(const boost::json::object& body) {
  vault::ReplicationRule rule;
  rule.id = CV_TRY(optional_string_member(body, "id"));
  const std::string destination = CV_TRY(optional_string_member(body, "destinationBucket"));
  if (destination.empty()) {
    return fail(ErrorCode::kInvalidArgument, "Name the bucket to back up to.");
  }
  rule.destination.bucket_arn = std::string(vault::kS3BucketArnPrefix) + destination;
  rule.destination.account = CV_TRY(optional_string_member(body, "remote"));
  rule.filter.prefix = CV_TRY(optional_string_member(body, "prefix"));
  const std::string suffix = CV_TRY(optional_string_member(body, "suffix"));
  if (!suffix.empty()) {
    rule.filter.shape = vault::ReplicationFilter::Shape::kAnd;
    rule.filter.tags.emplace_back(vault::kReplicationSuffixTag, suffix);
  } else {
    rule.filter.shape = rule.filter.prefix.empty() ? vault::ReplicationFilter::Shape::kEmpty
                                                   : vault::ReplicationFilter::Shape::kPrefix;
  }
  rule.delete_marker_replication = CV_TRY(optional_bool_member(body, "deleteMarkers"));
  rule.existing_object_replication = CV_TRY(optional_bool_member(body, "existingObjects"));
  if (rule.id.empty()) rule.id = vault::new_replication_rule_id();
  return rule;
}

// Above the highest priority so far: a later rule wins where destinations coincide.
int32_t next_priority(const vault::ReplicationConfiguration& config) {
  int32_t highest = 0;
  for (const vault::ReplicationRule& rule : config.rules) {
    highest = std::max(highest, rule.priority.value_or(0));
  }
  return highest + 1;
}

// What must hold of the destination before versioning is turned on for it: a remote the
// server knows, or another bucket of this server that the user may replicate into
// (s3:ReplicateObject, as AWS asks of a replication role) and turn versioning on for
// (s3:PutBucketVersioning, when it is off).
Status check_destination(RouteContext& context, std::string_view bucket,
                         const vault::ReplicationDestination& destination) {
  if (destination.is_remote()) {
    if (!context.destinations.has_remote(destination.account)) {
      return fail(ErrorCode::kInvalidRequest,
                  "This server has no replication remote named \"" + destination.account + "\".");
    }
    return {};
  }
  const std::string name = destination.bucket_name();
  if (name == bucket) {
    return fail(ErrorCode::kInvalidRequest,
                "Destination bucket cannot be the same as the source bucket.");
  }
  // A bucket the user may not see (no gate: another user's) is not revealed either.
  auto hidden = [&](Status status) -> Status {
    if (status || status.error().code != ErrorCode::kNoSuchBucket) return status;
    return fail(ErrorCode::kNoSuchBucket,
                "You have no bucket \"" + name + "\" on this server to back up to.", name);
  };
  auto versioning = context.vault.versioning(name);
  if (!versioning) return hidden(fail(std::move(versioning).error()));
  CV_TRY(hidden(permit_object(context, "s3:ReplicateObject", name, "*")));
  if (*versioning != vault::Versioning::kEnabled) {
    CV_TRY(hidden(permit_bucket(context, "s3:PutBucketVersioning", name)));
  }
  return {};
}

Status turn_versioning_on(RouteContext& context, std::string_view bucket) {
  if (CV_TRY(context.vault.versioning(bucket)) == vault::Versioning::kEnabled) return {};
  return context.vault.set_versioning(bucket, vault::Versioning::kEnabled);
}

}  // namespace

Response bucket_backup(RouteContext& context, std::string_view bucket) {
  if (auto allowed = permit_bucket(context, "s3:GetReplicationConfiguration", bucket); !allowed) {
    return json_error(allowed.error());
  }
  return rules_reply(context, bucket);
}

Response add_backup_rule(RouteContext& context, std::string_view bucket) {
  if (auto allowed = permit_bucket(context, "s3:PutReplicationConfiguration", bucket); !allowed) {
    return json_error(allowed.error());
  }
  auto body = read_json_object(context.request, context.options.max_json_body);
  if (!body) return json_error(400, "InvalidRequest", body.error().message);
  auto rule = rule_from(*body);
  if (!rule) return json_error(rule.error());
  auto existing = context.vault.replication(bucket);
  if (!existing) return json_error(existing.error());
  vault::ReplicationConfiguration config = existing->value_or(vault::ReplicationConfiguration{});
  rule->priority = next_priority(config);
  config.rules.push_back(*rule);
  if (auto valid = vault::validate(config); !valid) return json_error(valid.error());
  // Versioning is turned on for the bucket below: its permission too, before any change.
  auto versioning = context.vault.versioning(bucket);
  if (!versioning) return json_error(versioning.error());
  if (*versioning != vault::Versioning::kEnabled) {
    if (auto allowed = permit_bucket(context, "s3:PutBucketVersioning", bucket); !allowed) {
      return json_error(allowed.error());
    }
  }
  if (auto ready = check_destination(context, bucket, rule->destination); !ready) {
    return json_error(ready.error());
  }
  if (auto on = turn_versioning_on(context, bucket); !on) return json_error(on.error());
  if (!rule->destination.is_remote()) {
    if (auto on = turn_versioning_on(context, rule->destination.bucket_name()); !on) {
      return json_error(on.error());
    }
  }
  if (auto saved = context.vault.put_replication(bucket, config, context.destinations); !saved) {
    return json_error(saved.error());
  }
  return rules_reply(context, bucket, 201);
}

Response delete_backup_rule(RouteContext& context, std::string_view bucket) {
  if (auto allowed = permit_bucket(context, "s3:PutReplicationConfiguration", bucket); !allowed) {
    return json_error(allowed.error());
  }
  const std::string* id = find_param(context.request.params, "id");
  if (!id) return json_error(400, "InvalidRequest", "Give the id of the rule to remove.");
  auto existing = context.vault.replication(bucket);
  if (!existing) return json_error(existing.error());
  vault::ReplicationConfiguration config = existing->value_or(vault::ReplicationConfiguration{});
  auto found = std::ranges::find(config.rules, *id, &vault::ReplicationRule::id);
  if (found == config.rules.end()) {
    return json_error(404, "NoSuchRule", "This bucket has no backup rule with that id.");
  }
  config.rules.erase(found);
  const Status saved = config.rules.empty()
                           ? context.vault.delete_replication(bucket)
                           : context.vault.put_replication(bucket, config, context.destinations);
  if (!saved) return json_error(saved.error());
  return rules_reply(context, bucket);
}

}  // namespace cv::console
