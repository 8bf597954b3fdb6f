#include "workers/notify/targets/target_settings.h"

#include <array>
#include <utility>

#include "core/encoding.h"

namespace cv::workers::notify {
namespace {

constexpr std::array<std::pair<std::string_view, TargetType>, 4> kTypes{{
    {"webhook", TargetType::kWebhook},
    {"smtp", TargetType::kSmtp},
    {"slack", TargetType::kSlack},
    {"discord", TargetType::kDiscord},
}};

std::string_view scheme_of(std::string_view url) {
  const size_t colon = url.find("://");
  return colon == std::string_view::npos ? std::string_view{} : url.substr(0, colon);
}

std::unexpected<Error> invalid(const TargetSettings& settings, std::string_view what) {
  return fail(ErrorCode::kInvalidArgument,
              "notify.targets." + settings.name + ": " + std::string(what));
}

// "local@domain" with no spaces, controls or angle brackets (they would end up in SMTP
// commands and headers).
bool plain_address(std::string_view address) {
  if (address.find('@') == std::string_view::npos || address.front() == '@' ||
      address.back() == '@') {
    return false;
  }
  for (char c : address) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7f || c == '<' || c == '>' || c == ',') return false;
  }
  return true;
}

}  // namespace

std::string_view target_type_name(TargetType type) {
  for (const auto& [name, value] : kTypes) {
    if (value == type) return name;
  }
  return "unknown";
}

const TargetType* parse_target_type(std::string_view name) {
  for (const auto& entry : kTypes) {
    if (entry.first == name) return &entry.second;
  }
  return nullptr;
}

Status validate(const TargetSettings& settings) {
  if (settings.url.empty()) return invalid(settings, "url is required");
  const std::string scheme = to_lower(scheme_of(settings.url));
  const size_t host_start = settings.url.find("://") + 3;
  if (scheme.empty() || host_start >= settings.url.size() || settings.url[host_start] == '/') {
    return invalid(settings, "url must be SCHEME://HOST[:PORT][/PATH], not \"" +
                                 redact_url(settings.url) + "\"");
  }
  if (settings.type == TargetType::kSmtp) {
    if (scheme != "smtp" && scheme != "smtps") {
      return invalid(settings, "url of an smtp target must start with smtp:// or smtps://");
    }
    if (settings.from.empty()) return invalid(settings, "from is required");
    if (settings.to.empty()) return invalid(settings, "to must name at least one recipient");
    for (const std::string& address : settings.to) {
      if (!plain_address(address)) {
        return invalid(settings, "to: \"" + address + "\" is not an e-mail address");
      }
    }
    if (!plain_address(settings.from)) {
      return invalid(settings, "from: \"" + settings.from + "\" is not an e-mail address");
    }
    if (settings.username.empty() != settings.password.empty()) {
      return invalid(settings, "username and password go together");
    }
  } else {
    if (scheme != "http" && scheme != "https") {
      return invalid(settings, "url of a " + std::string(target_type_name(settings.type)) +
                                   " target must start with http:// or https://");
    }
  }
  if (settings.type == TargetType::kWebhook && settings.secret.empty()) {
    return invalid(settings, "secret is required (the key of the signature header)");
  }
  if (settings.timeout < std::chrono::seconds(1) || settings.timeout > std::chrono::seconds(600)) {
    return invalid(settings, "timeout_seconds must be 1-600");
  }
  return {};
}

std::string redact_url(std::string_view url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::string(url);
  const size_t authority = scheme_end + 3;
  const size_t authority_end = url.find_first_of("/?#", authority);
  const std::string_view host_part = url.substr(authority, authority_end - authority);
  const size_t at = host_part.rfind('@');
  if (at == std::string_view::npos) return std::string(url);
  return std::string(url.substr(0, authority)) + std::string(host_part.substr(at + 1)) +
         (authority_end == std::string_view::npos ? "" : std::string(url.substr(authority_end)));
}

}  // namespace cv::workers::notify
