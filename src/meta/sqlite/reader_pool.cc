#include "meta/sqlite/reader_pool.h"

#include <algorithm>

namespace cv::meta::sqlite {

Result<std::unique_ptr<ReaderPool>> ReaderPool::open(const std::filesystem::path& path,
                                                     size_t size) {
  std::unique_ptr<ReaderPool> pool(new ReaderPool());
  size = std::max<size_t>(size, 1);
  pool->idle_.reserve(size);
  for (size_t i = 0; i < size; ++i) {
    pool->idle_.push_back(CV_TRY(SqliteConnection::open(path, /*create=*/false, /*read_only=*/true)));
  }
  return pool;
}

ReaderPool::Lease ReaderPool::checkout() {
  std::unique_lock lock(mutex_);
  available_.wait(lock, [&] { return !idle_.empty(); });
  std::unique_ptr<Connection> connection = std::move(idle_.back());
  idle_.pop_back();
  return Lease(*this, std::move(connection));
}

void ReaderPool::give_back(std::unique_ptr<Connection> connection) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(connection));
  }
  available_.notify_one();
}

}  // namespace cv::meta::sqlite
