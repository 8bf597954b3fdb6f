#include "http/self_signed_certificate.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <boost/asio/ip/address.hpp>
#include <memory>

namespace cv::http {
namespace {

template <auto Free>
struct Deleter {
  template <class T>
  void operator()(T* p) const {
    Free(p);
  }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, Deleter<X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free>>;
using BignumPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION_free>>;

std::unexpected<Error> openssl_failure(std::string_view step) {
  std::string message = "cannot make the certificate (" + std::string(step) + ")";
  if (const unsigned long code = ERR_get_error()) {
    char text[256];
    ERR_error_string_n(code, text, sizeof(text));
    message += ": " + std::string(text);
  }
  ERR_clear_error();
  return fail(ErrorCode::kInternalError, message);
}

bool valid_dns_name(const std::string& host) {
  if (host.empty() || host.size() > 253) return false;
  for (const char c : host) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '.' || c == '*';
    if (!ok) return false;
  }
  return true;
}

Status add_extension(X509* cert, X509V3_CTX& ctx, int nid, const std::string& value) {
  ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  if (!extension || X509_add_ext(cert, extension.get(), -1) != 1) {
    return openssl_failure("extension " + value);
  }
  return {};
}

Result<std::string> bio_text(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  if (size <= 0) return openssl_failure("PEM output");
  return std::string(data, static_cast<size_t>(size));
}

}  // namespace

Result<SelfSignedCertificate> make_self_signed_certificate(const std::string& host, int days) {
  if (days < 1 || days > 3650) {
    return fail(ErrorCode::kInvalidArgument, "--days must be 1-3650");
  }
  boost::system::error_code not_ip;
  const boost::asio::ip::address ip = boost::asio::ip::make_address(host, not_ip);
  if (not_ip && !valid_dns_name(host)) {
    return fail(ErrorCode::kInvalidArgument,
                "--host must be a DNS name or an IP address, not '" + host + "'");
  }
  ERR_clear_error();

  KeyPtr key(EVP_EC_gen("P-256"));
  if (!key) return openssl_failure("P-256 key");
  CertPtr cert(X509_new());
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1) {
    return openssl_failure("certificate");
  }

  // A random positive 127-bit serial: a re-made certificate never repeats one.
  unsigned char serial_bytes[16];
  if (RAND_bytes(serial_bytes, sizeof(serial_bytes)) != 1) return openssl_failure("serial");
  serial_bytes[0] &= 0x7f;
  serial_bytes[0] |= 0x01;
  BignumPtr serial(BN_bin2bn(serial_bytes, sizeof(serial_bytes), nullptr));
  if (!serial || !BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get()))) {
    return openssl_failure("serial");
  }
  // Valid from a minute ago, so that a client whose clock is slightly behind accepts it.
  if (!X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60) ||
      !X509_gmtime_adj(X509_getm_notAfter(cert.get()), static_cast<long>(days) * 86400)) {
    return openssl_failure("validity");
  }
  X509_NAME* name = X509_get_subject_name(cert.get());
  const std::string common_name = host.substr(0, 64);
  if (X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                                 reinterpret_cast<const unsigned char*>("CloudVault (self-signed)"),
                                 -1, -1, 0) != 1 ||
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                 reinterpret_cast<const unsigned char*>(common_name.c_str()), -1,
                                 -1, 0) != 1 ||
      X509_set_issuer_name(cert.get(), name) != 1 || X509_set_pubkey(cert.get(), key.get()) != 1) {
    return openssl_failure("names");
  }

  std::string alt_names = not_ip ? "DNS:" + host : "IP:" + ip.to_string();
  const bool loopback = host == "localhost" || (!not_ip && ip.is_loopback());
  if (loopback) {
    if (host != "127.0.0.1") alt_names += ",IP:127.0.0.1";
    if (host != "::1") alt_names += ",IP:::1";
    if (host != "localhost") alt_names += ",DNS:localhost";
  }
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
  CV_TRY(add_extension(cert.get(), ctx, NID_basic_constraints, "critical,CA:FALSE"));
  CV_TRY(add_extension(cert.get(), ctx, NID_key_usage, "critical,digitalSignature"));
  CV_TRY(add_extension(cert.get(), ctx, NID_ext_key_usage, "serverAuth"));
  CV_TRY(add_extension(cert.get(), ctx, NID_subject_key_identifier, "hash"));
  CV_TRY(add_extension(cert.get(), ctx, NID_subject_alt_name, alt_names));
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) return openssl_failure("signature");

  BioPtr cert_bio(BIO_new(BIO_s_mem()));
  BioPtr key_bio(BIO_new(BIO_s_mem()));
  if (!cert_bio || !key_bio || PEM_write_bio_X509(cert_bio.get(), cert.get()) != 1 ||
      PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) !=
          1) {
    return openssl_failure("PEM output");
  }
  SelfSignedCertificate out;
  out.certificate_pem = CV_TRY(bio_text(cert_bio.get()));
  out.private_key_pem = CV_TRY(bio_text(key_bio.get()));
  return out;
}

}  // namespace cv::http
