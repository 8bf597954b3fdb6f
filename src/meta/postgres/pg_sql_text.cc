#include "meta/postgres/pg_sql_text.h"

#include <algorithm>
#include <regex>

namespace cv::meta::postgres {

std::string postgres_parameters(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 8);
  int largest = 0;
  size_t i = 0;
  // Copies up to and including the `close` that ends a quoted run ('' and "" are escapes,
  // which the next iteration treats as a new run: same effect).
  auto copy_quoted = [&](char close) {
    out += sql[i++];
    while (i < sql.size()) {
      out += sql[i];
      if (sql[i++] == close) return;
    }
  };
  while (i < sql.size()) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {
      copy_quoted(c);
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      const size_t end = std::min(sql.find('\n', i), sql.size());
      out.append(sql.substr(i, end - i));
      i = end;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      const size_t close = sql.find("*/", i + 2);
      const size_t end = close == std::string_view::npos ? sql.size() : close + 2;
      out.append(sql.substr(i, end - i));
      i = end;
    } else if (c == '?') {
      size_t digits = i + 1;
      while (digits < sql.size() && sql[digits] >= '0' && sql[digits] <= '9') ++digits;
      int number = 0;
      if (digits > i + 1) {
        for (size_t d = i + 1; d < digits; ++d) number = number * 10 + (sql[d] - '0');
      } else {
        number = largest + 1;
      }
      largest = std::max(largest, number);
      out += '$';
      out += std::to_string(number);
      i = digits;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

PostgresStatementText postgres_sql(std::string_view sql) {
  static const std::regex hints(R"(\s+(INDEXED\s+BY\s+\w+|NOT\s+INDEXED)\b)",
                                std::regex::icase);
  static const std::regex parameter(R"(\$(\d+))");
  static const std::regex blob_literal(R"(\b[xX]'([0-9a-fA-F]*)')");
  const std::string numbered = std::regex_replace(
      std::regex_replace(postgres_parameters(sql), hints, ""), blob_literal, "'\\x$1'::bytea");
  // postgres_parameters wrote every parameter as $n outside literals and comments; a `$`
  // followed by digits inside them would be renumbered too, which the store's SQL never has.
  PostgresStatementText out;
  std::vector<int> used;
  for (auto it = std::sregex_iterator(numbered.begin(), numbered.end(), parameter);
       it != std::sregex_iterator(); ++it) {
    used.push_back(std::stoi((*it)[1].str()));
  }
  std::sort(used.begin(), used.end());
  used.erase(std::unique(used.begin(), used.end()), used.end());
  out.position.assign(used.empty() ? 1 : static_cast<size_t>(used.back()) + 1, 0);
  for (size_t i = 0; i < used.size(); ++i) out.position[static_cast<size_t>(used[i])] = static_cast<int>(i) + 1;
  size_t copied = 0;
  for (auto it = std::sregex_iterator(numbered.begin(), numbered.end(), parameter);
       it != std::sregex_iterator(); ++it) {
    out.sql.append(numbered, copied, static_cast<size_t>(it->position()) - copied);
    out.sql += '$' + std::to_string(out.position[static_cast<size_t>(std::stoi((*it)[1].str()))]);
    copied = static_cast<size_t>(it->position() + it->length());
  }
  out.sql.append(numbered, copied);
  return out;
}

}  // namespace cv::meta::postgres
