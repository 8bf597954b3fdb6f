#include "iam_api/iam_api.h"

#include "audit/request_capture.h"
#include "core/encoding.h"
#include "core/hash.h"
#include "iam/audit_identity.h"
#include "iam_api/iam_actions.h"

namespace cv::iam_api {
namespace {

// Reads the whole body, refusing more than `limit` bytes.
Result<std::string> read_body(Request& request, size_t limit) {
  std::string body;
  if (request.body == nullptr) return body;
  char buffer[16 * 1024];
  while (true) {
    const size_t got = CV_TRY(request.body->read(std::span<char>(buffer, sizeof buffer)));
    if (got == 0) break;
    body.append(buffer, got);
    if (body.size() > limit) {
      return fail(ErrorCode::kValidationError, "The request body is too large.");
    }
  }
  return body;
}

// requestParameters as CloudTrail writes them for IAM and STS: each parameter but Action and
// Version, its name in lower camel case ("UserName" -> "userName"); secrets never appear.
std::vector<std::pair<std::string, std::string>> audit_parameters(const FormParams& params) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [name, value] : params) {
    if (name == "Action" || name == "Version" || name.empty()) continue;
    if (name == "SecretAccessKey" || name == "Password" || name == "TokenCode") continue;
    std::string camel = name;
    camel[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(camel[0])));
    out.emplace_back(std::move(camel), value);
  }
  return out;
}

Result<FormParams> form_params(const Request& request, std::string_view body) {
  FormParams params;
  const std::string* content_type = request.headers.find("content-type");
  if (!body.empty() ||
      (content_type && content_type->starts_with("application/x-www-form-urlencoded"))) {
    auto parsed = parse_query(body, /*plus_as_space=*/true);
    if (!parsed) return fail(ErrorCode::kInvalidInput, "The form body is malformed.");
    for (auto& [name, value] : *parsed) params.emplace(std::move(name), std::move(value));
  }
  for (const auto& [name, value] : request.params) {
    if (name.starts_with("X-Amz-")) continue;
    params.emplace(name, value);
  }
  return params;
}

}  // namespace

struct IamApi::Impl {
  Impl(iam::IamDirectory& directory, iam::UserDirectory& users, const Clock& clock,
       IamApiOptions options)
      : options(std::move(options)),
        clock(clock),
        verifier(users, clock,
                 auth::VerifierOptions{.region = "us-east-1",
                                       .max_clock_skew = this->options.max_clock_skew,
                                       .services = {"iam", "sts"},
                                       .any_region = true}),
        context{directory, users,
                this->options.authorizer ? this->options.authorizer : default_iam_authorizer} {
    table.add_service("iam", std::string(kIamNamespace));
    table.add_service("sts", std::string(kStsNamespace));
    add_iam_user_actions(table, context);
    add_iam_policy_actions(table, context);
    if (this->options.sessions != nullptr) add_sts_actions(table, *this->options.sessions);
  }

  // `record` (may be null) gets what only the API knows: the caller, the action, its
  // parameters and the error.
  Response handle(Request& request, audit::AuditEvent* record);
  // handle()'s work; `operation` becomes the action's registered name once it is known.
  Response serve(Request& request, audit::AuditEvent* record, std::string_view& operation);

  IamApiOptions options;
  const Clock& clock;
  auth::SigV4Verifier verifier;
  IamActionContext context;
  ActionTable table;
};

Response IamApi::Impl::handle(Request& request, audit::AuditEvent* record) {
  std::string_view operation = "UnknownOperation";
  Response response = serve(request, record, operation);
  response.operation = operation;
  return response;
}

Response IamApi::Impl::serve(Request& request, audit::AuditEvent* record,
                             std::string_view& operation) {
  const std::string service = query_service_of(request).value_or("iam");
  const std::string_view xml_namespace = table.xml_namespace(service);
  std::string user;  // the verified caller's name, for the access log
  auto refuse = [&](const Error& error) {
    if (record) {
      record->error_code = error_code_name(error.code);
      record->error_message = error.message;
    }
    Response refused = error_response(error, xml_namespace, request.request_id);
    refused.user = user;
    return refused;
  };
  if (request.method != "POST" && request.method != "GET") {
    return refuse(Error{ErrorCode::kInvalidAction, "The query API accepts GET and POST only.", ""});
  }
  auto body = read_body(request, options.max_body);
  if (!body) return refuse(body.error());
  auto caller = verifier.verify(request, auth::BodyDigest{hex_encode(sha256(*body))});
  if (!caller) {
    Response refused = refuse(caller.error());
    refused.authentication_failed = true;
    return refused;
  }
  user = caller->role_name.empty()
             ? caller->user_name
             : "assumed-role/" + caller->role_name + "/" + caller->session_name;
  if (record && !caller->anonymous) {
    record->identity = iam::audit_identity(options.audit.account_id, *caller);
    record->signature_version = "SigV4";
    record->authentication_method =
        request.headers.contains("authorization") ? "AuthHeader" : "QueryString";
  }
  if (caller->anonymous) {
    return refuse(Error{ErrorCode::kAccessDenied, "Request is missing Authentication Token", ""});
  }
  auto params = form_params(request, *body);
  if (!params) return refuse(params.error());
  const auto action = params->find("Action");
  if (action == params->end() || action->second.empty()) {
    return refuse(Error{ErrorCode::kInvalidAction, "Missing Action", ""});
  }
  if (record) {
    record->event_name = action->second;
    record->parameters = audit_parameters(*params);
  }
  const ActionHandler* handler = table.find(service, action->second);
  operation = table.known_action(service, action->second);
  if (handler == nullptr) {
    return refuse(Error{ErrorCode::kInvalidAction,
                        "Could not find operation " + action->second + " for version " +
                            (service == "sts" ? "2011-06-15" : "2010-05-08"),
                        ""});
  }

  pugi::xml_document document;
  auto root = document.append_child((action->second + "Response").c_str());
  root.append_attribute("xmlns") = std::string(xml_namespace).c_str();
  auto result = root.append_child((action->second + "Result").c_str());
  ActionCall call{*caller, *params, result, &request};
  if (auto done = (*handler)(call); !done) return refuse(done.error());
  if (!result.first_child()) root.remove_child(result);
  root.append_child("ResponseMetadata").append_child("RequestId").text() =
      request.request_id.c_str();
  Response response = xml_response(document);
  response.user = std::move(user);
  return response;
}

IamApi::IamApi(iam::IamDirectory& directory, iam::UserDirectory& users, const Clock& clock,
               IamApiOptions options)
    : impl_(std::make_unique<Impl>(directory, users, clock, std::move(options))) {}

IamApi::~IamApi() = default;

ActionTable& IamApi::actions() { return impl_->table; }

Response IamApi::handle(Request& request) {
  const audit::CaptureOptions& capture = impl_->options.audit;
  if (capture.sink == nullptr) {
    Response response = impl_->handle(request, nullptr);
    response.headers.add("x-amzn-requestid", request.request_id);
    return response;
  }
  const bool sts = query_service_of(request).value_or("iam") == "sts";
  audit::AuditEvent record = audit::begin_record(
      request, sts ? "sts.amazonaws.com" : "iam.amazonaws.com", "us-east-1", capture.account_id,
      to_unix_nanos(impl_->clock.now()));
  record.host.clear();  // requestParameters.Host is S3's alone
  Response response = impl_->handle(request, &record);
  response.headers.add("x-amzn-requestid", request.request_id);
  if (record.event_name.empty()) record.event_name = "UnknownOperation";
  audit::record_on_completion(response, std::move(record), *capture.sink);
  return response;
}

}  // namespace cv::iam_api
