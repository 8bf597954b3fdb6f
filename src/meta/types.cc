#include "meta/types.h"

#include <fmt/format.h>

namespace cv::meta {

std::string event_sequencer(const Event& event) {
  return fmt::format("{:016X}", static_cast<uint64_t>(event.seq));
}

bool lock_blocks_removal(const ObjectLock& lock, int64_t now_ns, bool bypass_governance) {
  if (lock.legal_hold) return true;
  if (lock.mode.empty() || lock.retain_until_ns <= now_ns) return false;
  return !(bypass_governance && lock.mode == kGovernanceMode);
}

}  // namespace cv::meta
