// Reclaims blob files that no metadata references any more.
#pragma once

#include <set>
#include <string>

#include "core/error.h"
#include "vault/vault.h"

namespace cv::workers {

// Not thread-safe: run it from one thread. A blob is deleted only on the second run that
// finds it unreferenced, so a reader that looked an object up just before it was replaced
// has a whole interval between runs to open the object's blobs.
class GarbageCollector {
 public:
  explicit GarbageCollector(vault::Vault& vault, size_t batch = 1000)
      : vault_(vault), batch_(batch) {}
  // Returns the number of blobs deleted.
  Result<size_t> run_once();

 private:
  vault::Vault& vault_;
  size_t batch_;
  std::set<std::string> seen_;
};

}  // namespace cv::workers
