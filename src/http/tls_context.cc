#include "http/tls_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/ssl/context.hpp>
#include <cstring>

namespace cv::http {
namespace {

namespace ssl = boost::asio::ssl;

// Mozilla's "intermediate" TLS 1.2 cipher list (TLS 1.3 suites are OpenSSL's defaults, all
// of which that profile allows).
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305";

constexpr unsigned char kHttp11[] = "http/1.1";
constexpr unsigned char kHttp11Length = sizeof(kHttp11) - 1;

// ALPN: the server speaks HTTP/1.1 only. A client offering it gets it; a client offering only
// other protocols (h2 alone) gets no ALPN answer rather than a failed handshake, as nginx does.
int select_alpn(SSL*, const unsigned char** out, unsigned char* out_length,
                const unsigned char* offered, unsigned int offered_length, void*) {
  for (unsigned int i = 0; i < offered_length;) {
    const unsigned char length = offered[i];
    if (i + 1 + length > offered_length) break;
    if (length == kHttp11Length && std::memcmp(offered + i + 1, kHttp11, length) == 0) {
      *out = offered + i + 1;
      *out_length = length;
      return SSL_TLSEXT_ERR_OK;
    }
    i += 1 + length;
  }
  return SSL_TLSEXT_ERR_NOACK;
}

std::string openssl_reason() {
  std::string reasons;
  while (const unsigned long code = ERR_get_error()) {
    char text[256];
    ERR_error_string_n(code, text, sizeof(text));
    if (!reasons.empty()) reasons += "; ";
    reasons += text;
  }
  return reasons.empty() ? "unknown OpenSSL error" : reasons;
}

}  // namespace

Result<std::shared_ptr<ssl::context>> make_tls_context(const std::filesystem::path& cert_file,
                                                       const std::filesystem::path& key_file) {
  ERR_clear_error();
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = context->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  SSL_CTX_set_options(
      native, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1) {
    return fail(ErrorCode::kInternalError, "TLS cipher list refused: " + openssl_reason());
  }
  SSL_CTX_set_alpn_select_cb(native, select_alpn, nullptr);
  // Session resumption: stateless tickets (OpenSSL's default, keys made per context) plus the
  // server-side cache for clients without ticket support.
  static constexpr unsigned char kSessionContext[] = "cloudvault";
  SSL_CTX_set_session_id_context(native, kSessionContext, sizeof(kSessionContext) - 1);

  if (SSL_CTX_use_certificate_chain_file(native, cert_file.c_str()) != 1) {
    return fail(ErrorCode::kInvalidArgument,
                "cannot load the TLS certificate " + cert_file.string() + ": " + openssl_reason());
  }
  if (SSL_CTX_use_PrivateKey_file(native, key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    const bool mismatch = ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH;
    return fail(ErrorCode::kInvalidArgument,
                (mismatch ? "the TLS key " + key_file.string() +
                                " does not belong to the certificate " + cert_file.string()
                          : "cannot load the TLS key " + key_file.string()) +
                    ": " + openssl_reason());
  }
  if (SSL_CTX_check_private_key(native) != 1) {
    return fail(ErrorCode::kInvalidArgument, "the TLS key " + key_file.string() +
                                                 " does not belong to the certificate " +
                                                 cert_file.string() + ": " + openssl_reason());
  }
  return context;
}

TlsCredentials::TlsCredentials(std::filesystem::path cert_file, std::filesystem::path key_file,
                               std::shared_ptr<ssl::context> context)
    : cert_file_(std::move(cert_file)),
      key_file_(std::move(key_file)),
      context_(std::move(context)) {}

Result<std::shared_ptr<TlsCredentials>> TlsCredentials::load(std::filesystem::path cert_file,
                                                             std::filesystem::path key_file) {
  auto context = CV_TRY(make_tls_context(cert_file, key_file));
  return std::shared_ptr<TlsCredentials>(
      new TlsCredentials(std::move(cert_file), std::move(key_file), std::move(context)));
}

Status TlsCredentials::reload() {
  auto context = CV_TRY(make_tls_context(cert_file_, key_file_));
  std::lock_guard lock(mutex_);
  context_ = std::move(context);
  return {};
}

std::shared_ptr<ssl::context> TlsCredentials::current() const {
  std::lock_guard lock(mutex_);
  return context_;
}

}  // namespace cv::http
