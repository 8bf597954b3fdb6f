// GET buckets/<name>/usage: what the bucket holds (the incrementally kept totals of
// Vault::bucket_usage), its breakdown by storage class (Vault::usage_by_class, one pass over
// the bucket's rows: a report asked for by a person, not a request-path query), and what the
// same storage would cost a month at AWS's list prices (console/storage_prices.h).
#include <boost/json.hpp>

#include "console/console_routes.h"
#include "console/json_reply.h"
#include "console/storage_prices.h"

namespace cv::console {
namespace {

boost::json::object estimate_json(double monthly) {
  boost::json::object prices;
  for (const StoragePrice& price : kAwsStoragePrices) {
    prices[price.storage_class] = price.usd_per_gb_month;
  }
  return {{"currency", "USD"},         {"monthly", monthly},     {"unit", "GB-month (2^30 bytes)"},
          {"region", kAwsPriceRegion}, {"as_of", kAwsPriceDate}, {"prices", std::move(prices)},
          {"source", kAwsPriceSource}};
}

}  // namespace

Response bucket_usage_route(RouteContext& context, std::string_view bucket) {
  if (context.request.method != "GET") {
    return json_error(405, "MethodNotAllowed", "That method is not allowed here.");
  }
  // What a listing of the bucket would add up to: who may list it may see its totals.
  if (auto allowed = permit_bucket(context, "s3:ListBucket", bucket); !allowed) {
    return json_error(allowed.error());
  }
  auto usage = context.vault.bucket_usage(bucket);
  if (!usage) return json_error(usage.error());
  auto classes = context.vault.usage_by_class(bucket);
  if (!classes) return json_error(classes.error());
  boost::json::array class_rows;
  uint64_t stored_versions = 0;  // versions that are not delete markers
  for (meta::ClassUsage& entry : *classes) {
    if (entry.storage_class.empty()) entry.storage_class = "STANDARD";
    stored_versions += entry.versions;
    class_rows.push_back({{"storage_class", entry.storage_class},
                          {"objects", entry.objects},
                          {"versions", entry.versions},
                          {"logical_bytes", entry.logical_bytes},
                          {"stored_bytes", entry.stored_bytes},
                          {"restored_bytes", entry.restored_bytes},
                          {"monthly", monthly_storage_cost(entry)}});
  }
  const uint64_t delete_markers =
      usage->versions > stored_versions ? usage->versions - stored_versions : 0;
  const uint64_t noncurrent_bytes =
      usage->version_bytes > usage->bytes ? usage->version_bytes - usage->bytes : 0;
  return json_reply(
      boost::json::object{{"bucket", bucket},
                          {"objects", usage->objects},
                          {"bytes", usage->bytes},
                          {"versions", usage->versions},
                          {"version_bytes", usage->version_bytes},
                          {"noncurrent_bytes", noncurrent_bytes},
                          {"delete_markers", delete_markers},
                          {"classes", std::move(class_rows)},
                          {"estimate", estimate_json(monthly_storage_cost(*classes))}});
}

}  // namespace cv::console
