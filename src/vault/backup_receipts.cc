#include "vault/backup_receipts.h"

#include <boost/json.hpp>

namespace cv::vault {
namespace {

namespace json = boost::json;

json::array names_to_json(const std::vector<std::string>& names) {
  json::array array;
  for (const std::string& name : names) array.emplace_back(name);
  return array;
}

bool names_from_json(const json::object& object, std::string_view field,
                     std::vector<std::string>& out) {
  const json::value* value = object.if_contains(field);
  if (value == nullptr) return true;
  if (!value->is_array()) return false;
  for (const json::value& name : value->get_array()) {
    if (!name.is_string()) return false;
    out.emplace_back(name.get_string());
  }
  return true;
}

}  // namespace

std::string to_json(const BackupReceipts& receipts) {
  json::object rules;
  for (const auto& [rule_id, receipt] : receipts) {
    json::object entry{{"receipt", names_to_json(receipt.receipt_targets)},
                       {"failure", names_to_json(receipt.failure_targets)}};
    if (receipt.digest_seconds > 0) entry["digest_seconds"] = receipt.digest_seconds;
    if (receipt.lock_days > 0) entry["lock_days"] = receipt.lock_days;
    rules[rule_id] = std::move(entry);
  }
  return json::serialize(json::object{{"rules", std::move(rules)}});
}

Result<BackupReceipts> backup_receipts_from_json(std::string_view text) {
  auto unreadable = [] {
    return fail(ErrorCode::kInternalError, "unreadable backup receipts document");
  };
  json::error_code error;
  const json::value document = json::parse(text, error);
  if (error || !document.is_object()) return unreadable();
  const json::value* rules = document.get_object().if_contains("rules");
  if (rules == nullptr || !rules->is_object()) return unreadable();
  BackupReceipts receipts;
  for (const auto& [rule_id, entry] : rules->get_object()) {
    if (!entry.is_object()) return unreadable();
    BackupReceipt receipt;
    if (!names_from_json(entry.get_object(), "receipt", receipt.receipt_targets) ||
        !names_from_json(entry.get_object(), "failure", receipt.failure_targets)) {
      return unreadable();
    }
    if (const json::value* digest = entry.get_object().if_contains("digest_seconds")) {
      if (!digest->is_int64() || digest->get_int64() < 0) return unreadable();
      receipt.digest_seconds = digest->get_int64();
    }
    if (const json::value* lock_days = entry.get_object().if_contains("lock_days")) {
      if (!lock_days->is_int64() || lock_days->get_int64() < 0) return unreadable();
      receipt.lock_days = static_cast<int32_t>(lock_days->get_int64());
    }
    receipts.emplace(std::string(rule_id), std::move(receipt));
  }
  return receipts;
}

}  // namespace cv::vault
