// Rule matching and the per-key evaluation the lifecycle worker runs (plan_key, plan_upload).
// Hot path: the worker plans every due key, so nothing here allocates beyond the result.
#include <algorithm>
#include <limits>

#include "vault/lifecycle_rules.h"
#include "vault/storage_class.h"

namespace cv::vault {
namespace {

constexpr int64_t kNever = std::numeric_limits<int64_t>::max();

// start + days * day_ns, kNever when it does not fit.
int64_t after_days(int64_t start, int64_t days, int64_t day_ns) {
  int64_t span = 0;
  int64_t due = 0;
  if (__builtin_mul_overflow(days, day_ns, &span) || __builtin_add_overflow(start, span, &due)) {
    return kNever;
  }
  return due;
}

int64_t due_of(const LifecycleTransition& transition, int64_t created_ns, int64_t day_ns) {
  return transition.date_ns ? *transition.date_ns
                            : after_days(created_ns, transition.days.value_or(0), day_ns);
}

// STANDARD (and anything unknown) 0 < STANDARD_IA 1 < GLACIER 2.
int coldness(std::string_view storage_class) {
  return static_cast<int>(parse_storage_class(storage_class).value_or(StorageClass::kStandard));
}

// Objects under 128 KiB stay where they are unless the rule names a size bound.
bool size_allows_transition(const LifecycleConfiguration& config, const LifecycleRule& rule,
                            uint64_t size, int target_coldness) {
  if (size >= kTransitionMinimumObjectSize || rule.filter.has_size_bound()) return true;
  return config.transition_minimum_size == TransitionMinimumSize::kVariesByStorageClass &&
         target_coldness == static_cast<int>(StorageClass::kGlacier);
}

// The best action found so far for one version.
struct Choice {
  int64_t expire_due = kNever;
  const LifecycleRule* expire_rule = nullptr;
  int transition_coldness = -1;  // of the coldest transition due now
  const LifecycleRule* transition_rule = nullptr;
  const std::string* transition_class = nullptr;

  void offer_expiration(const LifecycleRule& rule, int64_t due) {
    if (due < expire_due) {
      expire_due = due;
      expire_rule = &rule;
    }
  }
  void offer_transition(const LifecycleRule& rule, const std::string& storage_class, int cold,
                        int64_t due, int64_t now_ns) {
    if (due <= now_ns && cold > transition_coldness) {
      transition_coldness = cold;
      transition_rule = &rule;
      transition_class = &storage_class;
    }
  }
};

// The plan for a version once every rule was offered: expiration first, then the coldest
// transition due; `later` gives the earliest transition due after the version reaches a
// given coldness.
template <class LaterTransition>
VersionPlan decide(const Choice& choice, LifecycleAction expire_action, int current_coldness,
                   int64_t now_ns, LaterTransition&& later) {
  VersionPlan plan;
  if (choice.expire_rule != nullptr && choice.expire_due <= now_ns) {
    plan.action = expire_action;
    plan.rule_id = choice.expire_rule->id;
    return plan;
  }
  int coldness_after = current_coldness;
  if (choice.transition_rule != nullptr) {
    plan.action = LifecycleAction::kTransition;
    plan.rule_id = choice.transition_rule->id;
    plan.storage_class = *choice.transition_class;
    coldness_after = choice.transition_coldness;
  }
  const int64_t next = std::min(choice.expire_due, later(coldness_after));
  plan.next_due_ns = next == kNever ? 0 : next;
  return plan;
}

VersionPlan plan_current_object(const LifecycleConfiguration& config, std::string_view key,
                                const VersionFacts& version, int64_t now_ns, int64_t day_ns) {
  const int current = coldness(version.storage_class);
  Choice choice;
  auto eligible = [&](const LifecycleRule& rule, int cold) {
    return cold > current && size_allows_transition(config, rule, version.size, cold);
  };
  for (const LifecycleRule& rule : config.rules) {
    if (!rule.enabled || !rule.filter.matches(key, version.size, version.tags)) continue;
    if (rule.expiration) {
      if (rule.expiration->days) {
        choice.offer_expiration(rule,
                                after_days(version.created_ns, *rule.expiration->days, day_ns));
      } else if (rule.expiration->date_ns) {
        choice.offer_expiration(rule, *rule.expiration->date_ns);
      }
    }
    for (const LifecycleTransition& transition : rule.transitions) {
      const int cold = coldness(transition.storage_class);
      if (!eligible(rule, cold)) continue;
      choice.offer_transition(rule, transition.storage_class, cold,
                              due_of(transition, version.created_ns, day_ns), now_ns);
    }
  }
  return decide(choice, LifecycleAction::kExpireCurrent, current, now_ns, [&](int coldness_after) {
    int64_t next = kNever;
    for (const LifecycleRule& rule : config.rules) {
      if (!rule.enabled || rule.transitions.empty() ||
          !rule.filter.matches(key, version.size, version.tags)) {
        continue;
      }
      for (const LifecycleTransition& transition : rule.transitions) {
        const int cold = coldness(transition.storage_class);
        if (cold <= coldness_after || !eligible(rule, cold)) continue;
        next = std::min(next, due_of(transition, version.created_ns, day_ns));
      }
    }
    return next;
  });
}

// A current delete marker: removed once it hides nothing (ExpiredObjectDeleteMarker, or an
// Expiration Days that has passed since the marker was made).
VersionPlan plan_current_marker(const LifecycleConfiguration& config, std::string_view key,
                                const VersionFacts& marker, bool only_version, int64_t now_ns,
                                int64_t day_ns) {
  VersionPlan plan;
  if (!only_version) return plan;
  int64_t due = kNever;
  const LifecycleRule* deciding = nullptr;
  for (const LifecycleRule& rule : config.rules) {
    if (!rule.enabled || !rule.expiration || !rule.filter.matches(key, 0, marker.tags)) continue;
    int64_t rule_due = kNever;
    if (rule.expiration->expired_object_delete_marker.value_or(false)) {
      rule_due = marker.created_ns;
    } else if (rule.expiration->days) {
      rule_due = after_days(marker.created_ns, *rule.expiration->days, day_ns);
    }
    if (rule_due < due) {
      due = rule_due;
      deciding = &rule;
    }
  }
  if (deciding == nullptr) return plan;
  if (due <= now_ns) {
    plan.action = LifecycleAction::kDeleteExpiredMarker;
    plan.rule_id = deciding->id;
  } else {
    plan.next_due_ns = due;
  }
  return plan;
}

VersionPlan plan_noncurrent(const LifecycleConfiguration& config, std::string_view key,
                            const VersionFacts& version, int newer_noncurrent, int64_t now_ns,
                            int64_t day_ns) {
  const int current = coldness(version.storage_class);
  const int64_t since =
      version.noncurrent_since_ns != 0 ? version.noncurrent_since_ns : version.created_ns;
  auto counted = [&](const std::optional<int32_t>& newer) {
    return !newer || newer_noncurrent >= *newer;
  };
  auto eligible = [&](const LifecycleRule& rule, const NoncurrentTransition& transition, int cold) {
    return !version.is_delete_marker && cold > current &&
           counted(transition.newer_noncurrent_versions) &&
           size_allows_transition(config, rule, version.size, cold);
  };
  Choice choice;
  for (const LifecycleRule& rule : config.rules) {
    if (!rule.enabled || !rule.filter.matches(key, version.size, version.tags)) continue;
    if (rule.noncurrent_expiration &&
        counted(rule.noncurrent_expiration->newer_noncurrent_versions)) {
      choice.offer_expiration(
          rule, after_days(since, rule.noncurrent_expiration->noncurrent_days, day_ns));
    }
    for (const NoncurrentTransition& transition : rule.noncurrent_transitions) {
      const int cold = coldness(transition.storage_class);
      if (!eligible(rule, transition, cold)) continue;
      choice.offer_transition(rule, transition.storage_class, cold,
                              after_days(since, transition.noncurrent_days, day_ns), now_ns);
    }
  }
  return decide(choice, LifecycleAction::kDeleteNoncurrent, current, now_ns,
                [&](int coldness_after) {
                  int64_t next = kNever;
                  for (const LifecycleRule& rule : config.rules) {
                    if (!rule.enabled || rule.noncurrent_transitions.empty() ||
                        !rule.filter.matches(key, version.size, version.tags)) {
                      continue;
                    }
                    for (const NoncurrentTransition& transition : rule.noncurrent_transitions) {
                      const int cold = coldness(transition.storage_class);
                      if (cold <= coldness_after || !eligible(rule, transition, cold)) continue;
                      next = std::min(next, after_days(since, transition.noncurrent_days, day_ns));
                    }
                  }
                  return next;
                });
}

}  // namespace

bool LifecycleFilter::matches(std::string_view key, uint64_t size,
                              const meta::StringPairs& object_tags) const {
  if (!key.starts_with(prefix)) return false;
  if (object_size_greater_than && size <= *object_size_greater_than) return false;
  if (object_size_less_than && size >= *object_size_less_than) return false;
  for (const auto& [tag_key, tag_value] : tags) {
    const auto found = std::find_if(object_tags.begin(), object_tags.end(),
                                    [&](const auto& tag) { return tag.first == tag_key; });
    if (found == object_tags.end() || found->second != tag_value) return false;
  }
  return true;
}

std::vector<VersionPlan> plan_key(const LifecycleConfiguration& config,
                                  std::span<const VersionFacts> versions, int64_t now_ns,
                                  int64_t day_ns) {
  std::vector<VersionPlan> plans(versions.size());
  if (versions.empty()) return plans;
  int newer_noncurrent = 0;  // noncurrent versions seen so far (all newer than the next one)
  for (size_t i = 0; i < versions.size(); ++i) {
    const VersionFacts& version = versions[i];
    if (version.is_latest) {
      plans[i] = version.is_delete_marker
                     ? plan_current_marker(config, version.key, version, versions.size() == 1,
                                           now_ns, day_ns)
                     : plan_current_object(config, version.key, version, now_ns, day_ns);
    } else {
      plans[i] = plan_noncurrent(config, version.key, version, newer_noncurrent, now_ns, day_ns);
      ++newer_noncurrent;
    }
  }
  return plans;
}

UploadPlan plan_upload(const LifecycleConfiguration& config, std::string_view key,
                       int64_t initiated_ns, int64_t now_ns, int64_t day_ns) {
  UploadPlan plan;
  int64_t due = kNever;
  for (const LifecycleRule& rule : config.rules) {
    if (!rule.enabled || !rule.abort_incomplete_multipart_days) continue;
    // Uploads have no tags or size yet: only prefix filters apply (S3 refuses the others).
    if (!rule.filter.tags.empty() || rule.filter.has_size_bound()) continue;
    if (!key.starts_with(rule.filter.prefix)) continue;
    const int64_t rule_due =
        after_days(initiated_ns, *rule.abort_incomplete_multipart_days, day_ns);
    if (rule_due < due) {
      due = rule_due;
      plan.rule_id = rule.id;
    }
  }
  if (due == kNever) return plan;
  plan.due_ns = due;
  plan.abort_now = due <= now_ns;
  return plan;
}

}  // namespace cv::vault
