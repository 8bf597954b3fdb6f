// postgres_parameters: SQLite's parameters in PostgreSQL's form, numbered as SQLite numbers them.
#include "meta/postgres/pg_sql_text.h"

#include <gtest/gtest.h>

namespace cv::meta::postgres {
namespace {

TEST(PostgresParameters, NumbersBareAndExplicitParametersAsSqliteDoes) {
  EXPECT_EQ(postgres_parameters("SELECT * FROM t WHERE a = ? AND b = ?"),
            "SELECT * FROM t WHERE a = $1 AND b = $2");
  EXPECT_EQ(postgres_parameters("UPDATE t SET a = ?2 WHERE b = ?1 AND c = ?1"),
            "UPDATE t SET a = $2 WHERE b = $1 AND c = $1");
  // A bare ? after ?5 is 6, SQLite's rule.
  EXPECT_EQ(postgres_parameters("VALUES (?5, ?, ?2, ?)"), "VALUES ($5, $6, $2, $7)");
  EXPECT_EQ(postgres_parameters("LIMIT ?10"), "LIMIT $10");
}

TEST(PostgresParameters, LeavesLiteralsIdentifiersAndCommentsAlone) {
  EXPECT_EQ(postgres_parameters("SELECT '?', 'it''s ?', \"col?\" FROM t WHERE x = ?"),
            "SELECT '?', 'it''s ?', \"col?\" FROM t WHERE x = $1");
  EXPECT_EQ(postgres_parameters("SELECT 1 -- why? because\nWHERE a = ? /* b = ? */ AND c = ?"),
            "SELECT 1 -- why? because\nWHERE a = $1 /* b = ? */ AND c = $2");
  EXPECT_EQ(postgres_parameters("SELECT 'unterminated ?"), "SELECT 'unterminated ?");
  EXPECT_EQ(postgres_parameters(""), "");
}

}  // namespace
}  // namespace cv::meta::postgres
