#include "meta/postgres/pg_pool.h"

#include <regex>
#include <utility>

namespace cv::meta::postgres {

PgPool::Lease::Lease(Lease&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)), session_(std::move(other.session_)) {}

PgPool::Lease::~Lease() {
  if (pool_) pool_->give_back(std::move(session_));
}

PgPool::PgPool(std::string conninfo, size_t max_connections,
               std::function<void(pqxx::connection&)> on_connect)
    : conninfo_(std::move(conninfo)),
      max_connections_(std::max<size_t>(max_connections, 1)),
      on_connect_(std::move(on_connect)) {}

Result<PgPool::Lease> PgPool::acquire(std::chrono::milliseconds wait) {
  std::unique_lock lock(mutex_);
  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (idle_.empty() && open_ >= max_connections_) {
    if (returned_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        open_ >= max_connections_) {
      return fail(ErrorCode::kServiceUnavailable,
                  "metadata store: every PostgreSQL connection stayed busy");
    }
  }
  if (!idle_.empty()) {
    std::unique_ptr<Lease::Session> session = std::move(idle_.back());
    idle_.pop_back();
    return Lease(this, std::move(session));
  }
  ++open_;
  lock.unlock();
  try {
    auto session = std::make_unique<Lease::Session>(conninfo_);
    if (on_connect_) on_connect_(session->connection);
    return Lease(this, std::move(session));
  } catch (const std::exception& error) {
    lock.lock();
    --open_;
    returned_.notify_one();
    return fail(ErrorCode::kServiceUnavailable,
                "metadata store: cannot connect to PostgreSQL at " + redact_conninfo(conninfo_) +
                    ": " + error.what());
  }
}

void PgPool::give_back(std::unique_ptr<Lease::Session> session) {
  std::lock_guard lock(mutex_);
  if (session && session->connection.is_open()) {
    idle_.push_back(std::move(session));
  } else {
    --open_;
  }
  returned_.notify_one();
}

size_t PgPool::open_connections() {
  std::lock_guard lock(mutex_);
  return open_;
}

std::string redact_conninfo(std::string_view conninfo) {
  static const std::regex uri_password(R"(^(postgres(ql)?://[^:/@]*:)[^@]*@)");
  static const std::regex keyword_password(R"((password\s*=\s*)('([^'\\]|\\.)*'|\S+))");
  std::string out = std::regex_replace(std::string(conninfo), uri_password, "$1***@");
  return std::regex_replace(out, keyword_password, "$1***");
}

}  // namespace cv::meta::postgres
