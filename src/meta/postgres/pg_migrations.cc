#include "meta/postgres/pg_migrations.h"

#include <fmt/format.h>

namespace cv::meta::postgres {
namespace {

// pg_advisory_xact_lock's key for schema changes: "CVschema" in ASCII.
constexpr int64_t kSchemaLockKey = 0x4356736368656d61;

Error store_error(std::string_view what, const std::exception& error) {
  return Error{ErrorCode::kInternalError,
               "metadata store: " + std::string(what) + ": " + error.what()};
}

}  // namespace

Result<int> pg_schema_version(pqxx::connection& connection) {
  try {
    pqxx::read_transaction txn(connection);
    const pqxx::result exists = txn.exec("SELECT to_regclass('cloudvault_schema') IS NOT NULL");
    if (!exists[0][0].as<bool>()) return 0;
    return txn.exec("SELECT coalesce(max(version), 0) FROM cloudvault_schema")[0][0].as<int>();
  } catch (const std::exception& error) {
    return std::unexpected(store_error("cannot read the schema version", error));
  }
}

Status pg_migrate(pqxx::connection& connection, std::span<const PgMigration> steps,
                  const PgMigrationStepCallback& after_step) {
  for (size_t i = 0; i < steps.size(); ++i) {
    if (steps[i].version != static_cast<int>(i) + 1) {
      return fail(ErrorCode::kInternalError, "metadata store: schema steps are not numbered 1..n");
    }
  }
  const int latest = static_cast<int>(steps.size());
  try {
    pqxx::work txn(connection);
    txn.exec_params("SELECT pg_advisory_xact_lock($1)", kSchemaLockKey);
    txn.exec(
        "CREATE TABLE IF NOT EXISTS cloudvault_schema ("
        " version INTEGER PRIMARY KEY,"
        " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
    const int current =
        txn.exec("SELECT coalesce(max(version), 0) FROM cloudvault_schema")[0][0].as<int>();
    if (current > latest) {
      return fail(ErrorCode::kInternalError,
                  fmt::format("metadata store: schema version {} is newer than this program's {}",
                              current, latest));
    }
    const size_t pending = static_cast<size_t>(latest - current);
    for (int version = current + 1; version <= latest; ++version) {
      try {
        txn.exec(steps[static_cast<size_t>(version) - 1].sql);
      } catch (const std::exception& error) {
        return std::unexpected(store_error(fmt::format("schema step {} failed", version), error));
      }
      txn.exec_params("INSERT INTO cloudvault_schema (version) VALUES ($1)", version);
      const size_t applied = static_cast<size_t>(version - current);
      if (after_step && current > 0) after_step(current, latest, applied, pending);
    }
    txn.commit();
    return {};
  } catch (const std::exception& error) {
    return std::unexpected(store_error("cannot migrate the schema", error));
  }
}

}  // namespace cv::meta::postgres
