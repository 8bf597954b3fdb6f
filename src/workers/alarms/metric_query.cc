#include "workers/alarms/metric_query.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace cv::workers::alarms {
namespace {

bool matches(const MetricSelector& selector, const SeriesValue& series) {
  for (const auto& [name, value] : selector.labels) {
    auto found = series.labels.find(name);
    if (found == series.labels.end() || found->second != value) return false;
  }
  return true;
}

// Combines values with a level statistic (Sum adds, Average means).
struct Combiner {
  Statistic statistic;
  double total = 0;
  double extreme = 0;
  size_t count = 0;

  void add(double value) {
    if (count == 0) {
      extreme = value;
    } else if (statistic == Statistic::kMinimum) {
      extreme = std::min(extreme, value);
    } else if (statistic == Statistic::kMaximum) {
      extreme = std::max(extreme, value);
    }
    total += value;
    ++count;
  }
  std::optional<double> across_series() const {
    if (count == 0) return std::nullopt;
    switch (statistic) {
      case Statistic::kMinimum:
      case Statistic::kMaximum: return extreme;
      case Statistic::kAverage: return total / static_cast<double>(count);
      default: return total;  // Sum, and the counters of Rate / Ratio
    }
  }
  std::optional<double> over_time() const {
    if (count == 0) return std::nullopt;
    if (statistic == Statistic::kMinimum || statistic == Statistic::kMaximum) return extreme;
    return total / static_cast<double>(count);
  }
};

std::optional<double> sum_of(const MetricSnapshot& snapshot, const MetricSelector& selector) {
  auto family = snapshot.families.find(selector.metric);
  if (family == snapshot.families.end()) return std::nullopt;
  std::optional<double> sum;
  for (const SeriesValue& series : family->second) {
    if (matches(selector, series)) sum = sum.value_or(0) + series.value;
  }
  return sum;
}

// The increase of a counter from `from` to `to` (a decrease is a reset: `to` counts).
double increase(double from, double to) { return to >= from ? to - from : to; }

// The readings a rate-like statistic spans: the baseline and the ones inside the period.
std::vector<const Reading*> span_of(std::span<const Reading> readings, int64_t start_ns,
                                    int64_t end_ns, bool need_denominator) {
  std::vector<const Reading*> span;
  const Reading* baseline = nullptr;
  for (const Reading& reading : readings) {
    if (!reading.value || (need_denominator && !reading.denominator)) continue;
    if (reading.time_ns <= start_ns) {
      baseline = &reading;
    } else if (reading.time_ns <= end_ns) {
      if (span.empty() && baseline != nullptr) span.push_back(baseline);
      span.push_back(&reading);
    }
  }
  return span;
}

std::optional<double> percentile_of(std::span<const Reading> readings, int64_t start_ns,
                                    int64_t end_ns, double percentile) {
  const Reading* first = nullptr;
  const Reading* last = nullptr;
  for (const Reading& reading : readings) {
    if (reading.buckets.empty()) continue;
    if (reading.time_ns <= start_ns) {
      first = &reading;
    } else if (reading.time_ns <= end_ns) {
      if (first == nullptr) first = &reading;
      last = &reading;
    }
  }
  if (first == nullptr || last == nullptr || first == last) return std::nullopt;
  std::vector<HistogramBucket> delta = last->buckets;
  if (first->buckets.size() == delta.size()) {
    for (size_t i = 0; i < delta.size(); ++i) {
      delta[i].cumulative_count = increase(first->buckets[i].cumulative_count,
                                           delta[i].cumulative_count);
    }
  }
  const double total = delta.back().cumulative_count;
  if (total <= 0) return std::nullopt;
  const double rank = percentile / 100 * total;
  double lower = 0;
  double below = 0;
  for (const HistogramBucket& bucket : delta) {
    if (bucket.cumulative_count >= rank) {
      if (std::isinf(bucket.upper_bound)) return lower;
      const double within = bucket.cumulative_count - below;
      if (within <= 0) return bucket.upper_bound;
      return lower + (bucket.upper_bound - lower) * (rank - below) / within;
    }
    lower = bucket.upper_bound;
    below = bucket.cumulative_count;
  }
  return lower;
}

}  // namespace

Result<Statistic> parse_statistic(std::string_view text, double& percentile) {
  percentile = 0;
  if (text == "Average") return Statistic::kAverage;
  if (text == "Minimum") return Statistic::kMinimum;
  if (text == "Maximum") return Statistic::kMaximum;
  if (text == "Sum") return Statistic::kSum;
  if (text == "Rate") return Statistic::kRate;
  if (text == "Ratio") return Statistic::kRatio;
  if (text.size() > 1 && text[0] == 'p') {
    double value = 0;
    const auto [end, error] = std::from_chars(text.data() + 1, text.data() + text.size(), value);
    if (error == std::errc() && end == text.data() + text.size() && value > 0 && value < 100) {
      percentile = value;
      return Statistic::kPercentile;
    }
  }
  return fail(ErrorCode::kInvalidArgument,
              "statistic must be Average, Minimum, Maximum, Sum, Rate, Ratio or a percentile "
              "such as p99 (got \"" + std::string(text) + "\")");
}

std::string statistic_name(Statistic statistic, double percentile) {
  switch (statistic) {
    case Statistic::kAverage: return "Average";
    case Statistic::kMinimum: return "Minimum";
    case Statistic::kMaximum: return "Maximum";
    case Statistic::kSum: return "Sum";
    case Statistic::kRate: return "Rate";
    case Statistic::kRatio: return "Ratio";
    case Statistic::kPercentile: {
      char text[32];
      std::snprintf(text, sizeof text, "p%g", percentile);
      return text;
    }
  }
  return "Average";
}

std::string selector_text(const MetricSelector& selector) {
  std::string text = selector.metric;
  if (selector.labels.empty()) return text;
  text += '{';
  bool first = true;
  for (const auto& [name, value] : selector.labels) {
    if (!first) text += ',';
    first = false;
    text += name + "=\"" + value + "\"";
  }
  return text + '}';
}

Reading read(const MetricQuery& query, const MetricSnapshot& snapshot) {
  Reading reading;
  reading.time_ns = snapshot.time_ns;
  auto family = snapshot.families.find(query.selector.metric);
  if (family != snapshot.families.end()) {
    Combiner combiner{query.statistic};
    for (const SeriesValue& series : family->second) {
      if (!matches(query.selector, series)) continue;
      combiner.add(series.value);
      if (query.statistic == Statistic::kPercentile && !series.buckets.empty()) {
        if (reading.buckets.empty()) {
          reading.buckets = series.buckets;
        } else if (reading.buckets.size() == series.buckets.size()) {
          for (size_t i = 0; i < series.buckets.size(); ++i) {
            reading.buckets[i].cumulative_count += series.buckets[i].cumulative_count;
          }
        }
      }
    }
    reading.value = combiner.across_series();
  }
  if (query.statistic == Statistic::kRatio && query.denominator) {
    reading.denominator = sum_of(snapshot, *query.denominator);
  }
  // A counter's series appears with its first increment: until then it stands at 0 (else the
  // increments that create it would never be counted).
  const bool counting = query.statistic == Statistic::kRate || query.statistic == Statistic::kRatio;
  if (counting && !reading.value &&
      (family != snapshot.families.end() || reading.denominator)) {
    reading.value = 0;
  }
  return reading;
}

std::optional<double> datapoint(const MetricQuery& query, std::span<const Reading> readings,
                                int64_t start_ns, int64_t end_ns) {
  switch (query.statistic) {
    case Statistic::kRate: {
      const auto span = span_of(readings, start_ns, end_ns, false);
      if (span.size() < 2) return std::nullopt;
      double grown = 0;
      for (size_t i = 1; i < span.size(); ++i) grown += increase(*span[i - 1]->value, *span[i]->value);
      const double seconds = static_cast<double>(span.back()->time_ns - span.front()->time_ns) / 1e9;
      if (seconds <= 0) return std::nullopt;
      return grown / seconds;
    }
    case Statistic::kRatio: {
      const auto span = span_of(readings, start_ns, end_ns, true);
      if (span.size() < 2) return std::nullopt;
      double numerator = 0;
      double denominator = 0;
      for (size_t i = 1; i < span.size(); ++i) {
        numerator += increase(*span[i - 1]->value, *span[i]->value);
        denominator += increase(*span[i - 1]->denominator, *span[i]->denominator);
      }
      if (denominator <= 0) return std::nullopt;
      return numerator / denominator;
    }
    case Statistic::kPercentile: return percentile_of(readings, start_ns, end_ns, query.percentile);
    default: {
      Combiner combiner{query.statistic};
      for (const Reading& reading : readings) {
        if (reading.value && reading.time_ns > start_ns && reading.time_ns <= end_ns) {
          combiner.add(*reading.value);
        }
      }
      return combiner.over_time();
    }
  }
}

}  // namespace cv::workers::alarms
