#include "meta/postgres/copy_from_sqlite.h"

#include <fmt/format.h>

#include <map>
#include <set>

#include "core/encoding.h"
#include "core/hash.h"
#include "meta/postgres/pg_connection.h"
#include "meta/postgres/pg_migrations.h"
#include "meta/postgres/pg_schema.h"
#include "meta/sqlite/connection.h"
#include "meta/sqlite/migrations.h"

namespace cv::meta::postgres {
namespace {

enum class Kind { kInt, kDouble, kText, kBytes };

struct Column {
  std::string name;
  Kind kind = Kind::kText;
  bool identity = false;
};

struct Table {
  std::string name;
  std::vector<Column> columns;
  std::vector<std::string> key;  // primary key columns, in key order
  std::set<std::string> parents;  // tables its foreign keys name
};

std::string identifier(std::string_view name) { return "\"" + std::string(name) + "\""; }

Kind kind_of(std::string_view data_type) {
  if (data_type == "bigint" || data_type == "integer" || data_type == "smallint") return Kind::kInt;
  if (data_type == "double precision" || data_type == "real") return Kind::kDouble;
  if (data_type == "bytea") return Kind::kBytes;
  return Kind::kText;
}

// The store's tables as PostgreSQL describes them, parents first.
std::vector<Table> read_tables(pqxx::transaction_base& txn) {
  std::map<std::string, Table> tables;
  for (const auto& row : txn.exec(
           "SELECT table_name FROM information_schema.tables WHERE table_schema = "
           "current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'cloudvault_schema'")) {
    Table table;
    table.name = row[0].as<std::string>();
    for (const auto& column : txn.exec_params(
             "SELECT column_name, data_type, is_identity FROM information_schema.columns "
             "WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
             table.name)) {
      table.columns.push_back({column[0].as<std::string>(), kind_of(column[1].as<std::string>()),
                               column[2].as<std::string>() == "YES"});
    }
    for (const auto& key : txn.exec_params(
             "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
             "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = $1::regclass AND i.indisprimary "
             "ORDER BY array_position(i.indkey::int2[], a.attnum)",
             table.name)) {
      table.key.push_back(key[0].as<std::string>());
    }
    for (const auto& parent : txn.exec_params(
             "SELECT confrelid::regclass::text FROM pg_constraint WHERE conrelid = $1::regclass "
             "AND contype = 'f'",
             table.name)) {
      const std::string name = parent[0].as<std::string>();
      if (name != table.name) table.parents.insert(name);
    }
    tables.emplace(table.name, std::move(table));
  }
  std::vector<Table> ordered;
  std::set<std::string> placed;
  while (ordered.size() < tables.size()) {
    const size_t before = ordered.size();
    for (auto& [name, table] : tables) {
      if (placed.contains(name)) continue;
      if (std::all_of(table.parents.begin(), table.parents.end(),
                      [&](const std::string& parent) { return placed.contains(parent); })) {
        placed.insert(name);
        ordered.push_back(table);
      }
    }
    if (ordered.size() == before) throw std::runtime_error("foreign keys form a cycle");
  }
  return ordered;
}

std::string column_list(const Table& table) {
  std::string out;
  for (const Column& column : table.columns) {
    if (!out.empty()) out += ", ";
    out += identifier(column.name);
  }
  return out;
}

// The rows in primary-key byte order (every column when there is no key).
std::string ordered_select(const Table& table, bool postgres) {
  std::string order;
  const auto order_by = [&](const Column& column) {
    if (!order.empty()) order += ", ";
    order += identifier(column.name);
    if (column.kind == Kind::kText) order += postgres ? " COLLATE \"C\"" : " COLLATE BINARY";
  };
  for (const std::string& key : table.key) {
    for (const Column& column : table.columns) {
      if (column.name == key) order_by(column);
    }
  }
  if (table.key.empty()) {
    for (const Column& column : table.columns) order_by(column);
  }
  return "SELECT " + column_list(table) + " FROM " + identifier(table.name) + " ORDER BY " + order;
}

// Hashes what a table's rows say, column by column, the same way for both engines.
Result<std::pair<uint64_t, std::string>> hash_rows(sql::Connection& db, const Table& table,
                                                   bool postgres) {
  auto rows = CV_TRY(db.prepare(ordered_select(table, postgres)));
  Digest digest(Digest::Algorithm::kSha256);
  uint64_t count = 0;
  while (CV_TRY(rows.step())) {
    ++count;
    for (int i = 0; i < static_cast<int>(table.columns.size()); ++i) {
      if (rows.column_is_null(i)) {
        digest.update("N;");
        continue;
      }
      switch (table.columns[static_cast<size_t>(i)].kind) {
        case Kind::kInt:
          digest.update(fmt::format("I{};", rows.column_int(i)));
          break;
        case Kind::kDouble:
          digest.update(fmt::format("D{:a};", rows.column_double(i)));
          break;
        case Kind::kText:
        case Kind::kBytes: {
          const std::string_view bytes = rows.column_bytes(i);
          digest.update(fmt::format("S{}:", bytes.size()));
          digest.update(bytes);
          break;
        }
      }
    }
  }
  return std::pair<uint64_t, std::string>{count, hex_encode(digest.finish())};
}

Status copy_table(sql::Connection& from, sql::Connection& to, const Table& table,
                  uint64_t& done, uint64_t total,
                  const std::function<void(uint64_t, uint64_t)>& progress) {
  const bool has_identity = std::any_of(table.columns.begin(), table.columns.end(),
                                        [](const Column& column) { return column.identity; });
  std::string values;
  for (size_t i = 1; i <= table.columns.size(); ++i) {
    values += (i > 1 ? ", ?" : "?") + std::to_string(i);
  }
  auto rows = CV_TRY(from.prepare("SELECT " + column_list(table) + " FROM " + identifier(table.name)));
  auto insert = CV_TRY(to.prepare("INSERT INTO " + identifier(table.name) + " (" + column_list(table) +
                                  ")" + (has_identity ? " OVERRIDING SYSTEM VALUE" : "") +
                                  " VALUES (" + values + ")"));
  while (CV_TRY(rows.step())) {
    for (int i = 0; i < static_cast<int>(table.columns.size()); ++i) {
      const int index = i + 1;
      if (rows.column_is_null(i)) {
        insert.bind_null(index);
        continue;
      }
      switch (table.columns[static_cast<size_t>(i)].kind) {
        case Kind::kInt:
          insert.bind_int(index, rows.column_int(i));
          break;
        case Kind::kDouble:
          insert.bind_double(index, rows.column_double(i));
          break;
        case Kind::kText:
          insert.bind_text(index, rows.column_bytes(i));
          break;
        case Kind::kBytes:
          insert.bind_blob(index, rows.column_bytes(i));
          break;
      }
    }
    CV_TRY(insert.run());
    insert.rewind();
    if (++done % 1000 == 0 && progress) progress(done, total);
  }
  return {};
}

Error copy_error(std::string_view what, const std::exception& error) {
  return Error{ErrorCode::kInternalError, "migrate: " + std::string(what) + ": " + error.what(), {}};
}

}  // namespace

Result<CopyReport> copy_sqlite_to_postgres(
    const std::filesystem::path& sqlite_path, const std::string& conninfo,
    const std::function<void(uint64_t done, uint64_t total)>& progress) {
  if (!std::filesystem::exists(sqlite_path)) {
    return fail(ErrorCode::kInvalidArgument,
                "migrate: there is no metadata store at " + sqlite_path.string());
  }
  auto sqlite = CV_TRY(sqlite::SqliteConnection::open(sqlite_path, /*create=*/false,
                                                      /*read_only=*/false));
  CV_TRY(sqlite::migrate(*sqlite));
  try {
    pqxx::connection connection(conninfo);
    CV_TRY(pg_migrate(connection, postgres_migrations()));
    CopyReport report;
    std::vector<Table> tables;
    PgConnection target(connection);  // the one engine of this connection (prepared names)
    {
      pqxx::work txn(connection);
      tables = read_tables(txn);
      for (const Table& table : tables) {
        if (txn.exec("SELECT EXISTS (SELECT 1 FROM " + identifier(table.name) + ")")[0][0].as<bool>()) {
          return fail(ErrorCode::kPreconditionFailed,
                      "migrate: the PostgreSQL database is not empty (table " + table.name +
                          " has rows); give an empty database");
        }
      }
      target.in(&txn);
      uint64_t total = 0;
      for (const Table& table : tables) {
        auto count = CV_TRY(sqlite->prepare("SELECT COUNT(*) FROM " + identifier(table.name)));
        if (CV_TRY(count.step())) total += static_cast<uint64_t>(count.column_int(0));
      }
      for (const Table& table : tables) txn.exec("ALTER TABLE " + identifier(table.name) + " DISABLE TRIGGER USER");
      uint64_t done = 0;
      for (const Table& table : tables) {
        if (auto copied = copy_table(*sqlite, target, table, done, total, progress); !copied) {
          return std::unexpected(Error{copied.error().code,
                                       "migrate: table " + table.name + ": " +
                                           copied.error().message,
                                       {}});
        }
        for (const Column& column : table.columns) {
          if (!column.identity) continue;
          txn.exec_params("SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT MAX(" +
                              identifier(column.name) + ") FROM " + identifier(table.name) +
                              "), 0) + 1, false)",
                          table.name, column.name);
        }
      }
      for (const Table& table : tables) txn.exec("ALTER TABLE " + identifier(table.name) + " ENABLE TRIGGER USER");
      target.in(nullptr);
      txn.commit();
      if (progress) progress(done, total);
      report.rows = done;
    }
    // Verification: both sides read again, in the same order, hashed the same way.
    pqxx::read_transaction check(connection);
    target.in(&check);
    for (const Table& table : tables) {
      const auto source = CV_TRY(hash_rows(*sqlite, table, /*postgres=*/false));
      const auto copied = CV_TRY(hash_rows(target, table, /*postgres=*/true));
      if (source != copied) {
        return fail(ErrorCode::kInternalError,
                    fmt::format("migrate: verification failed for table {}: {} rows ({}) in "
                                "SQLite, {} rows ({}) in PostgreSQL",
                                table.name, source.first, source.second, copied.first,
                                copied.second));
      }
      report.tables.push_back({table.name, source.first, source.second});
    }
    target.in(nullptr);
    return report;
  } catch (const std::exception& error) {
    return std::unexpected(copy_error("PostgreSQL", error));
  }
}

}  // namespace cv::meta::postgres
