#include "app/cli_audit.h"

#include <cctype>
#include <cstdio>

#include "app/data_dir.h"
#include "app/migration_report.h"
#include "app/trail_identity.h"
#include "app/wiring.h"
#include "audit/spool_record.h"
#include "core/clock.h"
#include "core/ids.h"

namespace cv::app {
namespace {

std::string camel_case(const std::vector<std::string>& words) {
  std::string name;
  for (const std::string& word : words) {
    bool upper = true;
    for (char c : word) {
      if (c == '-' || c == '_') {
        upper = true;
        continue;
      }
      name += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      upper = false;
    }
  }
  return name;
}

}  // namespace

audit::AuditEvent cli_verb_event(const std::vector<std::string>& verb, int exit_code,
                                 const std::string& account_id, const std::string& region,
                                 int64_t time_ns) {
  audit::AuditEvent event;
  event.time_ns = time_ns;
  event.event_source = std::string(kCliEventSource);
  event.event_name = camel_case(verb);
  event.region = region;
  event.source_ip = "127.0.0.1";
  event.user_agent = "cloudvault-cli";
  event.identity.type = audit::IdentityType::kRoot;
  event.identity.principal_id = account_id;
  event.identity.arn = "arn:aws:iam::" + account_id + ":root";
  event.identity.account_id = account_id;
  std::string command;
  for (const std::string& word : verb) command += (command.empty() ? "" : " ") + word;
  event.parameters.emplace_back("command", command);
  if (exit_code != 0) {
    event.error_code = "CommandFailed";
    event.error_message = "the command exited with status " + std::to_string(exit_code);
  }
  event.request_id = new_request_id();
  event.recipient_account_id = account_id;
  return event;
}

void record_cli_verb(const Config& config, const std::vector<std::string>& verb, int exit_code) {
  if (!config.trail.enabled || verb.empty()) return;
  auto account = trail_account_id(config);
  if (!account) {
    std::fprintf(stderr, "cloudvault: not recorded in the trail: %s\n",
                 account.error().message.c_str());
    return;
  }
  auto stores = open_stores_for_cli(config);
  if (!stores) {
    std::fprintf(stderr, "cloudvault: not recorded in the trail: %s\n",
                 stores.error().message.c_str());
    return;
  }
  const auto event =
      cli_verb_event(verb, exit_code, *account, config.region, to_unix_nanos(SystemClock{}.now()));
  if (auto appended = stores->meta->append_trail_records({audit::spool_record(event)}); !appended) {
    std::fprintf(stderr, "cloudvault: not recorded in the trail: %s\n",
                 appended.error().message.c_str());
  }
}

}  // namespace cv::app
