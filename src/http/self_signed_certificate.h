// A self-signed certificate for local use (`cloudvault admin tls self-signed`): an EC P-256
// key and an X.509 v3 certificate naming one host, made with OpenSSL's C API.
#pragma once

#include <string>

#include "core/error.h"

namespace cv::http {

struct SelfSignedCertificate {
  std::string certificate_pem;
  std::string private_key_pem;  // PKCS#8, unencrypted: keep it mode 0600
};

// A certificate valid from now for `days` days (1-3650) with a random 128-bit serial, subject
// and issuer CN=host, subjectAltName DNS:host (IP:host when host is an IP address), plus
// IP:127.0.0.1 and IP:::1 when host is "localhost" or a loopback address, basicConstraints
// CA:FALSE, keyUsage digitalSignature, extendedKeyUsage serverAuth. Because the certificate is
// its own issuer, clients trust it by being given it as their CA bundle.
// InvalidArgument for an empty host, a host with characters no DNS name has, or days out of
// range; InternalError if OpenSSL fails.
Result<SelfSignedCertificate> make_self_signed_certificate(const std::string& host, int days);

}  // namespace cv::http
