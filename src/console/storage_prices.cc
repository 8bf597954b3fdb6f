#include "console/storage_prices.h"

namespace cv::console {

std::optional<double> storage_price(std::string_view storage_class) {
  for (const StoragePrice& price : kAwsStoragePrices) {
    if (price.storage_class == storage_class) return price.usd_per_gb_month;
  }
  return std::nullopt;
}

double monthly_storage_cost(const meta::ClassUsage& usage) {
  double cost = 0;
  if (const auto price = storage_price(usage.storage_class)) {
    cost += static_cast<double>(usage.logical_bytes) / kBytesPerBilledGb * *price;
  }
  if (usage.restored_bytes > 0) {
    cost +=
        static_cast<double>(usage.restored_bytes) / kBytesPerBilledGb * *storage_price("STANDARD");
  }
  return cost;
}

double monthly_storage_cost(std::span<const meta::ClassUsage> classes) {
  double total = 0;
  for (const meta::ClassUsage& usage : classes) total += monthly_storage_cost(usage);
  return total;
}

}  // namespace cv::console
