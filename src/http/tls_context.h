// TLS for the HTTP server: the certificate and key it presents, in an OpenSSL context set up
// as Mozilla's "intermediate" profile asks (TLS 1.2 and 1.3 only, AEAD ciphers with forward
// secrecy, ALPN "http/1.1", session tickets), and swapped whole on reload.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "core/error.h"

namespace boost::asio::ssl {
class context;
}

namespace cv::http {

// A certificate chain and its private key, both PEM files, made into a server context.
// InvalidArgument naming the file and OpenSSL's reason when a file cannot be read or parsed,
// or the key does not belong to the certificate.
Result<std::shared_ptr<boost::asio::ssl::context>> make_tls_context(
    const std::filesystem::path& cert_file, const std::filesystem::path& key_file);

// The server's TLS credentials, reloadable while it serves. Thread-safe: current() and
// reload() may be called from any thread at once. A connection takes current() once, when it
// is accepted, and holds that context (shared ownership) for its whole life, so a reload
// changes what new connections present and nothing else.
class TlsCredentials {
 public:
  // Loads the pair (as make_tls_context).
  static Result<std::shared_ptr<TlsCredentials>> load(std::filesystem::path cert_file,
                                                      std::filesystem::path key_file);

  // Reads both files again. On failure the current context stays in use and the error is
  // returned (the caller logs it).
  Status reload();

  // The context new connections use; never null.
  std::shared_ptr<boost::asio::ssl::context> current() const;

  const std::filesystem::path& cert_file() const { return cert_file_; }
  const std::filesystem::path& key_file() const { return key_file_; }

 private:
  TlsCredentials(std::filesystem::path cert_file, std::filesystem::path key_file,
                 std::shared_ptr<boost::asio::ssl::context> context);

  const std::filesystem::path cert_file_;
  const std::filesystem::path key_file_;
  mutable std::mutex mutex_;
  std::shared_ptr<boost::asio::ssl::context> context_;
};

}  // namespace cv::http
