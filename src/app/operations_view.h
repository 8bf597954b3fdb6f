// console::OperationsReports over the metadata store (the dashboard's metric points, alarm
// states and history) and the alarm rules in force (app/alarm_rule_book.h).
#pragma once

#include <string>

#include "app/alarm_rule_book.h"
#include "console/operations_reports.h"
#include "core/clock.h"
#include "meta/meta_store.h"

namespace cv::app {

// Where this server keeps its data, as the dashboard shows it ("storage": {"metadata",
// "bodies"}): the metadata store and the STANDARD blob store, without credentials.
struct StorageLocations {
  std::string metadata;
  std::string bodies;
};

class OperationsView final : public console::OperationsReports {
 public:
  // All must outlive this. `resolution_seconds` / `history_hours`: what the server records
  // ([metrics] sample_seconds / history_hours).
  OperationsView(meta::MetaStore& store, const AlarmRuleBook& rules, const Clock& clock,
                 int64_t resolution_seconds, int64_t history_hours,
                 StorageLocations storage = {});

  Result<boost::json::value> dashboard(std::string_view range) override;
  Result<boost::json::value> alarms() override;
  Result<boost::json::value> alarm_history(std::string_view name, size_t limit) override;

 private:
  meta::MetaStore& store_;
  const AlarmRuleBook& rules_;
  const Clock& clock_;
  int64_t resolution_seconds_;
  int64_t history_hours_;
  StorageLocations storage_;
};

}  // namespace cv::app
