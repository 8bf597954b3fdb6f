// Moves WAL checkpoints off the commit path.
//
// SQLite's automatic checkpoint runs inside the committing call: with synchronous=FULL it
// copies ~1000 pages into the database file and fsyncs it while every client of that batch
// waits. The checkpointer replaces it on the writer connection with a WAL hook: past
// `background_frames` WAL frames a thread with its own connection runs a PASSIVE checkpoint
// concurrently with further commits; past `inline_frames` (the background one cannot keep up
// with continuous commits) the writer checkpoints inline, as SQLite would, so the WAL stays
// bounded. Thread-safe; must outlive every commit on the watched connection.
#pragma once

#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>

#include "core/error.h"
#include "meta/sqlite/connection.h"

namespace cv::meta::sqlite {

class WalCheckpointer {
 public:
  static constexpr int kBackgroundFrames = 2000;  // ~8 MiB of 4 KiB pages
  static constexpr int kInlineFrames = 32000;     // ~128 MiB

  // Opens its own connection to `path` and installs the hook on `writer`.
  static Result<std::unique_ptr<WalCheckpointer>> start(const std::filesystem::path& path,
                                                        Connection& writer,
                                                        int background_frames = kBackgroundFrames,
                                                        int inline_frames = kInlineFrames);
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;
  // Stops the thread. The writer connection must be closed (or unhooked) first.
  ~WalCheckpointer();

  // Background checkpoints completed so far (for tests).
  size_t checkpoints() const;

 private:
  WalCheckpointer(std::unique_ptr<Connection> connection, Connection& writer, int background_frames,
                  int inline_frames);
  static int on_commit(void* self, sqlite3* db, const char* schema, int frames);
  void run();

  std::unique_ptr<Connection> connection_;
  sqlite3* writer_;
  const int background_frames_;
  const int inline_frames_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool requested_ = false;  // guarded by mutex_
  bool stopping_ = false;   // guarded by mutex_
  size_t checkpoints_ = 0;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace cv::meta::sqlite
