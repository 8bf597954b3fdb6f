// console::ActivityReports over the metadata store's activity tables, the scoring rules file
// and the server's signing key: what the console's activity pages and public pages show
// (docs/API.md). Thread-safe (the rules are immutable; the store is).
#pragma once

#include <memory>

#include "activity/daily_scores.h"
#include "activity/scoring_rules.h"
#include "console/activity_reports.h"
#include "core/clock.h"
#include "core/ed25519.h"
#include "meta/meta_store.h"

namespace cv::app {

class StoredActivityReports final : public console::ActivityReports {
 public:
  // Keeps references to the store, the clock and the key, which must outlive it.
  StoredActivityReports(meta::MetaStore& store, const Clock& clock, activity::ScoringRules rules,
                        const SigningKey& key);

  Result<boost::json::value> health() override;
  Result<boost::json::value> profiles(const console::ActivityViewer& viewer) override;
  Result<boost::json::value> days(const console::ActivityViewer& viewer, std::string_view profile,
                                  std::string_view from, std::string_view to) override;
  Result<boost::json::value> services(const console::ActivityViewer& viewer,
                                      std::string_view profile, std::string_view from,
                                      std::string_view to) override;
  Result<boost::json::value> recent(const console::ActivityViewer& viewer, std::string_view profile,
                                    size_t limit, std::string_view next) override;
  Result<std::string> publish(const console::ActivityViewer& viewer,
                              std::string_view profile) override;
  Status unpublish(const console::ActivityViewer& viewer, std::string_view profile) override;
  Result<boost::json::value> public_page(std::string_view token) override;

 private:
  Result<meta::ActivityProfile> visible_profile(const console::ActivityViewer& viewer,
                                                std::string_view name);
  // A profile's per-day, per-service sums over [from_day, to_day] (one read of the store)
  // and its capped daily scores.
  struct Range {
    int64_t from_day = 0;
    int64_t to_day = 0;
    std::vector<meta::ActivityDayService> sums;
    std::vector<activity::DayScore> days;
  };
  Result<Range> load_range(const meta::ActivityProfile& profile, int64_t from_day, int64_t to_day);
  // The ActivitySummary document of a range.
  boost::json::object summary(const meta::ActivityProfile& profile, const Range& range) const;

  meta::MetaStore& store_;
  const Clock& clock_;
  activity::ScoringRules rules_;
  const SigningKey& key_;
};

}  // namespace cv::app
