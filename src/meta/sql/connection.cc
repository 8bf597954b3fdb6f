#include "meta/sql/connection.h"

namespace cv::meta::sql {

Status Statement::run() {
  for (;;) {
    auto row = step();
    if (!row) return std::unexpected(std::move(row).error());
    if (!*row) return {};
  }
}

Result<Statement> Connection::prepare(std::string_view sql) {
  auto found = cache_.find(sql);
  if (found == cache_.end()) {
    auto backend = compile(sql, /*cached=*/true);
    if (!backend) return std::unexpected(std::move(backend).error());
    found = cache_.emplace(std::string(sql), Cached{std::move(*backend), false}).first;
  }
  Cached& cached = found->second;
  if (cached.in_use) {
    auto backend = compile(sql, /*cached=*/false);
    if (!backend) return std::unexpected(std::move(backend).error());
    StatementBackend* use = backend->get();
    return Result<Statement>(std::in_place, use, std::move(*backend), nullptr);
  }
  cached.in_use = true;
  return Result<Statement>(std::in_place, cached.backend.get(), nullptr, &cached.in_use);
}

Status Connection::execute(std::string_view sql) {
  auto stmt = prepare(sql);
  if (!stmt) return std::unexpected(std::move(stmt).error());
  return stmt->run();
}

Result<ReadTransaction> ReadTransaction::begin(Connection& connection) {
  auto begun = connection.begin_snapshot();
  if (!begun) return std::unexpected(std::move(begun).error());
  return ReadTransaction(&connection);
}

ReadTransaction::~ReadTransaction() {
  if (connection_) connection_->end_snapshot();
}

}  // namespace cv::meta::sql
