#include "policy/key_use.h"

namespace cv::policy {

bool reads_request_keys(const Policy& policy) {
  for (const Statement& statement : policy.statements()) {
    if (!statement.conditions.empty()) return true;
    for (const Template& resource : statement.resources) {
      if (resource.has_variables()) return true;
    }
  }
  return false;
}

}  // namespace cv::policy
