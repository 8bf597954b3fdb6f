// A fixed pool of query-only connections to one SQLite database.
//
// checkout() blocks until a connection is free and returns a lease that gives it back when
// destroyed. Thread-safe; each leased connection is used by its holder alone.
#pragma once

#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

#include "core/error.h"
#include "meta/sqlite/connection.h"

namespace cv::meta::sqlite {

class ReaderPool {
 public:
  class Lease {
   public:
    Lease(ReaderPool& pool, std::unique_ptr<Connection> connection)
        : pool_(&pool), connection_(std::move(connection)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (connection_) pool_->give_back(std::move(connection_));
    }
    Connection& operator*() const { return *connection_; }
    Connection* operator->() const { return connection_.get(); }

   private:
    ReaderPool* pool_;
    std::unique_ptr<Connection> connection_;
  };

  // Opens `size` connections to an existing database.
  static Result<std::unique_ptr<ReaderPool>> open(const std::filesystem::path& path, size_t size);

  Lease checkout();

 private:
  ReaderPool() = default;
  void give_back(std::unique_ptr<Connection> connection);

  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;  // guarded by mutex_
};

}  // namespace cv::meta::sqlite
