// Console sessions: who signed in, with which access key, and the CSRF token their page
// must echo. Kept in memory: a restart signs everyone out.
//
// Thread-safe. A session ends when signed out, after `idle` without use, or `lifetime` after
// sign-in, whichever comes first; at most `max_sessions` live at once (the oldest go first).
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace cv::console {

struct Session {
  std::string token;       // the cookie value: 64 hex characters, unguessable
  std::string csrf_token;  // what state-changing requests send in X-CSRF-Token
  std::string user_id;
  std::string access_key_id;
  TimePoint created;
  TimePoint last_used;
};

struct SessionLimits {
  std::chrono::seconds idle{std::chrono::hours(2)};
  std::chrono::seconds lifetime{std::chrono::hours(12)};
  size_t max_sessions = 10000;
};

class SessionStore {
 public:
  SessionStore(const Clock& clock, SessionLimits limits = {});

  Session open(std::string user_id, std::string access_key_id);
  // The live session with this token (its last use becomes now), or nullopt.
  std::optional<Session> find(std::string_view token);
  void close(std::string_view token);
  // Ends every session signed in with this access key (the key was deleted).
  void close_key(std::string_view access_key_id);

  const SessionLimits& limits() const { return limits_; }

 private:
  bool expired(const Session& session, TimePoint now) const;

  const Clock& clock_;
  SessionLimits limits_;
  std::mutex mutex_;
  std::map<std::string, Session, std::less<>> sessions_;  // by token
};

}  // namespace cv::console
