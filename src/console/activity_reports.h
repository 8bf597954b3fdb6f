// The activity pipeline as the console's activity pages show it (docs/API.md): implemented in
// app/ over the metadata store, the scoring rules and the server's signing key; the console
// only routes, checks the session and writes the JSON. Answers are the JSON documents of
// docs/openapi.yaml (named per method). Thread-safe: called from many workers at once.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "core/error.h"

namespace cv::console {

// Who asks: root sees every profile; another user the profiles naming their user name, user
// id or the access key they signed in with.
struct ActivityViewer {
  std::string user_id;
  std::string user_name;
  std::string access_key_id;
  bool root = false;
};

class ActivityReports {
 public:
  virtual ~ActivityReports() = default;
  // ActivityHealth.
  virtual Result<boost::json::value> health() = 0;
  // {"profiles": [Profile]}.
  virtual Result<boost::json::value> profiles(const ActivityViewer& viewer) = 0;
  // ActivitySummary of [from, to] (YYYY-MM-DD, at most 366 days). A profile the viewer may not
  // see is kNoSuchKey, like one that does not exist; a bad range kInvalidArgument.
  virtual Result<boost::json::value> days(const ActivityViewer& viewer, std::string_view profile,
                                          std::string_view from, std::string_view to) = 0;
  // {"services": [ServiceScore]} of [from, to].
  virtual Result<boost::json::value> services(const ActivityViewer& viewer,
                                              std::string_view profile, std::string_view from,
                                              std::string_view to) = 0;
  // RecentActivity: `limit` events (1-1000) after the continuation `next` (empty: newest).
  virtual Result<boost::json::value> recent(const ActivityViewer& viewer, std::string_view profile,
                                            size_t limit, std::string_view next) = 0;
  // Turns the public page on with a fresh token (returned) or off. Root only (kAccessDenied).
  virtual Result<std::string> publish(const ActivityViewer& viewer, std::string_view profile) = 0;
  virtual Status unpublish(const ActivityViewer& viewer, std::string_view profile) = 0;
  // PublicActivity of the last 365 days of the profile published with `token`; kNoSuchKey when
  // no page is on with it.
  virtual Result<boost::json::value> public_page(std::string_view token) = 0;
};

}  // namespace cv::console
