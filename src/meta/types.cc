#include "meta/types.h"

#include <fmt/format.h>

namespace cv::meta {

std::string event_sequencer(const Event& event) {
  return fmt::format("{:016X}", static_cast<uint64_t>(event.seq));
}

}  // namespace cv::meta
