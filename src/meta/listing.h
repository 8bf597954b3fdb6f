// Backend-independent pieces of S3-style listings: key ranges in byte order and the walk
// that groups keys by a delimiter into common prefixes, skipping each group with one seek.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace cv::meta {

// The smallest string greater than every string starting with `prefix` (drop trailing 0xFF
// bytes, increment the last byte); nullopt when there is none (empty or all 0xFF).
std::optional<std::string> prefix_successor(std::string_view prefix);

// The common prefix `key` rolls up into: `key` up to and including the first `delimiter`
// after `prefix`; nullopt when the delimiter is empty or absent there. `key` must start
// with `prefix`.
std::optional<std::string_view> common_prefix_of(std::string_view key, std::string_view prefix,
                                                 std::string_view delimiter);

// Where a listing that resumes after `marker` starts (inclusive), or nullopt when nothing
// can follow. A marker that is itself a common prefix (under `delimiter`) skips everything
// below it; any other marker resumes at its immediate successor (marker + '\0'). The result
// is never below `prefix`.
std::optional<std::string> listing_start(std::string_view prefix, std::string_view delimiter,
                                         std::string_view marker);

// Rows in key byte order, from a position the caller chose first. Single-threaded.
template <class Row>
class KeyCursor {
 public:
  virtual ~KeyCursor() = default;
  // Repositions at the first row whose key is >= `from`.
  virtual Status seek(std::string_view from) = 0;
  // The next row, or nullopt when none remains.
  virtual Result<std::optional<Row>> next() = 0;
};

template <class Row>
struct DelimitedPage {
  std::vector<Row> rows;
  std::vector<std::string> common_prefixes;
  bool truncated = false;
  std::string last_entry;       // greatest key or prefix returned
  bool last_is_prefix = false;  // whether last_entry is a common prefix
};

// Collects up to `max_entries` rows and common prefixes from an already positioned cursor,
// stopping at the first key outside `prefix`. A key containing `delimiter` after `prefix`
// yields its common prefix once, then the cursor seeks past the whole group. Peeks one
// entry further to set `truncated`. `key_of(row)` returns the row's key.
template <class Row, class KeyOf>
Result<DelimitedPage<Row>> walk_delimited(KeyCursor<Row>& cursor, std::string_view prefix,
                                          std::string_view delimiter, uint32_t max_entries,
                                          KeyOf key_of) {
  DelimitedPage<Row> page;
  if (max_entries == 0) return page;
  uint32_t count = 0;
  for (;;) {
    auto row = cursor.next();
    if (!row) return std::unexpected(std::move(row).error());
    if (!row->has_value()) break;
    std::string_view key = key_of(**row);
    if (!key.starts_with(prefix)) break;
    if (count == max_entries) {
      page.truncated = true;
      break;
    }
    ++count;
    if (auto group = common_prefix_of(key, prefix, delimiter)) {
      page.common_prefixes.emplace_back(*group);
      page.last_entry = page.common_prefixes.back();
      page.last_is_prefix = true;
      auto after_group = prefix_successor(page.last_entry);
      if (!after_group) break;
      if (auto sought = cursor.seek(*after_group); !sought) {
        return std::unexpected(std::move(sought).error());
      }
    } else {
      page.last_entry.assign(key);
      page.last_is_prefix = false;
      page.rows.push_back(std::move(**row));
    }
  }
  return page;
}

}  // namespace cv::meta
