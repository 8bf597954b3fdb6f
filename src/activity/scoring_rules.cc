#include "activity/scoring_rules.h"

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <sstream>

namespace cv::activity {
namespace json = boost::json;

namespace {

Error invalid(std::string message) {
  return Error{ErrorCode::kInvalidArgument, "activity rules: " + std::move(message), ""};
}

// A non-negative number field, in thousandths.
Result<int64_t> milli_points(const json::value& value, std::string_view what) {
  double number = 0;
  if (value.is_int64()) {
    number = static_cast<double>(value.get_int64());
  } else if (value.is_uint64()) {
    number = static_cast<double>(value.get_uint64());
  } else if (value.is_double()) {
    number = value.get_double();
  } else {
    return std::unexpected(invalid(fmt::format("{} is not a number", what)));
  }
  if (!(number >= 0) || number > 1e9) {
    return std::unexpected(invalid(fmt::format("{} is out of range", what)));
  }
  return static_cast<int64_t>(std::llround(number * 1000));
}

Result<const json::value*> required(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  if (value == nullptr) return std::unexpected(invalid(fmt::format("\"{}\" is missing", key)));
  return value;
}

Result<std::vector<std::string>> string_list(const json::object& object, std::string_view key,
                                             std::string_view service) {
  std::vector<std::string> out;
  const json::value* value = object.if_contains(key);
  if (value == nullptr) return out;
  if (!value->is_array()) {
    return std::unexpected(invalid(fmt::format("services.{}.{} is not a list", service, key)));
  }
  for (const json::value& element : value->get_array()) {
    if (!element.is_string() || element.get_string().empty()) {
      return std::unexpected(
          invalid(fmt::format("services.{}.{} holds a non-string", service, key)));
    }
    out.emplace_back(element.get_string());
  }
  return out;
}

}  // namespace

Result<ScoringRules> ScoringRules::parse(std::string_view document) {
  json::error_code ec;
  json::value root = json::parse(document, ec);
  if (ec) return std::unexpected(invalid("not JSON: " + ec.message()));
  if (!root.is_object()) return std::unexpected(invalid("the document is not an object"));
  const json::object& top = root.get_object();
  ScoringRules rules;

  const json::value* window = CV_TRY(required(top, "collapse_window_seconds"));
  if (!window->is_int64() || window->get_int64() < 1 || window->get_int64() > 86400 ||
      86400 % window->get_int64() != 0) {
    return std::unexpected(invalid("collapse_window_seconds must be 1-86400 and divide 86400"));
  }
  rules.window_seconds_ = window->get_int64();
  const json::value* factor = CV_TRY(required(top, "failed_factor"));
  if (!factor->is_number() || factor->to_number<double>() < 0 || factor->to_number<double>() > 1) {
    return std::unexpected(invalid("failed_factor must be a number from 0 to 1"));
  }
  rules.failed_factor_ = factor->to_number<double>();
  rules.daily_cap_milli_ = CV_TRY(milli_points(*CV_TRY(required(top, "daily_cap")), "daily_cap"));
  rules.service_daily_cap_milli_ =
      CV_TRY(milli_points(*CV_TRY(required(top, "service_daily_cap")), "service_daily_cap"));
  const json::value* defaults = CV_TRY(required(top, "default_points"));
  if (!defaults->is_object()) return std::unexpected(invalid("default_points is not an object"));
  rules.default_write_milli_ = CV_TRY(
      milli_points(*CV_TRY(required(defaults->get_object(), "write")), "default_points.write"));
  rules.default_read_milli_ = CV_TRY(
      milli_points(*CV_TRY(required(defaults->get_object(), "read")), "default_points.read"));

  const json::value* services = CV_TRY(required(top, "services"));
  if (!services->is_object()) return std::unexpected(invalid("services is not an object"));
  for (const auto& [name_view, body] : services->get_object()) {
    std::string service(name_view);
    if (service.empty() || service == "other") {
      return std::unexpected(invalid(fmt::format("\"{}\" is not a service name", service)));
    }
    if (!body.is_object()) {
      return std::unexpected(invalid(fmt::format("services.{} is not an object", service)));
    }
    const json::object& spec = body.get_object();
    auto owned = CV_TRY(string_list(spec, "sources", service));
    auto borrowed = CV_TRY(string_list(spec, "borrows", service));
    for (const std::string& source : owned) {
      auto [it, inserted] = rules.source_owner_.emplace(source, service);
      if (!inserted) {
        return std::unexpected(invalid(
            fmt::format("source {} is owned by both {} and {}", source, it->second, service)));
      }
    }
    const json::value* events = spec.if_contains("events");
    if (events != nullptr && !events->is_object()) {
      return std::unexpected(invalid(fmt::format("services.{}.events is not an object", service)));
    }
    std::vector<std::string> sources = owned;
    sources.insert(sources.end(), borrowed.begin(), borrowed.end());
    if (sources.empty()) {
      return std::unexpected(invalid(fmt::format("services.{} has no sources", service)));
    }
    if (events != nullptr) {
      for (const auto& [event_name, points] : events->get_object()) {
        int64_t milli = CV_TRY(
            milli_points(points, fmt::format("services.{}.events.{}", service, event_name.data())));
        for (const std::string& source : sources) {
          auto key = std::make_pair(source, std::string(event_name));
          auto [it, inserted] = rules.events_.emplace(key, Listed{service, milli});
          if (!inserted) {
            return std::unexpected(
                invalid(fmt::format("event {} of {} is listed by {} and {}", key.second, source,
                                    it->second.service, service)));
          }
        }
      }
    }
    rules.service_names_.push_back(service);
  }
  return rules;
}

Result<ScoringRules> ScoringRules::load(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return fail(ErrorCode::kInvalidArgument, "activity rules: cannot read " + file.string());
  }
  std::ostringstream text;
  text << in.rdbuf();
  auto rules = parse(text.str());
  if (!rules) {
    return fail(ErrorCode::kInvalidArgument, file.string() + ": " + rules.error().message);
  }
  return rules;
}

int64_t ScoringRules::listed_points_milli(std::string_view source, std::string_view name) const {
  auto it = events_.find(std::make_pair(std::string(source), std::string(name)));
  return it == events_.end() ? -1 : it->second.points_milli;
}

std::string ScoringRules::service_of(std::string_view source, std::string_view name) const {
  auto it = events_.find(std::make_pair(std::string(source), std::string(name)));
  if (it != events_.end()) return it->second.service;
  auto owner = source_owner_.find(source);
  return owner == source_owner_.end() ? "other" : owner->second;
}

meta::ActivityScoring ScoringRules::score(const meta::ActivityEvent& event) const {
  meta::ActivityScoring scoring;
  int64_t seconds = event.time_ns / 1'000'000'000;
  if (event.time_ns < 0 && event.time_ns % 1'000'000'000 != 0) --seconds;
  int64_t window = seconds / window_seconds_;
  if (seconds < 0 && seconds % window_seconds_ != 0) --window;
  scoring.window_start_s = window * window_seconds_;

  auto listed = events_.find(std::make_pair(event.event_source, event.event_name));
  int64_t points = 0;
  if (listed != events_.end()) {
    scoring.service = listed->second.service;
    points = listed->second.points_milli;
  } else if (auto owner = source_owner_.find(event.event_source); owner != source_owner_.end()) {
    scoring.service = owner->second;
    points = event.read_only ? default_read_milli_ : default_write_milli_;
  } else {
    scoring.service = "other";
  }
  if (event.failed) points = static_cast<int64_t>(std::llround(points * failed_factor_));
  scoring.points_milli = points;
  return scoring;
}

}  // namespace cv::activity
