// SQL text written for SQLite, made ready for PostgreSQL: the metadata store's statements are
// written once, in the SQL both engines share, with SQLite's parameters (`?` and `?NNN`).
// Pure, thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace cv::meta::postgres {

// `sql` with every parameter in PostgreSQL's form: `?NNN` becomes `$NNN`, and a bare `?` gets
// the number SQLite gives it (one more than the largest number given so far), so bindings by
// index mean the same on both engines. Text inside '...' literals, "..." identifiers and
// -- or /* */ comments is left alone.
std::string postgres_parameters(std::string_view sql);

}  // namespace cv::meta::postgres
