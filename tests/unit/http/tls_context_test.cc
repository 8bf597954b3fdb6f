// TlsCredentials and make_self_signed_certificate: real OpenSSL contexts over real files.
#include "http/tls_context.h"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio/ssl/context.hpp>
#include <filesystem>
#include <fstream>
#include <random>

#include "http/self_signed_certificate.h"

namespace cv::http {
namespace {

namespace fs = std::filesystem;

class TempFolder {
 public:
  TempFolder() {
    std::random_device random;
    path_ = fs::temp_directory_path() / ("cv-tls-test-" + std::to_string(random()));
    fs::create_directories(path_);
  }
  ~TempFolder() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

void write(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }

// The serial of the certificate a context presents, as hex.
std::string serial_of(boost::asio::ssl::context& context) {
  X509* cert = SSL_CTX_get0_certificate(context.native_handle());
  if (!cert) return {};
  BIGNUM* serial = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr);
  char* hex = BN_bn2hex(serial);
  std::string out(hex);
  OPENSSL_free(hex);
  BN_free(serial);
  return out;
}

std::string alt_names(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (!cert) return "unreadable";
  std::string out;
  auto* names =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; names && i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    if (!out.empty()) out += ",";
    if (name->type == GEN_DNS) {
      out += "DNS:" +
             std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(name->d.dNSName)),
                         ASN1_STRING_length(name->d.dNSName));
    } else if (name->type == GEN_IPADD) {
      out += "IP:" + std::to_string(ASN1_STRING_length(name->d.iPAddress)) + "bytes";
    }
  }
  GENERAL_NAMES_free(names);
  X509_free(cert);
  return out;
}

TEST(SelfSignedCertificateTest, NamesTheHostAndLoopbackAddresses) {
  auto local = make_self_signed_certificate("localhost", 30);
  ASSERT_TRUE(local) << local.error().message;
  EXPECT_EQ(alt_names(local->certificate_pem), "DNS:localhost,IP:4bytes,IP:16bytes");
  EXPECT_NE(local->private_key_pem.find("BEGIN PRIVATE KEY"), std::string::npos);

  auto ip = make_self_signed_certificate("127.0.0.1", 30);
  ASSERT_TRUE(ip);
  EXPECT_EQ(alt_names(ip->certificate_pem), "IP:4bytes,IP:16bytes,DNS:localhost");

  auto dns = make_self_signed_certificate("vault.example.test", 30);
  ASSERT_TRUE(dns);
  EXPECT_EQ(alt_names(dns->certificate_pem), "DNS:vault.example.test");
}

TEST(SelfSignedCertificateTest, RefusesBadInput) {
  EXPECT_EQ(make_self_signed_certificate("", 30).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(make_self_signed_certificate("a b", 30).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(make_self_signed_certificate("ok.test", 0).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(make_self_signed_certificate("ok.test", 3651).error().code,
            ErrorCode::kInvalidArgument);
}

TEST(TlsCredentialsTest, LoadsReloadsAndKeepsTheOldPairOnABadReload) {
  TempFolder folder;
  const fs::path cert = folder.path() / "cert.pem";
  const fs::path key = folder.path() / "key.pem";
  auto first = make_self_signed_certificate("localhost", 30);
  ASSERT_TRUE(first);
  write(cert, first->certificate_pem);
  write(key, first->private_key_pem);
  auto credentials = TlsCredentials::load(cert, key);
  ASSERT_TRUE(credentials) << credentials.error().message;
  const std::shared_ptr<boost::asio::ssl::context> held = (*credentials)->current();
  const std::string first_serial = serial_of(*held);
  ASSERT_FALSE(first_serial.empty());
  EXPECT_GE(SSL_CTX_get_min_proto_version(held->native_handle()), TLS1_2_VERSION);

  // A new pair: new connections get it, a context already taken is untouched.
  auto second = make_self_signed_certificate("localhost", 30);
  ASSERT_TRUE(second);
  write(cert, second->certificate_pem);
  write(key, second->private_key_pem);
  ASSERT_TRUE((*credentials)->reload());
  const std::string second_serial = serial_of(*(*credentials)->current());
  EXPECT_NE(second_serial, first_serial);
  EXPECT_EQ(serial_of(*held), first_serial);

  // A key that is not the certificate's: refused, the current pair stays.
  write(key, first->private_key_pem);
  auto mismatched = (*credentials)->reload();
  ASSERT_FALSE(mismatched);
  EXPECT_NE(mismatched.error().message.find("does not belong"), std::string::npos);
  EXPECT_EQ(serial_of(*(*credentials)->current()), second_serial);

  // Garbage or a missing file: likewise.
  write(cert, "not a certificate");
  EXPECT_FALSE((*credentials)->reload());
  fs::remove(cert);
  EXPECT_FALSE((*credentials)->reload());
  EXPECT_EQ(serial_of(*(*credentials)->current()), second_serial);
}

TEST(TlsCredentialsTest, LoadFailsOnMissingFiles) {
  TempFolder folder;
  auto missing = TlsCredentials::load(folder.path() / "no-cert.pem", folder.path() / "no-key.pem");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(missing.error().message.find("no-cert.pem"), std::string::npos);
}

}  // namespace
}  // namespace cv::http
