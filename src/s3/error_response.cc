#include "s3/error_response.h"

#include "core/error_document.h"

namespace cv::s3 {

Response error_response(const Error& error, const Request& request) {
  Response response;
  response.status = error_http_status(error.code);
  response.error_code = error_code_name(error.code);
  if (request.method == "HEAD" || response.status == 304) return response;
  response.headers.add("content-type", "application/xml");
  response.body = error_document(error, request.request_id);
  if (error.code == ErrorCode::kMethodNotAllowed)
    response.headers.add("allow", "GET, PUT, HEAD, DELETE, POST");
  return response;
}

}  // namespace cv::s3
