// Conditional request headers (If-Match, If-None-Match, If-Modified-Since,
// If-Unmodified-Since) evaluated as S3 does, also for CopyObject's x-amz-copy-source-if-*.
#pragma once

#include <string_view>

#include "core/error.h"
#include "core/http_message.h"
#include "meta/types.h"

namespace cv::s3 {

// `prefix` is "" for GET/HEAD and "x-amz-copy-source-" for copies. Fails with
// PreconditionFailed (412) or NotModified (304; copies answer 412 instead).
Status check_conditions(const Headers& headers, const meta::ObjectVersion& object,
                        std::string_view prefix = "");

// The condition of a conditional write (PutObject, CompleteMultipartUpload, CopyObject's
// destination): If-None-Match: * and If-Match: "etag". NotImplemented (501) for an
// If-None-Match other than "*", as S3 answers. The store checks it when it commits.
Result<meta::WriteCondition> write_condition(const Headers& headers);

}  // namespace cv::s3
