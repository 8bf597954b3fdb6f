// What a bucket's storage would cost on AWS S3, for comparison (issue 15: the bucket page's
// cost estimate). The one table of prices the console uses: AWS's published list prices
// (USD per GB-month, a GB being 2^30 bytes as AWS bills it) for storage only, US East
// (N. Virginia), the first-50-TB-per-month tier. Not included: requests, retrievals, data
// transfer, minimum billable sizes and durations, and the 40 KB AWS adds per archived object.
// Pure functions over constant data; thread-safe.
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "meta/types.h"

namespace cv::console {

struct StoragePrice {
  std::string_view storage_class;  // S3's name of the class
  double usd_per_gb_month;
};

// Source: https://aws.amazon.com/s3/pricing/ ("Storage pricing", US East (N. Virginia),
// "First 50 TB / Month"), recorded 2026-12-07. GLACIER is S3 Glacier Flexible Retrieval.
// STANDARD, STANDARD_IA and GLACIER are the classes this server keeps; DEEP_ARCHIVE is listed
// for comparison.
inline constexpr StoragePrice kAwsStoragePrices[] = {
    {"STANDARD", 0.023},
    {"STANDARD_IA", 0.0125},
    {"GLACIER", 0.0036},
    {"DEEP_ARCHIVE", 0.00099},
};
inline constexpr std::string_view kAwsPriceSource =
    "AWS S3 list prices, storage only, US East (N. Virginia), first 50 TB/month "
    "(https://aws.amazon.com/s3/pricing/), recorded 2026-12-07";
inline constexpr std::string_view kAwsPriceRegion = "us-east-1";
inline constexpr std::string_view kAwsPriceDate = "2026-12-07";
inline constexpr double kBytesPerBilledGb = 1024.0 * 1024.0 * 1024.0;

// The class's price; nullopt for a class not in the table.
std::optional<double> storage_price(std::string_view storage_class);

// A month of one class's storage at its price: every stored version (noncurrent ones too, as
// AWS bills them) by its logical size, plus restored copies of archived versions at
// STANDARD's price (AWS bills the temporary copy alongside the archive). A class without a
// price costs nothing here.
double monthly_storage_cost(const meta::ClassUsage& usage);
// The sum over classes.
double monthly_storage_cost(std::span<const meta::ClassUsage> classes);

}  // namespace cv::console
