#include "workers/notify/targets/email_message.h"

#include <cstdio>
#include <ctime>

#include "core/encoding.h"
#include "workers/notify/targets/message_text.h"

namespace cv::workers::notify {
namespace {

std::string without_controls(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return out;
}

bool plain_short_ascii(std::string_view text) {
  if (text.size() > 70 || text.find("=?") != std::string_view::npos) return false;
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x7f || static_cast<unsigned char>(c) < 0x20) return false;
  }
  return true;
}

// Length of the UTF-8 character starting with `lead`.
size_t char_length(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

}  // namespace

std::string encode_header_words(std::string_view raw) {
  const std::string text = without_controls(raw);
  // "=?UTF-8?B?" + base64 + "?=" <= 75 characters: 63 base64 characters, so 45 bytes.
  constexpr size_t kMaxBytes = 45;
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = start;
    while (end < text.size()) {
      const size_t next = end + char_length(static_cast<unsigned char>(text[end]));
      if (next - start > kMaxBytes) break;
      end = std::min(next, text.size());
    }
    if (end == start) end = std::min(start + kMaxBytes, text.size());
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64_encode(std::string_view(text).substr(start, end - start)) + "?=";
    start = end;
  }
  return out;
}

std::string quoted_printable(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  size_t line_length = 0;
  auto emit = [&](std::string_view piece) {
    if (line_length + piece.size() > 75) {
      out += "=\r\n";
      line_length = 0;
    }
    out += piece;
    line_length += piece.size();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    if (c == '\n') {
      out += "\r\n";
      line_length = 0;
      continue;
    }
    const bool line_ends = i + 1 == text.size() || text[i + 1] == '\n' || text[i + 1] == '\r';
    const bool literal =
        (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !line_ends);
    if (literal) {
      emit(std::string_view(reinterpret_cast<const char*>(&text[i]), 1));
    } else {
      const char escaped[3] = {'=', kHex[c >> 4], kHex[c & 15]};
      emit(std::string_view(escaped, 3));
    }
  }
  return out;
}

std::string format_rfc5322_date(TimePoint time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char text[48];
  std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[parts.tm_wday],
                parts.tm_mday, kMonths[parts.tm_mon], parts.tm_year + 1900, parts.tm_hour,
                parts.tm_min, parts.tm_sec);
  return text;
}

std::string email_body(const NotificationMessage& message, std::string_view target_name) {
  std::string body = without_controls(headline(message)) + ".\n\n";
  if (is_test_event(message)) {
    body += "This is a test message: the notification target \"" + std::string(target_name) +
            "\" works.\n\n";
  }
  std::string link;
  for (const auto& [label, value] : summary_fields(message)) {
    if (label == "Link") {
      link = value;
      continue;
    }
    body += "  " + label + ":" + std::string(label.size() < 8 ? 8 - label.size() : 1, ' ') +
            without_controls(value) + "\n";
  }
  if (const std::vector<std::string> lines = digest_lines(message); !lines.empty()) {
    body += "\n";
    for (const std::string& line : lines) body += "  " + without_controls(line) + "\n";
  }
  if (!link.empty()) body += "\nOpen it in the console:\n" + link + "\n";
  body += "\n-- \nSent by CloudVault through the notification target \"" +
          std::string(target_name) + "\".\n";
  return body;
}

std::string compose_email(const NotificationMessage& message, const EmailEnvelope& envelope,
                          TimePoint now, std::string_view message_id) {
  std::string to;
  for (const std::string& address : envelope.to) {
    if (!to.empty()) to += ",\r\n ";
    to += without_controls(address);
  }
  const std::string subject = headline(message);
  std::string mail;
  mail += "Date: " + format_rfc5322_date(now) + "\r\n";
  mail += "From: CloudVault <" + without_controls(envelope.from) + ">\r\n";
  mail += "To: " + to + "\r\n";
  mail +=
      "Subject: " + (plain_short_ascii(subject) ? subject : encode_header_words(subject)) + "\r\n";
  mail += "Message-ID: <" + std::string(message_id) + ">\r\n";
  mail += "MIME-Version: 1.0\r\n";
  mail += "Content-Type: text/plain; charset=utf-8\r\n";
  mail += "Content-Transfer-Encoding: quoted-printable\r\n";
  mail += "Auto-Submitted: auto-generated\r\n";
  mail += "X-CloudVault-Event: " + without_controls(message.event_name) + "\r\n";
  mail += "\r\n";
  mail += quoted_printable(email_body(message, envelope.target_name));
  if (!mail.ends_with("\r\n")) mail += "\r\n";
  return mail;
}

}  // namespace cv::workers::notify
