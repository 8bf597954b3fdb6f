// `cloudvault activity attest` and `activity verify` (commands.h).
#include <boost/json.hpp>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "activity/attestation.h"
#include "activity/daily_scores.h"
#include "activity/scoring_rules.h"
#include "app/activity_profile_days.h"
#include "app/admin_support.h"
#include "app/commands.h"
#include "app/trail_identity.h"
#include "core/encoding.h"

namespace cv::app {
namespace {

Result<std::string> read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::kInvalidArgument, "cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

int activity_attest(const Config& config, const std::string& profile_name,
                    const std::optional<std::string>& from, const std::optional<std::string>& to) {
  SystemClock clock;
  const int64_t today = to_unix_nanos(clock.now()) / 86'400'000'000'000;
  auto to_day = to ? activity::parse_day(*to) : std::optional<int64_t>(today);
  auto from_day = from ? activity::parse_day(*from) : std::optional<int64_t>(*to_day - 364);
  if (!from_day || !to_day || *to_day < *from_day || *to_day - *from_day > 3660) {
    return report_error({ErrorCode::kInvalidArgument,
                         "--from and --to are YYYY-MM-DD dates, --to on or after --from", ""});
  }
  auto rules = activity::ScoringRules::load(config.activity_rules_file);
  if (!rules) return report_error(rules.error());
  auto key = server_signing_key(config.data_dir);
  if (!key) return report_error(key.error());
  return with_vault(config, [&](vault::Vault&, meta::MetaStore& meta) {
    auto found = profile_days(meta, *rules, profile_name, *from_day, *to_day);
    if (!found) return report_error(found.error());
    auto events = meta.activity_events(found->profile.principals, *from_day, *to_day);
    if (!events) return report_error(events.error());
    activity::AttestationInput input{.profile = profile_name,
                                     .principals = found->profile.principals,
                                     .from_day = *from_day,
                                     .to_day = *to_day,
                                     .days = std::move(found->days),
                                     .events = std::move(*events)};
    print_json(activity::make_attestation(input, *key, clock.now()));
    return 0;
  });
}

int activity_verify(const std::string& proof_file, const std::optional<std::string>& key_file,
                    const std::optional<std::string>& prove_event) {
  auto document = read_text_file(proof_file);
  if (!document) return report_error(document.error());
  std::optional<std::string> key;
  if (key_file) {
    auto text = read_text_file(*key_file);
    if (!text) return report_error(text.error());
    key = std::string(trim(*text));
  }
  auto verified = activity::verify_attestation(*document, key);
  if (!verified) {
    std::printf("invalid: %s\n", verified.error().message.c_str());
    return 1;
  }
  std::printf("valid: profile %s, %s to %s, %zu events, merkle root %s, key %s%s\n",
              verified->profile.c_str(), verified->from.c_str(), verified->to.c_str(),
              verified->leaves, verified->merkle_root.c_str(), verified->key_fingerprint.c_str(),
              key ? "" : " (the document's own key: pass --key to check whose it is)");
  if (prove_event) {
    auto proof = activity::prove_inclusion(*document, *prove_event);
    if (!proof) {
      std::printf("invalid: %s\n", proof.error().message.c_str());
      return 1;
    }
    boost::json::array path;
    for (const std::string& step : proof->path) path.push_back(boost::json::value(step));
    print_json({{"event_id", proof->event_id},
                {"index", proof->index},
                {"size", proof->size},
                {"leaf_hash", proof->leaf_hash},
                {"path", std::move(path)},
                {"merkle_root", proof->merkle_root}});
  }
  return 0;
}

}  // namespace cv::app
