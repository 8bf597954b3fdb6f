// SQL text written for SQLite, made ready for PostgreSQL: the metadata store's statements are
// written once, in the SQL both engines share, with SQLite's parameters (`?` and `?NNN`).
// Pure, thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cv::meta::postgres {

// `sql` with every parameter in PostgreSQL's form: `?NNN` becomes `$NNN`, and a bare `?` gets
// the number SQLite gives it (one more than the largest number given so far), so bindings by
// index mean the same on both engines. Text inside '...' literals, "..." identifiers and
// -- or /* */ comments is left alone.
std::string postgres_parameters(std::string_view sql);

// A statement as PostgreSQL runs it, and where each of SQLite's parameter indexes went.
struct PostgresStatementText {
  std::string sql;
  // position[i]: the PostgreSQL parameter ($n) that SQLite's index i became, 0 when the text
  // does not use i (PostgreSQL refuses a gap: it cannot tell an unused parameter's type).
  // Index 0 is unused.
  std::vector<int> position;
};

// postgres_parameters with the parameters renumbered 1..n without gaps (in SQLite's order),
// SQLite's planner hints ("INDEXED BY name", "NOT INDEXED") dropped, and blob literals
// (x'0a1b') written as bytea ('\x0a1b'::bytea).
PostgresStatementText postgres_sql(std::string_view sql);

}  // namespace cv::meta::postgres
