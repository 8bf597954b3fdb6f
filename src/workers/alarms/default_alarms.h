// The alarms every server has unless the configuration turns them off (issue 15):
//   disk-free-low          the free share of any data folder below 10% (1 minute)
//   error-rate-high        5xx responses above 1% of requests over 5 minutes
//   host-cpu-high          host CPU busy above 80% for 10 minutes (10 of 10 one-minute periods)
//   replication-lag-high   the oldest pending backup copy older than 15 minutes
//   deliveries-parked      a notification delivery given up on (parked) and not retried
//   health-check-failing   /_cloudvault/ready failing (the seed's status check)
//   master-key-unreadable  the master key file no longer readable
// The metrics they read are the server's own (README, "Metrics"): cloudvault_disk_free_ratio,
// cloudvault_requests_total, cloudvault_host_cpu_seconds_total, cloudvault_replication_lag_
// seconds, cloudvault_outbox_failed_tasks, cloudvault_ready, cloudvault_master_key_readable.
#pragma once

#include <vector>

#include "workers/alarms/alarm_rule.h"

namespace cv::workers::alarms {

// Each with source "default", enabled, no targets (the configuration's [alarms] notify adds
// them).
std::vector<AlarmRule> default_alarms();

}  // namespace cv::workers::alarms
