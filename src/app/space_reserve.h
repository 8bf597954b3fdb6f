// Room kept back for the metadata store on the data folder's file system, so that deletes
// (which free space) still commit when the disk is full: a file of `bytes` allocated while
// there is room, removed by release() when a metadata commit finds none (the group-commit
// writer then applies the refused changes once more, meta/sqlite/group_commit_writer.h),
// and allocated again by replenish() once the file system has room for it twice over. In
// between, the metadata store refuses what takes space, so writes stay refused until then.
//
// The file is <data>/space.reserve ([health] reserve_bytes; 0: none). A release is remembered
// in <data>/space.reserve.released until replenish() succeeds, so a process that starts again
// (after a crash) on a disk still short of room keeps refusing what takes space: the room
// the release freed stays for deletes. Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <mutex>

#include "meta/sqlite/sqlite_meta_store.h"

namespace cv::app {

class SpaceReserve {
 public:
  // Released from the start when an earlier process released the reserve and nothing has
  // replenished it since.
  SpaceReserve(std::filesystem::path file, uint64_t bytes);

  // Allocates the reserve when it is missing and the file system has at least twice its size
  // available. Returns whether the reserve is in place now.
  bool replenish();
  // Removes the reserve. True when there was one (so space was freed).
  bool release();
  // From a release() that freed space until replenish() allocates the reserve again: the
  // metadata store then refuses changes that take space, so the room left serves deletes.
  bool released() const { return released_.load(std::memory_order_acquire); }

  // release() and released() for the metadata store; this object must outlive it.
  meta::FullDiskPolicy full_disk_policy() {
    return {[this] { return release(); }, [this] { return released(); }};
  }

 private:
  const std::filesystem::path file_;
  const std::filesystem::path released_marker_;  // exists from a release() to a replenish()
  const uint64_t bytes_;
  std::mutex mutex_;
  std::atomic<bool> released_{false};
};

}  // namespace cv::app
