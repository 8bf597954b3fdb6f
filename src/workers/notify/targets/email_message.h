// The e-mail a person receives about an event: RFC 5322 headers (Date, From, To, Subject in
// RFC 2047 encoded words when it is not plain short ASCII, Message-ID, MIME-Version,
// Content-Type text/plain; charset=utf-8, quoted-printable, Auto-Submitted) and a plain-text
// body saying what happened, where, how big, who, when, with a link to the console; a
// digest's body lists its versions (digest_lines).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "workers/notify/targets/notification_target.h"

namespace cv::workers::notify {

struct EmailEnvelope {
  std::string from;
  std::vector<std::string> to;
  std::string target_name;  // named in the footer
};

// The whole message, CRLF line ends, ready for SMTP DATA (libcurl dot-stuffs it).
// `message_id` is the Message-ID's "local@domain" part, without the angle brackets.
std::string compose_email(const NotificationMessage& message, const EmailEnvelope& envelope,
                          TimePoint now, std::string_view message_id);

// The plain-text body, before transfer encoding (LF line ends).
std::string email_body(const NotificationMessage& message, std::string_view target_name);

// RFC 2047 "B" encoded words of UTF-8 `text`, each at most 75 characters, joined by
// CRLF + space (a folded header), never splitting a character. Control characters become
// spaces first.
std::string encode_header_words(std::string_view text);

// Quoted-printable (RFC 2045) of `text` with LF or CRLF line ends: CRLF hard breaks, lines of
// at most 76 characters with soft breaks, "=", non-ASCII and trailing blanks encoded.
std::string quoted_printable(std::string_view text);

// "Sat, 05 Dec 2026 14:02:03 +0000".
std::string format_rfc5322_date(TimePoint time);

}  // namespace cv::workers::notify
