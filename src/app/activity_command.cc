// `cloudvault activity ...`: ingest, profiles, daily scores, rescore (commands.h).
#include <fmt/format.h>

#include <boost/json.hpp>
#include <cstdio>

#include "activity/daily_scores.h"
#include "activity/ingester.h"
#include "activity/scoring_rules.h"
#include "app/activity_profile_days.h"
#include "app/activity_sources.h"
#include "app/admin_support.h"
#include "app/commands.h"
#include "app/migration_report.h"
#include "app/progress_bar.h"
#include "app/sealed_values.h"

namespace cv::app {
namespace {

std::string points_text(int64_t milli) {
  std::string text = fmt::format("{}.{:03}", milli / 1000, milli % 1000);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

void print_report(const activity::IngestReport& report) {
  std::printf("files: %llu read, %llu skipped\n",
              static_cast<unsigned long long>(report.files_read),
              static_cast<unsigned long long>(report.files_skipped));
  std::printf("records: %llu new, %llu duplicate\n",
              static_cast<unsigned long long>(report.records_new),
              static_cast<unsigned long long>(report.records_duplicate));
  std::printf("malformed: %llu files, %llu records\n",
              static_cast<unsigned long long>(report.malformed_files),
              static_cast<unsigned long long>(report.malformed_records));
  for (const activity::IngestProblem& problem : report.problems) {
    std::printf("malformed: %s: %s\n", problem.file.c_str(), problem.reason.c_str());
  }
}

}  // namespace

int activity_ingest(const Config& config, const ActivityIngestFlags& flags) {
  auto rules = activity::ScoringRules::load(config.activity_rules_file);
  if (!rules) return report_error(rules.error());
  auto stores = open_stores_for_cli(config);
  if (!stores) return report_error(stores.error());
  Config opened = config;  // remote secrets may be sealed under the master key
  if (auto unsealed = open_sealed_values(opened, stores->master_key); !unsealed) {
    return report_error(unsealed.error());
  }
  SystemClock clock;
  vault::Vault vault(*stores->meta, *stores->blobs, clock, vault_options_from(config));
  {
    meta::MetaStore& meta = *stores->meta;
    auto source = open_trail_source(opened, vault, flags, clock);
    if (!source) return report_error(source.error());
    activity::Ingester ingester(meta, *rules, clock);
    ProgressBar progress = ProgressBar::on_stderr("activity ingest", "files");
    auto report = ingester.ingest(**source, progress.callback());
    if (!report) return report_error(report.error());
    progress.finish();
    print_report(*report);
    return 0;
  }
}

int activity_profile_add(const Config& config, const std::string& name,
                         const std::vector<std::string>& principals) {
  if (name.empty() || name.size() > 128) {
    return report_error({ErrorCode::kInvalidArgument, "a profile name is 1-128 characters", ""});
  }
  for (const std::string& principal : principals) {
    if (principal.empty()) {
      return report_error({ErrorCode::kInvalidArgument, "a principal may not be empty", ""});
    }
  }
  return with_vault(config, [&](vault::Vault&, meta::MetaStore& meta) {
    SystemClock clock;
    if (auto added = meta.add_activity_principals(name, principals, to_unix_nanos(clock.now()));
        !added) {
      return report_error(added.error());
    }
    auto profile = meta.get_activity_profile(name);
    if (!profile || !*profile) return report_error({ErrorCode::kInternalError, "profile lost", ""});
    std::printf("%s: %s\n", name.c_str(),
                fmt::format("{}", fmt::join((*profile)->principals, ", ")).c_str());
    return 0;
  });
}

int activity_profile_list(const Config& config) {
  return with_vault(config, [&](vault::Vault&, meta::MetaStore& meta) {
    auto profiles = meta.list_activity_profiles();
    if (!profiles) return report_error(profiles.error());
    for (const meta::ActivityProfile& profile : *profiles) {
      std::printf("%s: %s\n", profile.name.c_str(),
                  fmt::format("{}", fmt::join(profile.principals, ", ")).c_str());
    }
    return 0;
  });
}

int activity_profile_remove(const Config& config, const std::string& name) {
  return with_vault(config, [&](vault::Vault&, meta::MetaStore& meta) {
    auto removed = meta.remove_activity_profile(name);
    if (!removed) return report_error(removed.error());
    if (!*removed) {
      return report_error({ErrorCode::kInvalidArgument, "no profile named " + name, name});
    }
    return 0;
  });
}

int activity_days(const Config& config, const std::string& profile_name, const std::string& from,
                  const std::string& to, bool as_json) {
  auto from_day = activity::parse_day(from);
  auto to_day = activity::parse_day(to);
  if (!from_day || !to_day) {
    return report_error({ErrorCode::kInvalidArgument, "--from and --to are YYYY-MM-DD dates", ""});
  }
  if (*to_day < *from_day || *to_day - *from_day > 3660) {
    return report_error(
        {ErrorCode::kInvalidArgument, "--to must be on or after --from, at most 10 years on", ""});
  }
  auto rules = activity::ScoringRules::load(config.activity_rules_file);
  if (!rules) return report_error(rules.error());
  return with_vault(config, [&](vault::Vault&, meta::MetaStore& meta) {
    auto found = profile_days(meta, *rules, profile_name, *from_day, *to_day);
    if (!found) return report_error(found.error());
    const std::vector<activity::DayScore>& days = found->days;
    if (as_json) {
      boost::json::array out;
      for (const activity::DayScore& day : days) {
        boost::json::array top;
        for (const activity::ServiceScore& service : day.top_services) {
          top.push_back({{"service", service.service},
                         {"score", activity::points_json(service.score_milli)}});
        }
        out.push_back({{"date", activity::format_day(day.day)},
                       {"score", activity::points_json(day.score_milli)},
                       {"level", day.level},
                       {"events", day.events},
                       {"top_services", std::move(top)}});
      }
      print_json({{"profile", profile_name}, {"from", from}, {"to", to}, {"days", std::move(out)}});
      return 0;
    }
    for (const activity::DayScore& day : days) {
      std::string top;
      for (const activity::ServiceScore& service : day.top_services) {
        top += fmt::format("{}{} {}", top.empty() ? "" : ", ", service.service,
                           points_text(service.score_milli));
      }
      std::printf("%s  score %-7s level %d  events %-6lld %s\n",
                  activity::format_day(day.day).c_str(), points_text(day.score_milli).c_str(),
                  day.level, static_cast<long long>(day.events), top.c_str());
    }
    return 0;
  });
}

int activity_rescore(const Config& config) {
  auto rules = activity::ScoringRules::load(config.activity_rules_file);
  if (!rules) return report_error(rules.error());
  return with_vault(config, [&](vault::Vault&, meta::MetaStore& meta) {
    ProgressBar progress = ProgressBar::on_stderr("activity rescore", "events");
    uint64_t scored_so_far = 0;
    auto scored = meta.rescore_activity(
        [&](const meta::ActivityEvent& event) -> Result<meta::ActivityScoring> {
          progress.update(++scored_so_far, 0);
          return rules->score(event);
        });
    if (!scored) return report_error(scored.error());
    progress.finish();
    std::printf("rescored %llu events\n", static_cast<unsigned long long>(*scored));
    return 0;
  });
}

}  // namespace cv::app
