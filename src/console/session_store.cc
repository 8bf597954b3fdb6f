#include "console/session_store.h"

#include <algorithm>

#include "core/ids.h"

namespace cv::console {

SessionStore::SessionStore(const Clock& clock, SessionLimits limits)
    : clock_(clock), limits_(limits) {}

bool SessionStore::expired(const Session& session, TimePoint now) const {
  return now - session.last_used >= limits_.idle || now - session.created >= limits_.lifetime;
}

Session SessionStore::open(std::string user_id, std::string access_key_id) {
  const TimePoint now = clock_.now();
  Session session{
      random_hex(32), random_hex(32), std::move(user_id), std::move(access_key_id), now, now};
  std::lock_guard lock(mutex_);
  std::erase_if(sessions_, [&](const auto& entry) { return expired(entry.second, now); });
  while (sessions_.size() >= limits_.max_sessions) {
    auto oldest = std::min_element(
        sessions_.begin(), sessions_.end(),
        [](const auto& a, const auto& b) { return a.second.created < b.second.created; });
    sessions_.erase(oldest);
  }
  sessions_.emplace(session.token, session);
  return session;
}

std::optional<Session> SessionStore::find(std::string_view token) {
  const TimePoint now = clock_.now();
  std::lock_guard lock(mutex_);
  auto found = sessions_.find(token);
  if (found == sessions_.end()) return std::nullopt;
  if (expired(found->second, now)) {
    sessions_.erase(found);
    return std::nullopt;
  }
  found->second.last_used = now;
  return found->second;
}

void SessionStore::close(std::string_view token) {
  std::lock_guard lock(mutex_);
  if (auto found = sessions_.find(token); found != sessions_.end()) sessions_.erase(found);
}

void SessionStore::close_key(std::string_view access_key_id) {
  std::lock_guard lock(mutex_);
  std::erase_if(sessions_,
                [&](const auto& entry) { return entry.second.access_key_id == access_key_id; });
}

}  // namespace cv::console
