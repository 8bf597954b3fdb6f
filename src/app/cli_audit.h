// The trail record of a CLI verb (`cloudvault admin ...`, `cloudvault trail ...`,
// `cloudvault activity ...`): one record per run, eventSource "admin.cloudvault", the Root
// identity, userAgent "cloudvault-cli", sourceIPAddress 127.0.0.1, appended straight to the
// store's spool by this process (the server's writer files it with the rest).
#pragma once

#include <string>
#include <vector>

#include "app/config.h"
#include "audit/cloudtrail_record.h"

namespace cv::app {

inline constexpr std::string_view kCliEventSource = "admin.cloudvault";

// The record of the verb whose words are `verb` ({"admin", "user", "add"} -> eventName
// "AdminUserAdd"); errorCode "CommandFailed" when exit_code is not 0. Pure but for the id.
audit::AuditEvent cli_verb_event(const std::vector<std::string>& verb, int exit_code,
                                 const std::string& account_id, const std::string& region,
                                 int64_t time_ns);
// Appends it; a failure is reported on stderr and does not change the verb's exit code.
void record_cli_verb(const Config& config, const std::vector<std::string>& verb, int exit_code);

}  // namespace cv::app
