// Builds the metric families a prometheus::Collectable returns at collection time: values
// read when a scrape asks (process figures, disk space, readiness), as opposed to the
// counters and gauges a Registry family keeps between scrapes.
#pragma once

#include <prometheus/metric_family.h>

#include <initializer_list>
#include <string>
#include <utility>

namespace cv {

// An empty family of `type` (prometheus::MetricType::Counter or ::Gauge).
prometheus::MetricFamily collected_family(std::string name, std::string help,
                                          prometheus::MetricType type);

// Appends one sample with `labels` (name, value pairs) to a counter or gauge family.
void add_sample(prometheus::MetricFamily& family, double value,
                std::initializer_list<std::pair<std::string, std::string>> labels = {});

}  // namespace cv
