// Which object headers the remote client passes through, and reading an object's headers
// back from a HEAD answer. Internal to the remote layer. Pure functions, thread-safe.
#pragma once

#include "core/http_message.h"
#include "remote/remote_error.h"
#include "remote/remote_s3_client.h"

namespace cv::remote {

// Succeeds when every header is one remote_s3_client.h's ObjectHeaders lists, with a token
// name and a value without CR, LF or NUL; otherwise a kArgument error naming the header.
RemoteStatus check_object_headers(const ObjectHeaders& headers);

// The ObjectInfo a HeadObject answer's headers describe; kProtocol when Content-Length is
// missing or not a number.
RemoteResult<ObjectInfo> object_info_from_headers(const Headers& headers);

// True when `etag` is a plain MD5 (32 hex digits), which the endpoint computed over the body.
bool is_md5_etag(std::string_view etag);

}  // namespace cv::remote
