// Evaluates the alarm rules against the server's metrics, one snapshot at a time (the server
// calls run_once every [metrics] sample_seconds), and records what it decides: each rule's
// state in the metadata store, each change of state in its history, and each move into ALARM
// (and back from ALARM to OK) as an outbox event (kAlarmEventName) in the same transaction,
// which the notify consumer delivers to the rule's targets (DESIGN rule 8). Moves between OK
// and INSUFFICIENT_DATA are kept in the history but notify no one.
//
// A rule is evaluated once it has watched for one whole period (after a start, or after its
// definition changed), so a restart does not turn every alarm into INSUFFICIENT_DATA: until
// then its stored state stands. Readings older than the rule's window are dropped, so memory
// is bounded by rules x (evaluation_periods x period / sample interval).
//
// Not thread-safe: one caller (the server's periodic task, or a test) at a time.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/error.h"
#include "meta/meta_store.h"
#include "workers/alarms/alarm_evaluator.h"
#include "workers/alarms/alarm_rule.h"
#include "workers/alarms/metric_snapshot.h"

namespace cv::workers::alarms {

inline constexpr std::string_view kAlarmEventName = "cloudvault:Alarm:StateChange";

struct AlarmEngineOptions {
  // The console's dashboard ("https://vault.example.com/_console/#/dashboard"); empty: none.
  std::string dashboard_url;
  int64_t history_retention_ns = int64_t{90} * 86400 * 1'000'000'000;
};

// The rules in force now (defaults with the configuration's changes, the configuration's own,
// the stored ones).
using RuleSource = std::function<Result<std::vector<AlarmRule>>()>;

class AlarmEngine {
 public:
  // `store` must outlive the engine.
  AlarmEngine(meta::MetaStore& store, RuleSource rules, AlarmEngineOptions options = {});

  // One evaluation at snapshot.time_ns. Returns the changes of state it recorded. Fails when
  // the rules or the store cannot be read or written (nothing is recorded then; the next
  // call tries again).
  Result<std::vector<meta::AlarmHistoryEntry>> run_once(const MetricSnapshot& snapshot);

  // The message document of a state change (what a webhook receives, CloudWatch's alarm
  // message with CloudVault's additions), as the event's detail.
  static std::string message_document(const AlarmRule& rule, const Evaluation& evaluation,
                                      std::string_view old_state, int64_t time_ns,
                                      int64_t since_ns, std::string_view dashboard_url);

 private:
  struct Watch {
    std::string definition;  // the rule's JSON: a change restarts the watch
    int64_t started_ns = 0;
    std::deque<Reading> readings;
  };

  meta::MetaStore& store_;
  RuleSource rules_;
  AlarmEngineOptions options_;
  std::map<std::string, Watch, std::less<>> watches_;
  std::map<std::string, meta::AlarmState, std::less<>> states_;
  bool states_loaded_ = false;
  int64_t last_prune_ns_ = 0;
};

}  // namespace cv::workers::alarms
