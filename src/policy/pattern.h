// Wildcard patterns and policy-variable templates, the two shapes every matched string of
// a policy takes (Action, Resource, condition values).
//
// A Pattern is text where some characters are wildcards: `*` (any run of characters,
// '/' and ':' included) and `?` (any one character). Characters that came from a
// variable's value or from the escapes ${*} ${?} ${$} are literal even when they are `*`.
// A Template is a Pattern with variables still in it ("home/${aws:username}/*"); resolving
// it against a request gives the Pattern to match. Both are immutable values; any number
// of threads may match the same one concurrently.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "policy/request_context.h"

namespace cv::policy {

class Pattern {
 public:
  Pattern() = default;
  // `text` with every `*` and `?` a wildcard.
  static Pattern glob(std::string_view text);
  // `text` with no wildcard at all.
  static Pattern literal(std::string_view text);

  void append_glob(std::string_view text);
  void append_literal(std::string_view text);
  // Lower-cases the pattern's text (ASCII), for case-insensitive matching.
  void lowercase();

  const std::string& text() const { return text_; }
  bool has_wildcards() const { return wildcards_ > 0; }
  bool is_wildcard(size_t index) const { return wildcards_ > 0 && wild_[index]; }

  // Whether `value` matches. With `ignore_case`, ASCII letters compare case-insensitively
  // (the pattern's own text must then be lower case: see lowercase()).
  bool matches(std::string_view value, bool ignore_case = false) const;
  // matches() for the characters [from, to) of the pattern only (ARN components).
  bool matches_slice(size_t from, size_t to, std::string_view value, bool ignore_case) const;
  // Whether the pattern is exactly `value` (wildcards compare as the characters they are).
  bool equals(std::string_view value, bool ignore_case = false) const;

 private:
  std::string text_;
  size_t prefix_ = 0;          // literal characters before the first wildcard
  size_t suffix_ = 0;          // literal characters after the last wildcard
  std::vector<uint8_t> wild_;  // per character of text_: 1 when a wildcard (empty: none)
  size_t wildcards_ = 0;
};

// A string of the policy that may hold policy variables (${aws:username}, ${s3:prefix},
// ${aws:username, 'default'}, the escapes ${*} ${?} ${$}). Without variables (or in a
// Version 2008-10-17 policy, which has none) it is one precompiled Pattern.
class Template {
 public:
  // Parses `text`; `variables` false keeps "${...}" literal (Version 2008-10-17). Returns
  // nullopt with `problem` set when a "${" has no closing "}" or names no key.
  static std::optional<Template> parse(std::string_view text, bool variables, std::string* problem);

  bool has_variables() const { return !parts_.empty(); }
  // The pattern for this request; nullopt when a variable's key is absent from the request
  // and has no default (the element then matches nothing).
  std::optional<Pattern> resolve(const RequestContext& context) const;
  // The pattern when there are no variables (valid only then).
  const Pattern& fixed() const { return fixed_; }
  const std::string& source() const { return source_; }

 private:
  struct Part {
    bool variable = false;
    std::string text;  // glob text, or the variable's lower-case key
    std::optional<std::string> fallback;
  };
  std::string source_;
  Pattern fixed_;
  std::vector<Part> parts_;  // empty when there are no variables
};

// The value(s) of a condition key in the request: `key` is lower case. Besides the
// context's keys, aws:username, aws:userid, aws:principalarn, aws:principalaccount and
// aws:principaltype come from the principal when the context does not carry them. nullptr
// when absent. `scratch` holds a value derived from the principal.
const std::vector<std::string>* find_key(const RequestContext& context, std::string_view key,
                                         std::vector<std::string>& scratch);

}  // namespace cv::policy
