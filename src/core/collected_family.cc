#include "core/collected_family.h"

namespace cv {

prometheus::MetricFamily collected_family(std::string name, std::string help,
                                          prometheus::MetricType type) {
  prometheus::MetricFamily family;
  family.name = std::move(name);
  family.help = std::move(help);
  family.type = type;
  return family;
}

void add_sample(prometheus::MetricFamily& family, double value,
                std::initializer_list<std::pair<std::string, std::string>> labels) {
  prometheus::ClientMetric sample;
  for (const auto& [name, label_value] : labels) sample.label.push_back({name, label_value});
  if (family.type == prometheus::MetricType::Counter) {
    sample.counter.value = value;
  } else {
    sample.gauge.value = value;
  }
  family.metric.push_back(std::move(sample));
}

}  // namespace cv
