#include "meta/postgres/pg_sql_text.h"

#include <algorithm>

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

}  // namespace cv::meta::postgres
