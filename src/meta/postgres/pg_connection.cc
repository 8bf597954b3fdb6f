#include "meta/postgres/pg_connection.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "core/encoding.h"
#include "meta/postgres/pg_sql_text.h"

namespace cv::meta::postgres {
namespace {

constexpr pqxx::oid kBoolOid = 16;
constexpr pqxx::oid kByteaOid = 17;

bool is_retryable(const std::exception& error) {
  if (dynamic_cast<const pqxx::serialization_failure*>(&error) ||
      dynamic_cast<const pqxx::deadlock_detected*>(&error)) {
    return true;
  }
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&error)) {
    return sql->sqlstate() == "40001" || sql->sqlstate() == "40P01";
  }
  return false;
}

// bytea's hex output ("\x0a1b...") as bytes.
std::string decode_bytea(std::string_view text) {
  if (!text.starts_with("\\x")) return std::string(text);
  auto bytes = hex_decode(text.substr(2));
  return bytes ? std::move(*bytes) : std::string(text);
}

class PgStatement final : public sql::StatementBackend {
 public:
  PgStatement(PgConnection& connection, std::string name, std::vector<int> position)
      : connection_(connection), name_(std::move(name)), position_(std::move(position)) {
    const int count = position_.empty() ? 0 : *std::max_element(position_.begin(), position_.end());
    params_.resize(static_cast<size_t>(count));
  }

  void bind_int(int index, int64_t value) override { set(index, std::to_string(value)); }
  void bind_double(int index, double value) override {
    set(index, pqxx::to_string(value));
  }
  void bind_text(int index, std::string_view value) override { set(index, std::string(value)); }
  void bind_blob(int index, std::string_view value) override {
    set(index, "\\x" + hex_encode(value));
  }
  void bind_null(int index) override {
    if (auto* param = slot(index)) param->reset();
  }

  Result<bool> step() override {
    if (!ran_) {
      pqxx::transaction_base* transaction = connection_.transaction();
      if (!transaction) {
        return fail(ErrorCode::kInternalError, "metadata store: a statement outside a transaction");
      }
      std::vector<const char*> values;
      values.reserve(params_.size());
      for (const auto& param : params_) values.push_back(param ? param->c_str() : nullptr);
      try {
        result_ = transaction->exec_prepared(name_, pqxx::prepare::make_dynamic_params(values));
      } catch (const std::exception& error) {
        connection_.note_failure(error);
        return std::unexpected(pg_error(error, name_));
      }
      ran_ = true;
      row_ = -1;
      decoded_.assign(static_cast<size_t>(result_.columns()), std::nullopt);
    }
    ++row_;
    for (auto& column : decoded_) column.reset();
    return row_ < static_cast<int64_t>(result_.size());
  }
  void rewind() override {
    ran_ = false;
    result_ = pqxx::result();
  }
  void reset() override {
    rewind();
    for (auto& param : params_) param.reset();
  }

  // Booleans read as 0 and 1, as SQLite gives them.
  int64_t column_int(int index) const override {
    const pqxx::field field = current(index);
    if (field.is_null()) return 0;
    if (result_.column_type(static_cast<pqxx::row::size_type>(index)) == kBoolOid) {
      return field.as<bool>() ? 1 : 0;
    }
    return field.as<int64_t>();
  }
  double column_double(int index) const override {
    const pqxx::field field = current(index);
    return field.is_null() ? 0.0 : field.as<double>();
  }
  bool column_is_null(int index) const override { return current(index).is_null(); }
  std::string_view column_bytes(int index) const override {
    const pqxx::field field = current(index);
    if (field.is_null()) return {};
    if (result_.column_type(static_cast<pqxx::row::size_type>(index)) != kByteaOid) {
      return {field.c_str(), field.size()};
    }
    auto& decoded = decoded_[static_cast<size_t>(index)];
    if (!decoded) decoded = decode_bytea({field.c_str(), field.size()});
    return *decoded;
  }
  int changes() const override { return static_cast<int>(result_.affected_rows()); }

 private:
  // The parameter SQLite's `index` became; nullptr when the text does not use it.
  std::optional<std::string>* slot(int index) {
    if (index <= 0 || static_cast<size_t>(index) >= position_.size()) return nullptr;
    const int position = position_[static_cast<size_t>(index)];
    return position == 0 ? nullptr : &params_[static_cast<size_t>(position) - 1];
  }
  void set(int index, std::string value) {
    if (auto* param = slot(index)) *param = std::move(value);
  }
  pqxx::field current(int index) const {
    return result_[static_cast<pqxx::result::size_type>(row_)][index];
  }

  PgConnection& connection_;
  std::string name_;
  std::vector<int> position_;  // PostgresStatementText::position
  std::vector<std::optional<std::string>> params_;  // by $n - 1; nullopt: NULL
  bool ran_ = false;
  pqxx::result result_;
  int64_t row_ = -1;
  mutable std::vector<std::optional<std::string>> decoded_;  // bytea columns of the row
};

}  // namespace

Error pg_error(const std::exception& error, std::string_view context) {
  const bool unavailable =
      dynamic_cast<const pqxx::broken_connection*>(&error) != nullptr || is_retryable(error);
  return Error{unavailable ? ErrorCode::kServiceUnavailable : ErrorCode::kInternalError,
               "metadata store: " + std::string(context) + ": " + error.what(),
               {}};
}

void PgConnection::note_failure(const std::exception& error) {
  if (is_retryable(error)) must_retry_ = true;
}

Status PgConnection::begin_snapshot() {
  if (!dynamic_cast<pqxx::nontransaction*>(transaction_)) return {};
  snapshot_ = true;
  return execute_script("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
}

void PgConnection::end_snapshot() {
  if (!snapshot_) return;
  snapshot_ = false;
  (void)execute_script("COMMIT");
}

Status PgConnection::execute_script(const char* sql) {
  if (!transaction_) {
    return fail(ErrorCode::kInternalError, "metadata store: a script outside a transaction");
  }
  try {
    transaction_->exec(sql);
    return {};
  } catch (const std::exception& error) {
    note_failure(error);
    return std::unexpected(pg_error(error, "script"));
  }
}

Result<std::unique_ptr<sql::StatementBackend>> PgConnection::compile(std::string_view sql,
                                                                     bool cached) {
  // Named per connection; pqxx prepares it on the server at its first execution. A private
  // copy (cached = false) gets a name of its own too: prepared statements are cheap.
  (void)cached;
  const std::string name = "s" + std::to_string(next_name_++);
  PostgresStatementText text = postgres_sql(sql);
  try {
    connection_.prepare(name, text.sql);
  } catch (const std::exception& error) {
    return std::unexpected(pg_error(error, sql));
  }
  return std::unique_ptr<sql::StatementBackend>(
      std::make_unique<PgStatement>(*this, name, std::move(text.position)));
}

}  // namespace cv::meta::postgres
