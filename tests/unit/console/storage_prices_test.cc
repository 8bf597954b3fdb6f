#include "console/storage_prices.h"

#include <gtest/gtest.h>

#include <vector>

namespace cv::console {
namespace {

constexpr uint64_t kGb = 1ull << 30;

meta::ClassUsage usage(std::string_view storage_class, uint64_t logical, uint64_t restored = 0) {
  meta::ClassUsage entry;
  entry.storage_class = storage_class;
  entry.logical_bytes = logical;
  entry.stored_bytes = logical / 3;  // what compression leaves is not what AWS bills
  entry.restored_bytes = restored;
  return entry;
}

TEST(StoragePrices, TheTableHoldsAwsListPricesForTheEquivalentClasses) {
  EXPECT_EQ(storage_price("STANDARD"), 0.023);
  EXPECT_EQ(storage_price("STANDARD_IA"), 0.0125);
  EXPECT_EQ(storage_price("GLACIER"), 0.0036);
  EXPECT_EQ(storage_price("DEEP_ARCHIVE"), 0.00099);
  EXPECT_EQ(storage_price("REDUCED_REDUNDANCY"), std::nullopt);
  EXPECT_EQ(storage_price(""), std::nullopt);
}

TEST(StoragePrices, AClassCostsItsLogicalBytesInBinaryGigabytesAtItsPrice) {
  EXPECT_DOUBLE_EQ(monthly_storage_cost(usage("STANDARD", 10 * kGb)), 0.23);
  EXPECT_DOUBLE_EQ(monthly_storage_cost(usage("STANDARD_IA", kGb / 2)), 0.00625);
  EXPECT_DOUBLE_EQ(monthly_storage_cost(usage("GLACIER", 1000 * kGb)), 3.6);
  EXPECT_DOUBLE_EQ(monthly_storage_cost(usage("STANDARD", 0)), 0.0);
  // An unknown class is left out rather than guessed.
  EXPECT_DOUBLE_EQ(monthly_storage_cost(usage("OUTPOSTS", kGb)), 0.0);
}

TEST(StoragePrices, RestoredCopiesOfArchivesCostStandardsPriceOnTopOfTheArchive) {
  EXPECT_DOUBLE_EQ(monthly_storage_cost(usage("GLACIER", 100 * kGb, 2 * kGb)),
                   100 * 0.0036 + 2 * 0.023);
}

TEST(StoragePrices, TheTotalSumsTheClasses) {
  const std::vector<meta::ClassUsage> classes = {
      usage("STANDARD", 4 * kGb), usage("STANDARD_IA", 8 * kGb), usage("GLACIER", 16 * kGb)};
  EXPECT_DOUBLE_EQ(monthly_storage_cost(classes), 4 * 0.023 + 8 * 0.0125 + 16 * 0.0036);
  EXPECT_DOUBLE_EQ(monthly_storage_cost(std::span<const meta::ClassUsage>()), 0.0);
}

}  // namespace
}  // namespace cv::console
