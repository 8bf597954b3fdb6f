// Text encodings used across the protocol layers: hex, base64, and the two URI encodings
// S3 needs (SigV4's canonical form and plain percent-decoding).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cv {

std::string hex_encode(std::string_view bytes);  // lowercase
std::optional<std::string> hex_decode(std::string_view hex);
std::string base64_encode(std::string_view bytes);
// Strict decoding: returns nullopt for characters outside the alphabet or bad padding.
std::optional<std::string> base64_decode(std::string_view text);

// RFC 3986 encoding as SigV4 defines it: unreserved characters (A-Z a-z 0-9 - _ . ~) pass,
// everything else becomes %XX (uppercase). With encode_slash=false, '/' passes too.
std::string uri_encode(std::string_view text, bool encode_slash = true);
// Percent-decoding; with plus_as_space, '+' decodes to ' ' (form encoding).
// Returns nullopt on a malformed escape.
std::optional<std::string> percent_decode(std::string_view text, bool plus_as_space = false);

// True if `text` is valid UTF-8 (S3 keys and metadata must be).
bool is_valid_utf8(std::string_view text);

// ASCII lowercase copy.
std::string to_lower(std::string_view text);
// Equal but for ASCII letter case (no copy).
bool ascii_iequals(std::string_view a, std::string_view b);
// Trims leading/trailing spaces and tabs, and collapses inner runs of spaces to one (SigV4
// canonical header values).
std::string trim_and_collapse(std::string_view text);
std::string_view trim(std::string_view text);
// The trimmed, non-empty items of a `separator`-separated list ("a, b,,c" gives a, b, c),
// as HTTP list headers are read. The views point into `text`.
std::vector<std::string_view> split_list(std::string_view text, char separator = ',');

}  // namespace cv
