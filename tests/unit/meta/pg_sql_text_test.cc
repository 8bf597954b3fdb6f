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

TEST(PostgresSql, DropsSqlitePlannerHints) {
  EXPECT_EQ(postgres_sql("SELECT a FROM objects INDEXED BY objects_by_key WHERE b = ?").sql,
            "SELECT a FROM objects WHERE b = $1");
  EXPECT_EQ(postgres_sql("SELECT a FROM t NOT INDEXED WHERE b = ?1").sql,
            "SELECT a FROM t WHERE b = $1");
}

TEST(PostgresSql, WritesBlobLiteralsAsBytea) {
  EXPECT_EQ(postgres_sql("SELECT x'', X'0aFF' FROM t").sql,
            "SELECT '\\x'::bytea, '\\x0aFF'::bytea FROM t");
}

TEST(PostgresSql, ClosesGapsInTheNumbersAndSaysWhereEachIndexWent) {
  // SQLite's INSERT of a row skips ?2 (the UPDATE form of the same call binds it).
  const PostgresStatementText text = postgres_sql("VALUES(?1, ?3, ?5, ?3)");
  EXPECT_EQ(text.sql, "VALUES($1, $2, $3, $2)");
  EXPECT_EQ(text.position, (std::vector<int>{0, 1, 0, 2, 0, 3}));
  EXPECT_EQ(postgres_sql("SELECT 1").position, std::vector<int>{0});
}

}  // namespace
}  // namespace cv::meta::postgres
