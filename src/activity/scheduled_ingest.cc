#include "activity/scheduled_ingest.h"

#include "activity/scoring_rules.h"

namespace cv::activity {

ScheduledIngest::ScheduledIngest(meta::MetaStore& store, Clock& clock,
                                 std::filesystem::path rules_file, std::vector<std::string> sources,
                                 SourceOpener open_source)
    : store_(store),
      clock_(clock),
      rules_file_(std::move(rules_file)),
      sources_(std::move(sources)),
      open_source_(std::move(open_source)) {}

std::vector<SourceRun> ScheduledIngest::run_once() {
  std::vector<SourceRun> runs;
  auto rules = ScoringRules::load(rules_file_);
  for (const std::string& spec : sources_) {
    if (!rules) {
      runs.push_back({spec, std::unexpected(rules.error())});
      continue;
    }
    auto source = open_source_(spec);
    if (!source) {
      runs.push_back({spec, std::unexpected(source.error())});
      continue;
    }
    Ingester ingester(store_, *rules, clock_);
    runs.push_back({spec, ingester.ingest(**source)});
  }
  return runs;
}

}  // namespace cv::activity
