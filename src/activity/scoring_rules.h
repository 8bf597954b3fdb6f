// The scoring rules (share/activity/rules.json, or the file `[activity] rules` names): which
// service an event belongs to, what it is worth, how bursts collapse, the daily caps.
// Immutable once loaded; thread-safe.
//
// The document:
//   {"collapse_window_seconds": 60,        // divides 86400; identical calls within one
//                                          // aligned window count once
//    "failed_factor": 0.25,                // a failed call (errorCode) is worth this share
//    "daily_cap": 100,                     // a person's day at most
//    "service_daily_cap": 40,              // one service's share of a day at most
//    "default_points": {"write": 1, "read": 0.1},  // unlisted events of a known service
//    "services": {
//      "ec2": {"sources": ["ec2.amazonaws.com"], "events": {"RunInstances": 5, ...}},
//      "vpc": {"borrows": ["ec2.amazonaws.com"], "events": {"CreateVpc": 5, ...}}, ...}}
// A service owns its "sources" (their unlisted events are its own); "borrows" lets it
// claim listed events of another service's source (CreateVpc is an EC2 API call, scored as
// VPC). An event listed by two services of one source is an error. Events of sources no
// service owns belong to "other" and are worth 0.
#pragma once

#include <boost/json.hpp>
#include <filesystem>
#include <map>
#include <string>
#include <utility>

#include "core/error.h"
#include "meta/activity_types.h"

namespace cv::activity {

class ScoringRules {
 public:
  // kInvalidArgument naming the offending field when the document breaks the rules above.
  static Result<ScoringRules> parse(std::string_view document);
  static Result<ScoringRules> load(const std::filesystem::path& file);

  // How `event` counts (its service, points with the failure factor applied, its window).
  meta::ActivityScoring score(const meta::ActivityEvent& event) const;

  int64_t daily_cap_milli() const { return daily_cap_milli_; }
  int64_t service_daily_cap_milli() const { return service_daily_cap_milli_; }
  int64_t collapse_window_seconds() const { return window_seconds_; }
  // Number of listed event names and of services (for reports and tests).
  size_t event_count() const { return events_.size(); }
  size_t service_count() const { return service_names_.size(); }
  // The points of a listed event of `source` (before the failure factor), or -1.
  int64_t listed_points_milli(std::string_view source, std::string_view name) const;
  // The service a listed event or an owned source maps to ("other" otherwise).
  std::string service_of(std::string_view source, std::string_view name) const;

 private:
  struct Listed {
    std::string service;
    int64_t points_milli = 0;
  };
  int64_t window_seconds_ = 60;
  double failed_factor_ = 0.25;
  int64_t daily_cap_milli_ = 0;
  int64_t service_daily_cap_milli_ = 0;
  int64_t default_write_milli_ = 0;
  int64_t default_read_milli_ = 0;
  std::map<std::pair<std::string, std::string>, Listed, std::less<>> events_;
  std::map<std::string, std::string, std::less<>> source_owner_;
  std::vector<std::string> service_names_;
};

}  // namespace cv::activity
