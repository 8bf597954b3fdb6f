#include "app/activity_reports.h"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <map>

#include "activity/attestation.h"
#include "activity/daily_scores.h"
#include "core/encoding.h"
#include "core/ids.h"

namespace cv::app {
namespace json = boost::json;
namespace {

constexpr int64_t kMaxRangeDays = 366;
// How far back "recent activity" looks.
constexpr int64_t kRecentDays = 90;

int64_t today(const Clock& clock) {
  return to_unix_nanos(clock.now()) / (86400LL * 1'000'000'000LL);
}

Result<std::pair<int64_t, int64_t>> parse_range(std::string_view from, std::string_view to) {
  auto from_day = activity::parse_day(from);
  auto to_day = activity::parse_day(to);
  if (!from_day || !to_day) {
    return fail(ErrorCode::kInvalidArgument, "from and to must be YYYY-MM-DD dates.");
  }
  if (*to_day < *from_day || *to_day - *from_day >= kMaxRangeDays) {
    return fail(ErrorCode::kInvalidArgument,
                "to must be on or after from, and the range at most 366 days.");
  }
  return std::pair{*from_day, *to_day};
}

bool names_viewer(const meta::ActivityProfile& profile, const console::ActivityViewer& viewer) {
  if (viewer.root) return true;
  return std::any_of(profile.principals.begin(), profile.principals.end(),
                     [&](const std::string& principal) {
                       return (!viewer.user_name.empty() && principal == viewer.user_name) ||
                              (!viewer.user_id.empty() && principal == viewer.user_id) ||
                              (!viewer.access_key_id.empty() && principal == viewer.access_key_id);
                     });
}

json::object profile_document(const meta::ActivityProfile& profile) {
  json::array principals;
  for (const std::string& principal : profile.principals)
    principals.push_back(json::value(principal));
  json::value token =
      profile.public_token.empty() ? json::value(nullptr) : json::value(profile.public_token);
  return {{"name", profile.name}, {"principals", std::move(principals)}, {"publicToken", token}};
}

// Per service over the range: the day-capped score and every event.
json::array service_breakdown(const std::vector<meta::ActivityDayService>& sums,
                              int64_t service_cap_milli) {
  std::map<std::string, std::pair<int64_t, int64_t>> by_service;
  for (const meta::ActivityDayService& sum : sums) {
    auto& [score, count] = by_service[sum.service];
    score += std::min(sum.points_milli, service_cap_milli);
    count += sum.events;
  }
  std::vector<std::pair<std::string, std::pair<int64_t, int64_t>>> ordered(by_service.begin(),
                                                                           by_service.end());
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const auto& a, const auto& b) { return a.second.first > b.second.first; });
  json::array services;
  for (const auto& [service, totals] : ordered) {
    services.push_back({{"service", service},
                        {"score", activity::points_json(totals.first)},
                        {"count", totals.second}});
  }
  return services;
}

std::string principal_of(const meta::ActivityActor& actor) {
  if (!actor.arn.empty()) return actor.arn;
  if (!actor.user_name.empty()) return actor.user_name;
  if (!actor.access_key_id.empty()) return actor.access_key_id;
  return actor.account_id;
}

}  // namespace

StoredActivityReports::StoredActivityReports(meta::MetaStore& store, const Clock& clock,
                                             activity::ScoringRules rules, const SigningKey& key)
    : store_(store), clock_(clock), rules_(std::move(rules)), key_(key) {}

Result<meta::ActivityProfile> StoredActivityReports::visible_profile(
    const console::ActivityViewer& viewer, std::string_view name) {
  auto profile = CV_TRY(store_.get_activity_profile(name));
  if (!profile || !names_viewer(*profile, viewer)) {
    return fail(ErrorCode::kNoSuchKey,
                "There is no activity profile named " + std::string(name) + ".");
  }
  return std::move(*profile);
}

Result<json::value> StoredActivityReports::health() {
  const meta::ActivityTotals totals = CV_TRY(store_.activity_totals());
  const auto profiles = CV_TRY(store_.list_activity_profiles());
  json::array sources;
  for (const meta::ActivitySourceTotals& source : totals.sources) {
    json::value last = source.last_read_ns > 0
                           ? json::value(format_iso8601(from_unix_nanos(source.last_read_ns)))
                           : json::value(nullptr);
    sources.push_back({{"source", source.source},
                       {"files", source.files},
                       {"lastIngest", std::move(last)},
                       {"malformed", 0}});
  }
  return json::object{{"status", "ok"},
                      {"events", totals.events},
                      {"profiles", static_cast<int64_t>(profiles.size())},
                      {"sources", std::move(sources)}};
}

Result<json::value> StoredActivityReports::profiles(const console::ActivityViewer& viewer) {
  json::array listed;
  for (const meta::ActivityProfile& profile : CV_TRY(store_.list_activity_profiles())) {
    if (names_viewer(profile, viewer)) listed.push_back(profile_document(profile));
  }
  return json::object{{"profiles", std::move(listed)}};
}

Result<StoredActivityReports::Range> StoredActivityReports::load_range(
    const meta::ActivityProfile& profile, int64_t from_day, int64_t to_day) {
  Range range{
      from_day, to_day, CV_TRY(store_.activity_days(profile.principals, from_day, to_day)), {}};
  range.days = activity::daily_scores(range.sums, from_day, to_day, rules_.daily_cap_milli(),
                                      rules_.service_daily_cap_milli());
  return range;
}

json::object StoredActivityReports::summary(const meta::ActivityProfile& profile,
                                            const Range& range) const {
  const auto& sums = range.sums;
  const auto& scored = range.days;
  const int64_t from_day = range.from_day;
  const int64_t to_day = range.to_day;
  // Per-day service counts, for the tooltips' top services.
  std::map<std::pair<int64_t, std::string>, int64_t> counts;
  for (const meta::ActivityDayService& sum : sums) counts[{sum.day, sum.service}] += sum.events;
  json::array days;
  int64_t events = 0, score_milli = 0, active = 0, longest = 0, run = 0;
  for (const activity::DayScore& day : scored) {
    json::array services;
    for (const activity::ServiceScore& service : day.top_services) {
      services.push_back({{"service", service.service},
                          {"score", activity::points_json(service.score_milli)},
                          {"count", counts[{day.day, service.service}]}});
    }
    days.push_back({{"date", activity::format_day(day.day)},
                    {"score", activity::points_json(day.score_milli)},
                    {"count", day.events},
                    {"level", day.level},
                    {"services", std::move(services)}});
    events += day.events;
    score_milli += day.score_milli;
    const bool is_active = day.score_milli > 0;
    active += is_active ? 1 : 0;
    run = is_active ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  // The current streak ends on the range's last day, or the day before when the last day has
  // no activity yet (as GitHub counts it).
  int64_t current = 0;
  for (size_t i = scored.size(); i-- > 0;) {
    if (scored[i].score_milli > 0) {
      ++current;
    } else if (!(i + 1 == scored.size())) {
      break;
    }
  }
  return json::object{
      {"profile", profile.name},
      {"from", activity::format_day(from_day)},
      {"to", activity::format_day(to_day)},
      {"days", std::move(days)},
      {"services", service_breakdown(sums, rules_.service_daily_cap_milli())},
      {"totals",
       {{"events", events}, {"score", activity::points_json(score_milli)}, {"activeDays", active}}},
      {"streaks", {{"current", current}, {"longest", longest}}}};
}

Result<json::value> StoredActivityReports::days(const console::ActivityViewer& viewer,
                                                std::string_view name, std::string_view from,
                                                std::string_view to) {
  const auto [from_day, to_day] = CV_TRY(parse_range(from, to));
  const auto profile = CV_TRY(visible_profile(viewer, name));
  return summary(profile, CV_TRY(load_range(profile, from_day, to_day)));
}

Result<json::value> StoredActivityReports::services(const console::ActivityViewer& viewer,
                                                    std::string_view name, std::string_view from,
                                                    std::string_view to) {
  const auto [from_day, to_day] = CV_TRY(parse_range(from, to));
  const auto profile = CV_TRY(visible_profile(viewer, name));
  const auto sums = CV_TRY(store_.activity_days(profile.principals, from_day, to_day));
  return json::object{{"services", service_breakdown(sums, rules_.service_daily_cap_milli())}};
}

Result<json::value> StoredActivityReports::recent(const console::ActivityViewer& viewer,
                                                  std::string_view name, size_t limit,
                                                  std::string_view next) {
  const auto profile = CV_TRY(visible_profile(viewer, name));
  size_t offset = 0;
  if (!next.empty()) {
    const auto [end, ec] = std::from_chars(next.data(), next.data() + next.size(), offset);
    if (ec != std::errc() || end != next.data() + next.size()) {
      return fail(ErrorCode::kInvalidArgument, "next is not a continuation this API gave.");
    }
  }
  const int64_t last = today(clock_);
  auto events = CV_TRY(store_.activity_events(profile.principals, last - kRecentDays, last));
  std::reverse(events.begin(), events.end());  // newest first
  json::array page;
  for (size_t i = offset; i < events.size() && page.size() < limit; ++i) {
    const meta::ActivityEvent& event = events[i];
    json::object entry{{"eventId", event.event_id},
                       {"time", format_iso8601(from_unix_nanos(event.time_ns))},
                       {"service", event.scoring.service},
                       {"eventName", event.event_name},
                       {"principal", principal_of(event.actor)},
                       {"readOnly", event.read_only}};
    if (event.failed) entry["errorCode"] = "Failed";
    page.push_back(std::move(entry));
  }
  const size_t reached = offset + page.size();
  json::value more =
      reached < events.size() ? json::value(std::to_string(reached)) : json::value(nullptr);
  return json::object{{"events", std::move(page)}, {"next", std::move(more)}};
}

Result<std::string> StoredActivityReports::publish(const console::ActivityViewer& viewer,
                                                   std::string_view name) {
  if (!viewer.root) return fail(ErrorCode::kAccessDenied, "Only root may publish a profile.");
  CV_TRY(visible_profile(viewer, name));
  const std::string token = random_hex(20);
  if (!CV_TRY(store_.set_activity_public_token(name, token))) {
    return fail(ErrorCode::kNoSuchKey,
                "There is no activity profile named " + std::string(name) + ".");
  }
  return token;
}

Status StoredActivityReports::unpublish(const console::ActivityViewer& viewer,
                                        std::string_view name) {
  if (!viewer.root) return fail(ErrorCode::kAccessDenied, "Only root may unpublish a profile.");
  CV_TRY(visible_profile(viewer, name));
  CV_TRY(store_.set_activity_public_token(name, ""));
  return {};
}

Result<json::value> StoredActivityReports::public_page(std::string_view token) {
  auto profile = CV_TRY(store_.find_activity_profile_by_token(token));
  if (!profile)
    return fail(ErrorCode::kNoSuchKey, "This public page does not exist or was turned off.");
  const int64_t to_day = today(clock_);
  const int64_t from_day = to_day - 364;
  Range range = CV_TRY(load_range(*profile, from_day, to_day));
  json::object page = summary(*profile, range);
  // The attestation of the same range, signed and then checked as `activity verify` does.
  activity::AttestationInput input;
  input.profile = profile->name;
  input.principals = profile->principals;
  input.from_day = from_day;
  input.to_day = to_day;
  input.days = std::move(range.days);
  input.events = CV_TRY(store_.activity_events(profile->principals, from_day, to_day));
  const json::object attestation = activity::make_attestation(input, key_, clock_.now());
  auto verified = activity::verify_attestation(json::serialize(attestation), key_.public_pem());
  json::object proof{{"verified", verified.has_value()},
                     {"root", verified ? verified->merkle_root : std::string(64, '0')},
                     {"keyFingerprint", key_.fingerprint()},
                     {"events", verified ? static_cast<int64_t>(verified->leaves) : 0}};
  page["proof"] = std::move(proof);
  return page;
}

}  // namespace cv::app
