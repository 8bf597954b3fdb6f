#include "s3/error_response.h"

#include "s3/xml.h"

namespace cv::s3 {

Response error_response(const Error& error, const Request& request) {
  Response response;
  response.status = error_http_status(error.code);
  response.error_code = error_code_name(error.code);
  if (request.method == "HEAD" || response.status == 304) return response;
  XmlWriter xml("Error", false);
  add_text(xml.root(), "Code", error_code_name(error.code));
  add_text(xml.root(), "Message",
           error.message.empty() ? error_default_message(error.code) : error.message);
  if (!error.resource.empty()) {
    // S3 names the missing thing in an element of its own.
    if (error.code == ErrorCode::kNoSuchBucket ||
        error.code == ErrorCode::kNoSuchLifecycleConfiguration ||
        error.code == ErrorCode::kNoSuchCORSConfiguration ||
        error.code == ErrorCode::kReplicationConfigurationNotFoundError ||
        error.code == ErrorCode::kServerSideEncryptionConfigurationNotFoundError) {
      add_text(xml.root(), "BucketName", error.resource);
    }
    if (error.code == ErrorCode::kNoSuchKey) add_text(xml.root(), "Key", error.resource);
    if (error.code == ErrorCode::kNoSuchUpload) add_text(xml.root(), "UploadId", error.resource);
    add_text(xml.root(), "Resource", error.resource);
  }
  for (const auto& [name, value] : error.details) add_text(xml.root(), name, value);
  add_text(xml.root(), "RequestId", request.request_id);
  response.headers.add("content-type", "application/xml");
  response.body = xml.str();
  if (error.code == ErrorCode::kMethodNotAllowed)
    response.headers.add("allow", "GET, PUT, HEAD, DELETE, POST");
  return response;
}

}  // namespace cv::s3
