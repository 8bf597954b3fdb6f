#include "remote/sts_client.h"

#include <pugixml.hpp>

#include "auth/sigv4.h"
#include "core/encoding.h"
#include "core/hash.h"
#include "remote/endpoint.h"
#include "remote/http_transport.h"
#include "remote/s3_documents.h"

namespace cv::remote {

namespace {
constexpr std::string_view kFormType = "application/x-www-form-urlencoded; charset=utf-8";
}  // namespace

std::string assume_role_form(const AssumeRoleRequest& request) {
  return "Action=AssumeRole&DurationSeconds=" + std::to_string(request.duration_seconds) +
         "&RoleArn=" + uri_encode(request.role_arn) +
         "&RoleSessionName=" + uri_encode(request.session_name) + "&Version=2011-06-15";
}

std::vector<std::pair<std::string, std::string>> sign_assume_role(const AssumeRoleRequest& request,
                                                                  std::string_view host,
                                                                  std::string_view body,
                                                                  TimePoint now) {
  auth::SigningRequest signing{.method = "POST",
                               .host = std::string(host),
                               .path = "/",
                               .headers = {{"content-type", std::string(kFormType)}},
                               .payload_hash = hex_encode(sha256(body))};
  const auth::SigningCredentials credentials{.access_key_id = request.access_key,
                                             .secret_key = request.secret_key,
                                             .region = request.region,
                                             .service = "sts"};
  auto headers = auth::sign_request(signing, credentials, now);
  headers.emplace_back("content-type", std::string(kFormType));
  return headers;
}

std::optional<TemporaryCredentials> parse_assume_role_response(std::string_view body) {
  pugi::xml_document doc;
  if (!doc.load_buffer(body.data(), body.size(), pugi::parse_default & ~pugi::parse_doctype)) {
    return std::nullopt;
  }
  pugi::xml_node root = doc.document_element();
  if (std::string_view(root.name()) != "AssumeRoleResponse") return std::nullopt;
  pugi::xml_node credentials = root.child("AssumeRoleResult").child("Credentials");
  TemporaryCredentials out{credentials.child("AccessKeyId").text().get(),
                           credentials.child("SecretAccessKey").text().get(),
                           credentials.child("SessionToken").text().get(),
                           credentials.child("Expiration").text().get()};
  if (out.access_key_id.empty() || out.secret_key.empty() || out.session_token.empty()) {
    return std::nullopt;
  }
  return out;
}

RemoteResult<TemporaryCredentials> assume_role(const AssumeRoleRequest& request,
                                               const Clock& clock) {
  auto address = parse_endpoint(request.sts_url);
  if (!address) return std::unexpected(std::move(address).error());
  TransportOptions options;
  options.verify_tls = request.verify_tls;
  options.ca_file = request.ca_file;
  HttpTransport http(std::move(options));
  const std::string body = assume_role_form(request);
  HttpCall call{.method = "POST",
                .url = address->scheme + "://" + address->host_header + "/",
                .headers = sign_assume_role(request, address->host_header, body, clock.now()),
                .body_text = body};
  auto reply = http.perform(call);
  if (!reply) return std::unexpected(std::move(reply).error());
  if (reply->status >= 300) {
    std::optional<ErrorDocument> error = parse_error_document(reply->body);
    // STS wraps its <Error> in <ErrorResponse>.
    pugi::xml_document doc;
    std::string code, message;
    if (doc.load_buffer(reply->body.data(), reply->body.size())) {
      pugi::xml_node node = doc.child("ErrorResponse").child("Error");
      code = node.child("Code").text().get();
      message = node.child("Message").text().get();
    }
    if (code.empty() && error) {
      code = error->code;
      message = error->message;
    }
    RemoteError failure;
    failure.error = Error{ErrorCode::kAccessDenied,
                          "STS AssumeRole failed (HTTP " + std::to_string(reply->status) + ") " +
                              code + ": " + message,
                          request.role_arn};
    failure.kind = FailureKind::kService;
    failure.http_status = reply->status;
    failure.s3_code = code;
    failure.retryable = reply->status >= 500;
    return std::unexpected(std::move(failure));
  }
  auto credentials = parse_assume_role_response(reply->body);
  if (!credentials) {
    return std::unexpected(protocol_error("STS answered AssumeRole without credentials", false,
                                          ErrorCode::kMalformedXML));
  }
  return *credentials;
}

}  // namespace cv::remote
