// cloudvault: the one binary. `cloudvault server` serves S3; `cloudvault admin` manages users
// and keys in the same data folder.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "app/cli_audit.h"
#include "app/commands.h"
#include "app/config.h"
#include "remote/s3_blob_url.h"

namespace {

struct CommonFlags {
  std::optional<std::string> config_file;
  std::optional<std::string> data_dir;
  std::optional<std::string> blob;
  std::optional<std::string> meta;
};

void add_common_flags(CLI::App& command, CommonFlags& flags) {
  command.add_option("--config", flags.config_file, "TOML configuration file");
  command.add_option("--data", flags.data_dir, "data folder (default ./data)");
  command.add_option("--meta", flags.meta,
                     "keep metadata in PostgreSQL: postgres://USER:PASSWORD@HOST:PORT/DB");
  command.add_option("--blob", flags.blob,
                     "keep object bodies in an S3 bucket: s3://BUCKET/PREFIX?endpoint=URL&region=R");
}

// The words of the verb that ran ({"admin", "user", "add"}): the parsed subcommands in order.
std::vector<std::string> verb_words(const CLI::App& app) {
  std::vector<std::string> words;
  for (const CLI::App* command = &app;;) {
    const auto parsed = command->get_subcommands();
    if (parsed.empty()) return words;
    command = parsed.front();
    words.push_back(command->get_name());
  }
}

std::optional<cv::app::Config> resolve(const CommonFlags& flags) {
  auto config = cv::app::load_config(flags.config_file);
  if (!config) {
    std::fprintf(stderr, "cloudvault: %s\n", config.error().message.c_str());
    return std::nullopt;
  }
  if (flags.data_dir) config->data_dir = *flags.data_dir;
  if (flags.meta) {
    if (!cv::app::valid_meta_url(*flags.meta)) {
      std::fprintf(stderr, "cloudvault: --meta must be a postgres:// URL\n");
      return std::nullopt;
    }
    config->meta_url = *flags.meta;
  }
  if (flags.blob) {
    if (auto url = cv::remote::parse_s3_blob_url(*flags.blob); !url) {
      std::fprintf(stderr, "cloudvault: --blob: %s\n", url.error().message.c_str());
      return std::nullopt;
    }
    config->blob.url = *flags.blob;
  }
  return *config;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"CloudVault: a self-hosted S3-compatible object store"};
  app.require_subcommand(1);
  CommonFlags flags;
  int exit_code = 0;

  auto* server = app.add_subcommand("server", "serve the S3 API");
  add_common_flags(*server, flags);
  std::optional<std::string> listen;
  std::optional<std::string> domain;
  server->add_option("--listen", listen, "ADDR:PORT to listen on (default 127.0.0.1:9000)");
  server->add_option("--domain", domain, "base domain for virtual-hosted-style requests");
  std::optional<std::string> tls_cert;
  std::optional<std::string> tls_key;
  server->add_option("--tls-cert", tls_cert, "PEM certificate (chain): serve HTTPS")
      ->check(CLI::ExistingFile);
  server->add_option("--tls-key", tls_key, "PEM private key of --tls-cert")
      ->check(CLI::ExistingFile);
  server->callback([&] {
    auto config = resolve(flags);
    if (!config) {
      exit_code = 2;
      return;
    }
    if (listen) {
      if (auto parsed = cv::app::parse_listen(*listen, *config); !parsed) {
        std::fprintf(stderr, "cloudvault: %s\n", parsed.error().message.c_str());
        exit_code = 2;
        return;
      }
    }
    if (domain) config->domain = *domain;
    if (tls_cert.has_value() != tls_key.has_value()) {
      std::fprintf(stderr, "cloudvault: --tls-cert and --tls-key go together\n");
      exit_code = 2;
      return;
    }
    if (tls_cert) {
      config->tls.cert = *tls_cert;
      config->tls.key = *tls_key;
    }
    exit_code = cv::app::run_server(*config);
  });

  auto* admin = app.add_subcommand("admin", "manage users, keys and storage");
  admin->require_subcommand(1);
  add_common_flags(*admin, flags);
  auto* user = admin->add_subcommand("user", "users")->fallthrough();
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand("add", "create a user")->fallthrough();
  std::string user_name, display_name, email;
  user_add->add_option("name", user_name, "user name")->required();
  user_add->add_option("--display-name", display_name, "display name shown in listings");
  user_add->add_option("--email", email, "e-mail address");
  user_add->callback([&] {
    if (auto config = resolve(flags)) {
      exit_code = cv::app::admin_user_add(*config, user_name, display_name, email);
    } else {
      exit_code = 2;
    }
  });

  // Alarms (admin_alarm_command.cc): every verb fills `alarm_args` and runs admin_alarm.
  auto* alarm = admin->add_subcommand("alarm", "alarm rules, their states and history")
                    ->fallthrough();
  alarm->require_subcommand(1);
  cv::app::AlarmAdminArgs alarm_args;
  auto alarm_verb = [&](const char* name, const char* help) {
    auto* command = alarm->add_subcommand(name, help)->fallthrough();
    command->callback([&, name] {
      alarm_args.verb = name;
      if (auto config = resolve(flags)) {
        exit_code = cv::app::admin_alarm(*config, alarm_args);
      } else {
        exit_code = 2;
      }
    });
    return command;
  };
  auto* alarm_put = alarm_verb("put", "add or replace an alarm rule (kept in the data folder)");
  alarm_put->add_option("name", alarm_args.name, "alarm name")->required();
  alarm_put->add_option("--json", alarm_args.json_file, "the rule as JSON (a file, - for stdin)");
  alarm_put->add_option("--metric", alarm_args.metric, "metric name (see GET /metrics)");
  alarm_put->add_option("--label", alarm_args.labels, "NAME=VALUE the series must have");
  alarm_put->add_option("--statistic", alarm_args.statistic,
                        "Average, Minimum, Maximum, Sum, Rate, Ratio or pNN (default Average)");
  alarm_put->add_option("--over", alarm_args.over, "Ratio: the denominator's metric");
  alarm_put->add_option("--over-label", alarm_args.over_labels, "Ratio: NAME=VALUE of it");
  alarm_put->add_option("--period-seconds", alarm_args.period_seconds, "period (default 60)");
  alarm_put->add_option("--evaluation-periods", alarm_args.evaluation_periods, "N (default 1)");
  alarm_put->add_option("--datapoints-to-alarm", alarm_args.datapoints_to_alarm,
                        "M of N breaching to alarm (default 1)");
  alarm_put->add_option("--comparison", alarm_args.comparison,
                        "GreaterThanThreshold, GreaterThanOrEqualToThreshold, LessThanThreshold "
                        "or LessThanOrEqualToThreshold");
  alarm_put->add_option("--threshold", alarm_args.threshold, "the threshold");
  alarm_put->add_option("--treat-missing-data", alarm_args.treat_missing_data,
                        "missing, notBreaching, breaching or ignore (default missing)");
  alarm_put->add_option("--target", alarm_args.targets, "notification target (repeatable)");
  alarm_put->add_option("--description", alarm_args.description, "what it watches, in words");
  alarm_put->add_option("--unit", alarm_args.unit, "ratio, seconds, bytes or a unit's name");
  alarm_put->add_flag("--disabled", alarm_args.disabled, "keep it, but do not evaluate it");
  alarm_verb("list", "every alarm in force with its state (JSON lines)");
  alarm_verb("delete", "remove a stored alarm rule")
      ->add_option("name", alarm_args.name, "alarm name")
      ->required();
  auto* alarm_history = alarm_verb("history", "state changes, newest first (JSON lines)");
  alarm_history->add_option("name", alarm_args.name, "one alarm's (default: every alarm's)");
  alarm_history->add_option("--limit", alarm_args.limit, "at most this many (default 100)")
      ->check(CLI::Range(1, 1000));

  // IAM administration (admin_iam_command.cc): every verb fills `iam_args` and runs admin_iam.
  cv::app::IamAdminArgs iam_args;
  auto iam_verb = [&](CLI::App* parent, const char* name, const char* help, const char* verb) {
    auto* command = parent->add_subcommand(name, help)->fallthrough();
    command->callback([&, verb] {
      iam_args.verb = verb;
      if (auto config = resolve(flags)) {
        exit_code = cv::app::admin_iam(*config, iam_args);
      } else {
        exit_code = 2;
      }
    });
    return command;
  };
  auto principal_flags = [&](CLI::App* command) {
    command->add_option("--user", iam_args.user, "a user");
    command->add_option("--group", iam_args.group, "a group");
    command->add_option("--role", iam_args.role, "a role");
  };
  iam_verb(user, "list", "list users (JSON)", "user list");
  iam_verb(user, "delete", "delete a user (refused while it has keys, groups or policies)",
           "user delete")
      ->add_option("name", iam_args.name, "user name")
      ->required();
  auto* user_policy = user->add_subcommand("policy", "a user's inline policies")->fallthrough();
  user_policy->require_subcommand(1);
  for (auto [word, help] : {std::pair{"put", "add or replace an inline policy"},
                            std::pair{"get", "print an inline policy"},
                            std::pair{"delete", "delete an inline policy"}}) {
    auto* command = iam_verb(user_policy, word, help,
                             word == std::string("put")   ? "inline put"
                             : word == std::string("get") ? "inline get"
                                                          : "inline delete");
    command->add_option("user", iam_args.user, "user name")->required();
    command->add_option("policy", iam_args.name, "policy name")->required();
    if (word == std::string("put")) {
      command->add_option("--file", iam_args.file, "policy document (JSON)")->required();
    }
  }
  iam_verb(user_policy, "list", "list a user's inline policies", "inline list")
      ->add_option("user", iam_args.user, "user name")
      ->required();

  auto* group = admin->add_subcommand("group", "IAM groups")->fallthrough();
  group->require_subcommand(1);
  auto* group_create = iam_verb(group, "create", "create a group", "group create");
  group_create->add_option("name", iam_args.name, "group name")->required();
  group_create->add_option("--path", iam_args.path, "IAM path (default /)");
  iam_verb(group, "delete", "delete an empty group", "group delete")
      ->add_option("name", iam_args.name, "group name")
      ->required();
  iam_verb(group, "list", "list groups with their users (JSON)", "group list");
  for (auto [word, verb] :
       {std::pair{"add-user", "group add-user"}, std::pair{"remove-user", "group remove-user"}}) {
    auto* command = iam_verb(group, word, verb, verb);
    command->add_option("group", iam_args.name, "group name")->required();
    command->add_option("user", iam_args.other, "user name")->required();
  }

  auto* policy =
      admin->add_subcommand("policy", "IAM managed policies, and access decisions explained")
          ->fallthrough();
  policy->require_subcommand(1);
  auto* policy_create = iam_verb(policy, "create", "create a managed policy", "policy create");
  policy_create->add_option("name", iam_args.name, "policy name")->required();
  policy_create->add_option("--file", iam_args.file, "policy document (JSON)")->required();
  policy_create->add_option("--path", iam_args.path, "IAM path (default /)");
  policy_create->add_option("--description", iam_args.description, "description");
  iam_verb(policy, "list", "list managed policies (JSON)", "policy list");
  iam_verb(policy, "get", "print a managed policy's document", "policy get")
      ->add_option("name", iam_args.name, "policy name")
      ->required();
  iam_verb(policy, "delete", "delete a managed policy (refused while attached)", "policy delete")
      ->add_option("name", iam_args.name, "policy name")
      ->required();
  for (auto [word, verb] :
       {std::pair{"attach", "policy attach"}, std::pair{"detach", "policy detach"}}) {
    auto* command =
        iam_verb(policy, word, "attach / detach a policy (--user, --group or --role)", verb);
    command->add_option("name", iam_args.name, "policy name")->required();
    principal_flags(command);
  }

  auto* role = admin->add_subcommand("role", "IAM roles")->fallthrough();
  role->require_subcommand(1);
  auto* role_create = iam_verb(role, "create", "create a role", "role create");
  role_create->add_option("name", iam_args.name, "role name")->required();
  role_create->add_option("--trust-file", iam_args.file, "trust policy document (JSON)")
      ->required();
  role_create->add_option("--path", iam_args.path, "IAM path (default /)");
  role_create->add_option("--description", iam_args.description, "description");
  role_create->add_option("--max-session", iam_args.max_session_seconds,
                          "maximum session duration in seconds (3600-43200)");
  iam_verb(role, "list", "list roles (JSON)", "role list");
  iam_verb(role, "get", "show a role with its trust policy and policies (JSON)", "role get")
      ->add_option("name", iam_args.name, "role name")
      ->required();
  iam_verb(role, "delete", "delete a role without policies", "role delete")
      ->add_option("name", iam_args.name, "role name")
      ->required();
  auto* role_policy = role->add_subcommand("policy", "a role's inline policies")->fallthrough();
  role_policy->require_subcommand(1);
  for (auto [word, verb] : {std::pair{"put", "inline put"}, std::pair{"get", "inline get"},
                            std::pair{"delete", "inline delete"}}) {
    auto* command = iam_verb(role_policy, word, verb, verb);
    command->add_option("role", iam_args.role, "role name")->required();
    command->add_option("policy", iam_args.name, "policy name")->required();
    if (word == std::string("put")) {
      command->add_option("--file", iam_args.file, "policy document (JSON)")->required();
    }
  }
  iam_verb(role_policy, "list", "list a role's inline policies", "inline list")
      ->add_option("role", iam_args.role, "role name")
      ->required();

  auto* key = admin->add_subcommand("key", "access keys")->fallthrough();
  key->require_subcommand(1);
  auto* key_create = key->add_subcommand("create", "create an access key")->fallthrough();
  std::string key_user;
  std::optional<std::string> access_key, secret_key;
  key_create->add_option("name", key_user, "user name")->required();
  key_create->add_option("--access-key", access_key, "access key id to use (default: generated)");
  key_create->add_option("--secret-key", secret_key, "secret to use (default: generated)");
  key_create->callback([&] {
    if (auto config = resolve(flags)) {
      exit_code = cv::app::admin_key_create(*config, key_user, access_key, secret_key);
    } else {
      exit_code = 2;
    }
  });
  auto* key_list = key->add_subcommand("list", "list access keys")->fallthrough();
  key_list->callback([&] {
    if (auto config = resolve(flags)) {
      exit_code = cv::app::admin_key_list(*config);
    } else {
      exit_code = 2;
    }
  });
  auto* key_delete = key->add_subcommand("delete", "delete an access key")->fallthrough();
  std::string delete_id;
  key_delete->add_option("access_key", delete_id, "access key id")->required();
  key_delete->callback([&] {
    if (auto config = resolve(flags)) {
      exit_code = cv::app::admin_key_delete(*config, delete_id);
    } else {
      exit_code = 2;
    }
  });

  for (auto [word, verb] :
       {std::pair{"activate", "key activate"}, std::pair{"deactivate", "key deactivate"}}) {
    iam_verb(key, word,
             word == std::string("activate") ? "make a key Active again"
                                             : "make a key Inactive (refused at once)",
             verb)
        ->add_option("access_key", iam_args.name, "access key id")
        ->required();
  }

  auto* key_rotate = key->add_subcommand("rotate-master",
                                         "generate a new master key and reseal every secret "
                                         "and data key under it (the server must be stopped)")
                         ->fallthrough();
  key_rotate->callback([&] {
    if (auto config = resolve(flags)) {
      exit_code = cv::app::admin_key_rotate_master(*config);
    } else {
      exit_code = 2;
    }
  });

  // Scale-out: the embedded metadata copied into PostgreSQL.
  auto* migrate = admin->add_subcommand("migrate",
                                        "copy this folder's SQLite metadata into an empty "
                                        "PostgreSQL database and verify it (the server must be "
                                        "stopped)")
                      ->fallthrough();
  std::string migrate_to;
  migrate->add_option("--to", migrate_to, "postgres://USER:PASSWORD@HOST:PORT/DB")->required();
  migrate->callback([&] {
    if (auto config = resolve(flags)) {
      exit_code = cv::app::admin_migrate(*config, migrate_to);
    } else {
      exit_code = 2;
    }
  });

  // Access control: the account's public access block, and policy decisions explained.
  auto* block = admin->add_subcommand("public-access-block",
                                      "the account's Block Public Access settings")
                    ->fallthrough();
  block->require_subcommand(1);
  cv::vault::PublicAccessBlock block_settings;
  std::string block_verb;
  block->add_subcommand("get", "print the account's settings (null: none set)")
      ->fallthrough()
      ->callback([&] { block_verb = "get"; });
  auto* block_put =
      block->add_subcommand("put", "set the account's settings (each flag true or false)")
          ->fallthrough();
  block_put->add_option("--block-public-acls", block_settings.block_public_acls)->required();
  block_put->add_option("--ignore-public-acls", block_settings.ignore_public_acls)->required();
  block_put->add_option("--block-public-policy", block_settings.block_public_policy)->required();
  block_put->add_option("--restrict-public-buckets", block_settings.restrict_public_buckets)
      ->required();
  block_put->callback([&] { block_verb = "put"; });
  block->add_subcommand("delete", "remove the account's settings (S3's default: none)")
      ->fallthrough()
      ->callback([&] { block_verb = "delete"; });
  block->final_callback([&] {
    if (auto config = resolve(flags)) {
      exit_code = cv::app::admin_public_access_block(*config, block_verb, block_settings);
    } else {
      exit_code = 2;
    }
  });
  auto* simulate =
      policy
          ->add_subcommand("simulate",
                           "explain whether a user may do an action on a resource (exit code 0: "
                           "allowed, 3: denied)")
          ->fallthrough();
  cv::app::PolicySimulation simulation;
  simulate->add_option("--user", simulation.user, "the user (default: an anonymous caller)");
  simulate->add_option("--action", simulation.action, "an S3 action: s3:GetObject")->required();
  simulate->add_option("--resource", simulation.resource, "arn:aws:s3:::BUCKET[/KEY]")
      ->required();
  simulate->add_option("--context", simulation.context,
                       "a condition key's value, KEY=VALUE (repeatable): aws:SourceIp=10.0.0.1");
  simulate->callback([&] {
    if (auto config = resolve(flags)) {
      exit_code = cv::app::admin_policy_simulate(*config, simulation);
    } else {
      exit_code = 2;
    }
  });

  // Storage administration: lifecycle passes, usage, events.
  auto* tls = admin->add_subcommand("tls", "HTTPS certificates")->fallthrough();
  tls->require_subcommand(1);
  auto* tls_self_signed =
      tls->add_subcommand("self-signed", "write a self-signed certificate for local use")
          ->fallthrough();
  std::string tls_host;
  std::string tls_out_cert;
  std::string tls_out_key;
  int tls_days = 365;
  tls_self_signed->add_option("--host", tls_host, "DNS name or IP address clients use")->required();
  tls_self_signed->add_option("--out-cert", tls_out_cert,
                              "certificate file (default <data>/tls/cert.pem)");
  tls_self_signed->add_option("--out-key", tls_out_key, "key file (default <data>/tls/key.pem)");
  tls_self_signed->add_option("--days", tls_days, "validity in days (default 365)");
  tls_self_signed->callback([&] {
    if (auto config = resolve(flags)) {
      exit_code =
          cv::app::admin_tls_self_signed(*config, tls_host, tls_out_cert, tls_out_key, tls_days);
    } else {
      exit_code = 2;
    }
  });

  auto* lifecycle = admin->add_subcommand("lifecycle", "lifecycle rules")->fallthrough();
  lifecycle->require_subcommand(1);
  auto* lifecycle_run =
      lifecycle->add_subcommand("run", "run one lifecycle pass now")->fallthrough();
  double days_ahead = 0;
  lifecycle_run->add_option("--days-ahead", days_ahead,
                            "evaluate as if this many lifecycle days had passed (default 0)");
  lifecycle_run->callback([&] {
    if (auto config = resolve(flags)) {
      exit_code = cv::app::admin_lifecycle_run(*config, days_ahead);
    } else {
      exit_code = 2;
    }
  });
  auto* usage = admin->add_subcommand("usage", "objects and bytes per bucket and storage class")
                    ->fallthrough();
  std::optional<std::string> usage_bucket;
  usage->add_option("bucket", usage_bucket, "one bucket (default: all)");
  usage->callback([&] {
    if (auto config = resolve(flags)) {
      exit_code = cv::app::admin_usage(*config, usage_bucket);
    } else {
      exit_code = 2;
    }
  });
  auto* events =
      admin->add_subcommand("events", "print recorded events (JSON lines)")->fallthrough();
  int64_t events_after = 0;
  size_t events_limit = 1000;
  events->add_option("--after", events_after, "only events with a greater sequence number");
  events->add_option("--limit", events_limit, "at most this many (default 1000)");
  auto* events_list =
      events->add_subcommand("list", "the work events caused, pending or failed (JSON lines)")
          ->fallthrough();
  bool events_failed = false;
  events_list->add_flag("--failed", events_failed, "only failed (parked) work");
  events_list->callback([&] {
    if (auto config = resolve(flags)) {
      exit_code = cv::app::admin_event_tasks(*config, events_failed, events_limit);
    } else {
      exit_code = 2;
    }
  });
  auto* events_retry =
      events->add_subcommand("retry", "retry failed work: one task by id, or --all")->fallthrough();
  int64_t retry_id = 0;
  bool retry_all = false;
  auto* retry_id_option = events_retry->add_option("id", retry_id, "the task id (events list)");
  auto* retry_all_flag = events_retry->add_flag("--all", retry_all, "every failed task");
  retry_id_option->excludes(retry_all_flag);
  events_retry->callback([&] {
    if (retry_id <= 0 && !retry_all) {
      std::fprintf(stderr, "cloudvault: give a task id or --all\n");
      exit_code = 2;
    } else if (auto config = resolve(flags)) {
      exit_code = cv::app::admin_event_retry(*config, retry_all ? 0 : retry_id);
    } else {
      exit_code = 2;
    }
  });
  events->callback([&] {
    if (events_list->parsed() || events_retry->parsed()) return;
    if (auto config = resolve(flags)) {
      exit_code = cv::app::admin_events(*config, events_after, events_limit);
    } else {
      exit_code = 2;
    }
  });

  auto* notify = admin->add_subcommand("notify", "notification targets")->fallthrough();
  notify->require_subcommand(1);
  auto* notify_list =
      notify->add_subcommand("list", "list the targets, configured and added (JSON lines)")
          ->fallthrough();
  notify_list->callback([&] {
    if (auto config = resolve(flags)) {
      exit_code = cv::app::admin_notify_list(*config);
    } else {
      exit_code = 2;
    }
  });
  auto* notify_test =
      notify->add_subcommand("test", "send a test message through a target now")->fallthrough();
  std::string notify_target;
  notify_test->add_option("name", notify_target, "target name")->required();
  notify_test->callback([&] {
    if (auto config = resolve(flags)) {
      exit_code = cv::app::admin_notify_test(*config, notify_target);
    } else {
      exit_code = 2;
    }
  });

  auto* notify_add =
      notify->add_subcommand("add", "add a target, kept in the data folder (secrets sealed)")
          ->fallthrough();
  std::string add_name;
  cv::app::NotifyTargetFlags add_flags;
  notify_add->add_option("name", add_name, "target name (letters, digits, '.', '_', '-')")
      ->required();
  notify_add->add_option("--type", add_flags.type, "webhook, smtp, slack or discord")->required();
  notify_add->add_option("--url", add_flags.url, "http(s)://... or smtp(s)://...")->required();
  notify_add->add_option("--secret", add_flags.secret,
                         "webhook: the HMAC-SHA256 key (\"-\": read it from standard input)");
  notify_add->add_option("--from", add_flags.from, "smtp: the sender address");
  notify_add->add_option("--to", add_flags.to, "smtp: a recipient (repeatable)");
  notify_add->add_option("--username", add_flags.username, "smtp: AUTH user");
  notify_add->add_option("--password", add_flags.password,
                         "smtp: AUTH password (\"-\": read it from standard input)");
  notify_add->add_option("--timeout-seconds", add_flags.timeout_seconds, "1-600 (default 10)");
  notify_add->add_flag("--no-verify-tls", add_flags.no_verify_tls,
                       "do not verify the receiver's TLS certificate");
  notify_add->callback([&] {
    if (auto config = resolve(flags)) {
      exit_code = cv::app::admin_notify_add(*config, add_name, add_flags);
    } else {
      exit_code = 2;
    }
  });
  auto* notify_remove =
      notify->add_subcommand("remove", "remove a target added with `add`")->fallthrough();
  std::string remove_name;
  notify_remove->add_option("name", remove_name, "target name")->required();
  notify_remove->callback([&] {
    if (auto config = resolve(flags)) {
      exit_code = cv::app::admin_notify_remove(*config, remove_name);
    } else {
      exit_code = 2;
    }
  });
  auto* notify_seal =
      notify
          ->add_subcommand("seal",
                           "print the sealed form of a secret read from standard input, for "
                           "the configuration file (secret = \"sealed:...\")")
          ->fallthrough();
  notify_seal->callback([&] {
    if (auto config = resolve(flags)) {
      exit_code = cv::app::admin_notify_seal(*config);
    } else {
      exit_code = 2;
    }
  });

  auto* backup =
      admin->add_subcommand("backup", "backups (replication with receipts)")->fallthrough();
  backup->require_subcommand(1);
  auto* backup_create =
      backup->add_subcommand("create", "back a bucket up to another bucket, here or remote")
          ->fallthrough();
  cv::vault::BackupRequest backup_request;
  std::vector<std::string> backup_receipts;
  std::vector<std::string> backup_failures;
  backup_create->add_option("--from", backup_request.source, "the bucket to back up")->required();
  backup_create->add_option("--to", backup_request.destination, "the backup bucket")->required();
  backup_create->add_option("--remote", backup_request.remote,
                            "a remote S3 endpoint ([replication.remotes.NAME])");
  backup_create->add_option("--prefix", backup_request.prefix, "only keys under this prefix");
  backup_create->add_option("--suffix", backup_request.suffix, "only keys ending so (.pdf)");
  backup_create->add_option("--receipt", backup_receipts,
                            "a notification target that gets a receipt per backed-up object");
  backup_create->add_option("--failure", backup_failures,
                            "a notification target told when an object cannot be backed up");
  backup_create
      ->add_option("--digest", backup_request.digest_seconds,
                   "receipts as one message per SECONDS (aligned windows) listing the objects, "
                   "instead of one per object")
      ->check(CLI::Range(int64_t{1}, cv::vault::kMaxDigestSeconds))
      ->option_text("SECONDS");
  backup_create
      ->add_option("--lock-days", backup_request.lock_days,
                   "immutable backups: every copy gets COMPLIANCE object lock retention for N "
                   "days (the destination needs object lock; a new destination gets it)")
      ->check(CLI::Range(1, 36500))
      ->option_text("N");
  backup_create->callback([&] {
    backup_request.receipt_targets = backup_receipts;
    backup_request.failure_targets = backup_failures;
    if (auto config = resolve(flags)) {
      exit_code = cv::app::admin_backup_create(*config, backup_request);
    } else {
      exit_code = 2;
    }
  });
  auto* backup_status =
      backup->add_subcommand("status", "pending, done, failed, bytes and lag per backup rule")
          ->fallthrough();
  std::optional<std::string> backup_bucket;
  bool backup_json = false;
  backup_status->add_option("bucket", backup_bucket, "one source bucket (default: all)");
  backup_status->add_flag("--json", backup_json, "print JSON");
  cv::app::BackupStatusWait backup_wait;
  auto* backup_wait_flag = backup_status->add_flag(
      "--wait", backup_wait.wait,
      "follow the server's copies (a progress bar) until nothing is pending; exit 0 when caught "
      "up, 1 when copies failed, 2 on --timeout");
  backup_status
      ->add_option("--timeout", backup_wait.timeout_seconds, "give up waiting after SECONDS")
      ->check(CLI::PositiveNumber)
      ->option_text("SECONDS")
      ->needs(backup_wait_flag);
  backup_status->callback([&] {
    if (auto config = resolve(flags)) {
      exit_code = cv::app::admin_backup_status(*config, backup_bucket, backup_json, backup_wait);
    } else {
      exit_code = 2;
    }
  });
  auto* backup_retry =
      backup->add_subcommand("retry", "retry a bucket's failed copies (or one key's)")
          ->fallthrough();
  std::string retry_bucket;
  std::optional<std::string> retry_key;
  backup_retry->add_option("bucket", retry_bucket, "the source bucket")->required();
  backup_retry->add_option("--key", retry_key,
                           "also replicate this key's current version once more");
  backup_retry->callback([&] {
    if (auto config = resolve(flags)) {
      exit_code = cv::app::admin_backup_retry(*config, retry_bucket, retry_key);
    } else {
      exit_code = 2;
    }
  });

  // The activity pipeline: CloudTrail ingest, profiles, daily scores (issue 13).
  auto* activity = app.add_subcommand("activity", "CloudTrail activity: ingest, profiles, scores");
  activity->require_subcommand(1);
  add_common_flags(*activity, flags);
  auto run = [&](auto command) {
    return [&, command] {
      if (auto config = resolve(flags)) {
        exit_code = command(*config);
      } else {
        exit_code = 2;
      }
    };
  };
  auto* ingest =
      activity->add_subcommand("ingest", "read CloudTrail files (.json, .json.gz)")->fallthrough();
  cv::app::ActivityIngestFlags ingest_flags;
  ingest->add_option("--from", ingest_flags.from, "FOLDER or s3://BUCKET/PREFIX")->required();
  ingest->add_option("--remote", ingest_flags.remote,
                     "read the bucket from [replication.remotes.NAME] instead of this server");
  ingest->add_option("--role-arn", ingest_flags.role_arn,
                     "assume this role (STS AssumeRole) for the remote bucket");
  ingest->callback(run([&](const cv::app::Config& config) {
    return cv::app::activity_ingest(config, ingest_flags);
  }));
  auto* profile =
      activity->add_subcommand("profile", "profiles: a person's principals")->fallthrough();
  profile->require_subcommand(1);
  auto* profile_add =
      profile->add_subcommand("add", "create a profile or add principals to it")->fallthrough();
  std::string profile_name;
  std::vector<std::string> principals;
  profile_add->add_option("name", profile_name, "profile name")->required();
  profile_add->add_option("--principal", principals, "account id, ARN, access key id or user name")
      ->required();
  profile_add->callback(run([&](const cv::app::Config& config) {
    return cv::app::activity_profile_add(config, profile_name, principals);
  }));
  auto* profile_list = profile->add_subcommand("list", "list profiles")->fallthrough();
  profile_list->callback(
      run([&](const cv::app::Config& config) { return cv::app::activity_profile_list(config); }));
  auto* profile_remove = profile->add_subcommand("remove", "remove a profile")->fallthrough();
  std::string removed_profile;
  profile_remove->add_option("name", removed_profile, "profile name")->required();
  profile_remove->callback(run([&](const cv::app::Config& config) {
    return cv::app::activity_profile_remove(config, removed_profile);
  }));
  auto* days = activity->add_subcommand("days", "a profile's daily scores")->fallthrough();
  std::string days_profile, days_from, days_to;
  bool days_json = false;
  days->add_option("--profile", days_profile, "profile name")->required();
  days->add_option("--from", days_from, "first day, YYYY-MM-DD")->required();
  days->add_option("--to", days_to, "last day, YYYY-MM-DD")->required();
  days->add_flag("--json", days_json, "print JSON");
  days->callback(run([&](const cv::app::Config& config) {
    return cv::app::activity_days(config, days_profile, days_from, days_to, days_json);
  }));
  auto* rescore =
      activity->add_subcommand("rescore", "recompute every score with the current rules")
          ->fallthrough();
  rescore->callback(
      run([&](const cv::app::Config& config) { return cv::app::activity_rescore(config); }));

  auto* attest = activity->add_subcommand("attest", "print a signed proof of a profile's scores")
                     ->fallthrough();
  std::string attest_profile;
  std::optional<std::string> attest_from, attest_to;
  attest->add_option("--profile", attest_profile, "profile name")->required();
  attest->add_option("--from", attest_from,
                     "first day, YYYY-MM-DD (default: 364 days before --to)");
  attest->add_option("--to", attest_to, "last day, YYYY-MM-DD (default: today, UTC)");
  attest->callback(run([&](const cv::app::Config& config) {
    return cv::app::activity_attest(config, attest_profile, attest_from, attest_to);
  }));
  auto* verify = activity->add_subcommand("verify", "check a proof offline")->fallthrough();
  std::string verify_file;
  std::optional<std::string> verify_key, verify_prove;
  verify->add_option("proof", verify_file, "the proof (JSON) attest printed")->required();
  verify->add_option("--key", verify_key, "the signer's public key file (PEM or hex)");
  verify->add_option("--prove", verify_prove, "print this event's inclusion path");
  verify->callback(
      [&] { exit_code = cv::app::activity_verify(verify_file, verify_key, verify_prove); });

  // The audit trail (src/audit).
  auto* trail = app.add_subcommand("trail", "the audit trail: flush, validate, lookup, key");
  trail->require_subcommand(1);
  add_common_flags(*trail, flags);
  auto run_trail = [&](auto verb) {
    return [&, verb] {
      if (auto config = resolve(flags)) {
        exit_code = verb(*config);
      } else {
        exit_code = 2;
      }
    };
  };
  trail->add_subcommand("flush", "close the open log file and write a digest now")
      ->fallthrough()
      ->callback(
          run_trail([](const cv::app::Config& config) { return cv::app::trail_flush(config); }));
  auto* trail_validate =
      trail
          ->add_subcommand("validate",
                           "check the trail's files, digests and chain (exit 1 if not intact)")
          ->fallthrough();
  std::optional<std::string> validate_from, validate_to;
  trail_validate->add_option("--from", validate_from, "from this UTC time (2026-12-06T10:00:00Z)");
  trail_validate->add_option("--to", validate_to, "up to this UTC time");
  trail_validate->callback(run_trail([&](const cv::app::Config& config) {
    return cv::app::trail_validate(config, validate_from, validate_to);
  }));
  auto* trail_lookup =
      trail->add_subcommand("lookup", "find records in the trail's index, newest first")
          ->fallthrough();
  cv::app::TrailLookupFlags lookup;
  trail_lookup->add_option("--user", lookup.user, "user name (root for the root user)");
  trail_lookup->add_option("--access-key", lookup.access_key, "access key id");
  trail_lookup->add_option("--bucket", lookup.bucket, "bucket name");
  trail_lookup->add_option("--prefix", lookup.prefix, "object key prefix");
  trail_lookup->add_option("--event", lookup.event, "event name (PutObject, GetObject, ...)");
  trail_lookup->add_flag("--error", lookup.errors_only, "only failed or denied calls");
  trail_lookup->add_option("--read-only", lookup.read_only, "true or false");
  trail_lookup->add_option("--from", lookup.from, "from this UTC time (2026-12-06T10:00:00Z)");
  trail_lookup->add_option("--to", lookup.to, "before this UTC time");
  trail_lookup->add_flag("--json", lookup.json, "print each record as its CloudTrail JSON");
  trail_lookup->add_option("--max", lookup.max, "records per page (1-1000, default 50)")
      ->check(CLI::Range(size_t{1}, size_t{1000}));
  trail_lookup->add_option("--next", lookup.next, "the token the previous page printed");
  trail_lookup->callback(run_trail(
      [&](const cv::app::Config& config) { return cv::app::trail_lookup(config, lookup); }));
  trail->add_subcommand("key", "print the digest signing public key (PEM) and its fingerprint")
      ->fallthrough()
      ->callback(
          run_trail([](const cv::app::Config& config) { return cv::app::trail_key(config); }));

  CLI11_PARSE(app, argc, argv);
  // Admin and trail verbs leave one record each in the audit trail.
  if (const auto verb = verb_words(app);
      !verb.empty() && (verb[0] == "admin" || verb[0] == "trail" || verb[0] == "activity")) {
    if (auto config = resolve(flags)) cv::app::record_cli_verb(*config, verb, exit_code);
  }
  return exit_code;
}
