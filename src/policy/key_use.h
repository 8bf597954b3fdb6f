// Whether deciding with a policy reads the request's condition keys (RequestContext::keys):
// only a statement with a Condition, or a Resource with a policy variable (${aws:username}),
// does. A caller may skip building the keys when no policy of a decision reads them.
// Pure; thread-safe.
#pragma once

#include "policy/policy.h"

namespace cv::policy {

bool reads_request_keys(const Policy& policy);

}  // namespace cv::policy
