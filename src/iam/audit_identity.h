// How a verified caller appears in the audit trail's userIdentity (CloudTrail's shapes):
// Root, IAMUser (with sessionContext for a GetSessionToken session), or AssumedRole with its
// role as sessionIssuer. Shared by every front-end that records requests (S3, IAM, STS).
#pragma once

#include <string_view>

#include "audit/cloudtrail_record.h"
#include "auth/sigv4.h"

namespace cv::iam {

audit::Identity audit_identity(std::string_view account_id, const auth::Identity& verified);

}  // namespace cv::iam
