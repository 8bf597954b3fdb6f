// S3's <Error> document: the one writer for every front-end that answers in S3's shape —
// http/ for the requests it refuses before any handler sees them, s3/ for everything else.
// It sits in core beside the code table (error.h) rather than in http/: http/ and s3/ are
// peers (neither links the other), and the table must stay in core because layers below
// both (remote/ reads a remote server's S3 codes, workers/ logs them) need the names.
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace cv {

// <?xml version="1.0" encoding="UTF-8"?><Error><Code/><Message/>...<RequestId/></Error> for
// `error`: its code's S3 name; its message, or the code's default when it has none; when it
// names a resource, that in an element of its own for the codes S3 gives one (<BucketName>
// for NoSuchBucket and the bucket-configuration NotFound codes, <Key> for NoSuchKey,
// <UploadId> for NoSuchUpload) and in <Resource>; then error.details in order. Text is
// escaped as S3 escapes it: &, < and > as entities, C0 control characters other than TAB and
// LF as hexadecimal references (&#xd;); other bytes pass through unchanged.
std::string error_document(const Error& error, std::string_view request_id);

// The same for a code outside cv::ErrorCode (http's RequestHeaderSectionTooLarge): <Code>,
// <Message>, <Resource> when `resource` is not empty, <RequestId>.
std::string error_document(std::string_view code, std::string_view message,
                           std::string_view resource, std::string_view request_id);

}  // namespace cv
