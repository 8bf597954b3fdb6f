// What `activity days` and `activity attest` share: a profile looked up by name and its
// capped daily scores over a range, with the rules file of the configuration.
#pragma once

#include <string>
#include <vector>

#include "activity/daily_scores.h"
#include "activity/scoring_rules.h"
#include "core/error.h"
#include "meta/meta_store.h"

namespace cv::app {

struct ProfileDays {
  meta::ActivityProfile profile;
  std::vector<activity::DayScore> days;  // every day of the range
};

// kInvalidArgument "no profile named NAME" when it does not exist.
inline Result<ProfileDays> profile_days(meta::MetaStore& meta, const activity::ScoringRules& rules,
                                        const std::string& name, int64_t from_day, int64_t to_day) {
  auto profile = CV_TRY(meta.get_activity_profile(name));
  if (!profile) return fail(ErrorCode::kInvalidArgument, "no profile named " + name, name);
  auto sums = CV_TRY(meta.activity_days(profile->principals, from_day, to_day));
  return ProfileDays{std::move(*profile),
                     activity::daily_scores(sums, from_day, to_day, rules.daily_cap_milli(),
                                            rules.service_daily_cap_milli())};
}

}  // namespace cv::app
