#include "policy/pattern.h"

#include <cstring>

namespace cv::policy {
namespace {

char fold(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool same(char pattern, char value, bool ignore_case) {
  return ignore_case ? pattern == fold(value) : pattern == value;
}

}  // namespace

Pattern Pattern::glob(std::string_view text) {
  Pattern pattern;
  pattern.append_glob(text);
  return pattern;
}

Pattern Pattern::literal(std::string_view text) {
  Pattern pattern;
  pattern.append_literal(text);
  return pattern;
}

void Pattern::append_glob(std::string_view text) {
  for (char c : text) {
    const bool wild = c == '*' || c == '?';
    if (wild && wildcards_ == 0) wild_.assign(text_.size(), 0);
    if (wild) ++wildcards_;
    text_.push_back(c);
    if (wildcards_ > 0) wild_.push_back(wild ? 1 : 0);
    if (wildcards_ == 0) ++prefix_;
    suffix_ = wild ? 0 : suffix_ + 1;
  }
}

void Pattern::append_literal(std::string_view text) {
  text_.append(text);
  if (wildcards_ > 0) wild_.resize(text_.size(), 0);
  if (wildcards_ == 0) prefix_ += text.size();
  suffix_ += text.size();
}

void Pattern::lowercase() {
  for (char& c : text_) c = fold(c);
}

bool Pattern::matches(std::string_view value, bool ignore_case) const {
  if (wildcards_ == 0) return equals(value, ignore_case);
  // The literal prefix and suffix first: they settle most non-matches, and "prefix*suffix"
  // entirely.
  const size_t n = text_.size();
  if (value.size() < prefix_ + suffix_) return false;
  if (!ignore_case) {
    if (std::memcmp(text_.data(), value.data(), prefix_) != 0) return false;
    if (std::memcmp(text_.data() + n - suffix_, value.data() + value.size() - suffix_, suffix_) !=
        0) {
      return false;
    }
  } else {
    for (size_t i = 0; i < prefix_; ++i) {
      if (!same(text_[i], value[i], true)) return false;
    }
    for (size_t i = 1; i <= suffix_; ++i) {
      if (!same(text_[n - i], value[value.size() - i], true)) return false;
    }
  }
  if (wildcards_ == 1 && text_[prefix_] == '*') return true;
  return matches_slice(prefix_, n - suffix_,
                       value.substr(prefix_, value.size() - prefix_ - suffix_), ignore_case);
}

bool Pattern::matches_slice(size_t from, size_t to, std::string_view value,
                            bool ignore_case) const {
  if (wildcards_ == 0) {
    const std::string_view slice = std::string_view(text_).substr(from, to - from);
    if (slice.size() != value.size()) return false;
    for (size_t i = 0; i < slice.size(); ++i) {
      if (!same(slice[i], value[i], ignore_case)) return false;
    }
    return true;
  }
  const size_t n = to;
  size_t p = from;
  size_t v = 0;
  size_t star = std::string::npos;
  size_t mark = 0;
  while (v < value.size()) {
    if (p < n && wild_[p] && text_[p] == '*') {
      star = p++;
      mark = v;
      continue;
    }
    if (p < n &&
        ((wild_[p] && text_[p] == '?') || (!wild_[p] && same(text_[p], value[v], ignore_case)))) {
      ++p;
      ++v;
      continue;
    }
    if (star == std::string::npos) return false;
    p = star + 1;
    v = ++mark;
  }
  while (p < n && wild_[p] && text_[p] == '*') ++p;
  return p == n;
}

bool Pattern::equals(std::string_view value, bool ignore_case) const {
  if (value.size() != text_.size()) return false;
  if (!ignore_case) return value == text_;
  for (size_t i = 0; i < value.size(); ++i) {
    if (fold(text_[i]) != fold(value[i])) return false;
  }
  return true;
}

std::optional<Template> Template::parse(std::string_view text, bool variables,
                                        std::string* problem) {
  Template result;
  result.source_ = std::string(text);
  if (!variables || text.find("${") == std::string_view::npos) {
    result.fixed_ = Pattern::glob(text);
    return result;
  }
  std::string pending;  // glob text not yet pushed as a part
  auto flush = [&] {
    if (!pending.empty()) result.parts_.push_back(Part{false, std::move(pending), std::nullopt});
    pending.clear();
  };
  size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 2, "${") != 0) {
      pending.push_back(text[i++]);
      continue;
    }
    const size_t close = text.find('}', i + 2);
    if (close == std::string_view::npos) {
      if (problem) *problem = "Invalid policy variable: " + std::string(text.substr(i));
      return std::nullopt;
    }
    std::string_view inside = text.substr(i + 2, close - i - 2);
    i = close + 1;
    if (inside == "*" || inside == "?" || inside == "$") {
      flush();
      // An escape is a literal character: a variable-less part marked by an empty key.
      result.parts_.push_back(Part{true, std::string(), std::string(inside)});
      continue;
    }
    std::optional<std::string> fallback;
    if (const size_t comma = inside.find(','); comma != std::string_view::npos) {
      std::string_view rest = inside.substr(comma + 1);
      inside = inside.substr(0, comma);
      while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
      while (!rest.empty() && rest.back() == ' ') rest.remove_suffix(1);
      if (rest.size() < 2 || rest.front() != '\'' || rest.back() != '\'') {
        if (problem) *problem = "Invalid policy variable default value: " + std::string(rest);
        return std::nullopt;
      }
      fallback = std::string(rest.substr(1, rest.size() - 2));
    }
    while (!inside.empty() && inside.back() == ' ') inside.remove_suffix(1);
    while (!inside.empty() && inside.front() == ' ') inside.remove_prefix(1);
    if (inside.empty() || inside.find(':') == std::string_view::npos) {
      if (problem) *problem = "Invalid policy variable: ${" + std::string(inside) + "}";
      return std::nullopt;
    }
    flush();
    std::string key(inside);
    for (char& c : key) c = fold(c);
    result.parts_.push_back(Part{true, std::move(key), std::move(fallback)});
  }
  flush();
  return result;
}

std::optional<Pattern> Template::resolve(const RequestContext& context) const {
  if (parts_.empty()) return fixed_;
  Pattern pattern;
  std::vector<std::string> scratch;
  for (const Part& part : parts_) {
    if (!part.variable) {
      pattern.append_glob(part.text);
    } else if (part.text.empty()) {
      pattern.append_literal(*part.fallback);  // ${*} ${?} ${$}
    } else if (const auto* values = find_key(context, part.text, scratch);
               values && !values->empty()) {
      pattern.append_literal(values->front());
    } else if (part.fallback) {
      pattern.append_literal(*part.fallback);
    } else {
      return std::nullopt;
    }
  }
  return pattern;
}

const std::vector<std::string>* find_key(const RequestContext& context, std::string_view key,
                                         std::vector<std::string>& scratch) {
  if (auto it = context.keys.find(key); it != context.keys.end()) return &it->second;
  if (!key.starts_with("aws:")) return nullptr;
  const Principal& who = context.principal;
  std::string value;
  if (key == "aws:username") {
    value = who.user_name;
  } else if (key == "aws:userid") {
    value = who.anonymous ? std::string("anonymous") : who.user_id;
  } else if (key == "aws:principalarn") {
    value = who.role_arn.empty() ? who.arn : who.role_arn;
  } else if (key == "aws:principalaccount") {
    value = who.account_id;
  } else if (key == "aws:principaltype") {
    value = who.anonymous           ? "Anonymous"
            : who.is_root           ? "Account"
            : !who.role_arn.empty() ? "AssumedRole"
                                    : "User";
  }
  if (value.empty() || (who.anonymous && key != "aws:userid" && key != "aws:principaltype")) {
    return nullptr;
  }
  scratch.assign(1, std::move(value));
  return &scratch;
}

}  // namespace cv::policy
