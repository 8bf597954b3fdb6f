// Copies an embedded SQLite metadata store into PostgreSQL (`cloudvault admin migrate --to`).
//
// The SQLite file is first brought to its newest schema; the PostgreSQL database to its own
// (pg_migrations.h) and must then hold no rows (else kPreconditionFailed, nothing written).
// Every table is copied in one PostgreSQL transaction, parents before the tables whose
// foreign keys name them, with identity values kept (and the identity sequences moved past
// them) and the usage triggers on `objects` held off (storage_usage is copied as it is).
// Then a verification pass reads both sides again: each table's row count, and a SHA-256 of
// its rows in primary-key byte order, must be equal (else kInternalError naming the table).
// The caller makes sure no server writes to the SQLite file meanwhile.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/error.h"

namespace cv::meta::postgres {

struct CopiedTable {
  std::string name;
  uint64_t rows = 0;
  std::string sha256_hex;  // of its rows, the same on both sides
};

struct CopyReport {
  std::vector<CopiedTable> tables;  // in the order they were copied
  uint64_t rows = 0;
};

// `progress(done, total)`: rows copied so far of all tables (optional; called often).
Result<CopyReport> copy_sqlite_to_postgres(
    const std::filesystem::path& sqlite_path, const std::string& conninfo,
    const std::function<void(uint64_t done, uint64_t total)>& progress = {});

}  // namespace cv::meta::postgres
