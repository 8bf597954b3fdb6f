// The AWS query protocol shared by IAM and STS: `Action=...&Version=...` parameters (a form
// body or the query string), one table of actions per service, and the XML envelopes of
// results and errors. Knows no IAM semantics.
// https://docs.aws.amazon.com/IAM/latest/APIReference/iam-api.pdf (Making query requests)
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <string_view>

#include "auth/sigv4.h"
#include "core/error.h"
#include "core/http_message.h"

namespace cv::iam_api {

// The service a request is signed for, from its credential scope (Authorization header or
// X-Amz-Credential), when it is "iam" or "sts"; nullopt otherwise. A cheap string check, no
// verification: the front door routes with it.
std::optional<std::string> query_service_of(const Request& request);

// The request's parameters (decoded, '+' as space); the form body's when there is one, else
// the query string's. A name given twice keeps its first value.
using FormParams = std::map<std::string, std::string, std::less<>>;

// What an action handler gets: the verified caller, the parameters, and the element
// (<ActionResult>) to fill. A handler that leaves it empty sends no result element, as IAM's
// Delete* and Put* actions do.
struct ActionCall {
  const auth::Identity& caller;
  const FormParams& params;
  pugi::xml_node result;
  // The HTTP request (its remote address and transport, for condition keys); may be null.
  const Request* request = nullptr;

  // The parameter's value, or nullptr.
  const std::string* find(std::string_view name) const;
  // The parameter's value; ValidationError naming it when absent.
  Result<std::string> required(std::string_view name) const;
  std::string get_or(std::string_view name, std::string_view fallback) const;
};
using ActionHandler = std::function<Status(ActionCall& call)>;

// The actions of each service. Filled once at start-up, then read-only (thread-safe reads).
class ActionTable {
 public:
  // `xml_namespace`: the service's document namespace
  // ("https://iam.amazonaws.com/doc/2010-05-08/").
  void add_service(std::string service, std::string xml_namespace);
  void add(std::string_view service, std::string action, ActionHandler handler);
  const ActionHandler* find(std::string_view service, std::string_view action) const;
  // The action's name as registered (it lives as long as the table), or "UnknownOperation":
  // a bounded name for metrics and logs, never the client's text.
  std::string_view known_action(std::string_view service, std::string_view action) const;
  std::string_view xml_namespace(std::string_view service) const;

 private:
  struct Service {
    std::string xml_namespace;
    std::map<std::string, ActionHandler, std::less<>> actions;
  };
  std::map<std::string, Service, std::less<>> services_;
};

// <ErrorResponse xmlns=NS><Error><Type>Sender|Receiver</Type><Code/><Message/></Error>
// <RequestId/></ErrorResponse> with the code's HTTP status.
Response error_response(const Error& error, std::string_view xml_namespace,
                        std::string_view request_id);
// The whole response document as text/xml.
Response xml_response(const pugi::xml_document& document);

// "2024-01-31T12:00:00Z": IAM's timestamps.
std::string iam_time(int64_t unix_nanos);

}  // namespace cv::iam_api
