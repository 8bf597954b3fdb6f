#include "core/http_message.h"

#include <algorithm>

#include "core/encoding.h"

namespace cv {

void Headers::add(std::string_view name, std::string_view value) {
  fields_.emplace_back(to_lower(name), std::string(value));
}

void Headers::set(std::string_view name, std::string_view value) {
  remove(name);
  add(name, value);
}

void Headers::remove(std::string_view name) {
  const std::string lower = to_lower(name);
  std::erase_if(fields_, [&](const auto& field) { return field.first == lower; });
}

const std::string* Headers::find(std::string_view name) const {
  for (const auto& [field_name, value] : fields_) {
    if (field_name == name) return &value;
  }
  return nullptr;
}

std::string_view Headers::get(std::string_view name, std::string_view fallback) const {
  const std::string* value = find(name);
  return value ? std::string_view(*value) : fallback;
}

std::optional<QueryParams> parse_query(std::string_view raw_query, bool plus_as_space) {
  QueryParams params;
  while (!raw_query.empty()) {
    const size_t amp = raw_query.find('&');
    const std::string_view item = raw_query.substr(0, amp);
    raw_query = amp == std::string_view::npos ? std::string_view() : raw_query.substr(amp + 1);
    if (item.empty()) continue;
    const size_t eq = item.find('=');
    auto name = percent_decode(item.substr(0, eq), plus_as_space);
    auto value =
        percent_decode(eq == std::string_view::npos ? "" : item.substr(eq + 1), plus_as_space);
    if (!name || !value) return std::nullopt;
    params.emplace_back(std::move(*name), std::move(*value));
  }
  return params;
}

const std::string* find_param(const QueryParams& params, std::string_view name) {
  for (const auto& [param_name, value] : params) {
    if (param_name == name) return &value;
  }
  return nullptr;
}

std::optional<PlainHttpSecrets> parse_plain_http_secrets(std::string_view text) {
  if (text == "loopback") return PlainHttpSecrets::kLoopback;
  if (text == "always") return PlainHttpSecrets::kAlways;
  if (text == "never") return PlainHttpSecrets::kNever;
  return std::nullopt;
}

bool from_loopback(const Request& request) {
  const std::string_view address = request.remote_address;
  return address.starts_with("127.") || address == "::1" || address.starts_with("::ffff:127.");
}

bool allows_secrets(const Request& request, PlainHttpSecrets policy) {
  if (request.secure) return true;
  switch (policy) {
    case PlainHttpSecrets::kAlways:
      return true;
    case PlainHttpSecrets::kNever:
      return false;
    case PlainHttpSecrets::kLoopback:
      return from_loopback(request);
  }
  return false;
}

}  // namespace cv
