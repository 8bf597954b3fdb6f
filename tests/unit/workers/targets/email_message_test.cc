// The e-mail people receive, and the shared summary texts.
#include "workers/notify/targets/email_message.h"

#include <gtest/gtest.h>

#include "core/encoding.h"
#include "workers/notify/targets/message_text.h"

namespace cv::workers::notify {
namespace {

NotificationMessage upload(std::string key = "photos/a.jpg") {
  NotificationMessage m;
  m.event_name = "s3:ObjectCreated:Put";
  m.bucket = "backup";
  m.key = std::move(key);
  m.size = 3'245'123;
  m.etag = "abc123";
  m.principal = "alice";
  m.time = from_unix_nanos(int64_t{1764950523} * 1'000'000'000);
  m.console_url = "https://vault.example.com/_console/#/b/backup/photos/";
  return m;
}

std::string header(const std::string& mail, const std::string& name) {
  const size_t start = mail.find("\r\n" + name + ": ");
  if (start == std::string::npos)
    return mail.starts_with(name + ": ")
               ? mail.substr(name.size() + 2, mail.find("\r\n") - name.size() - 2)
               : "";
  const size_t value = start + 4 + name.size();
  return mail.substr(value, mail.find("\r\n", value) - value);
}

TEST(MessageText, HumanSizes) {
  EXPECT_EQ(human_size(0), "0 bytes");
  EXPECT_EQ(human_size(1), "1 byte");
  EXPECT_EQ(human_size(999), "999 bytes");
  EXPECT_EQ(human_size(3'245'123), "3.2 MB");
  EXPECT_EQ(human_size(12'000'000'000), "12 GB");
  EXPECT_EQ(human_size(999'999), "1.0 MB");
}

TEST(MessageText, Headlines) {
  EXPECT_EQ(headline(upload()), "Uploaded photos/a.jpg to backup (3.2 MB)");
  NotificationMessage removed = upload();
  removed.event_name = "ObjectRemoved:Delete";
  EXPECT_EQ(headline(removed), "Deleted photos/a.jpg from backup");
  NotificationMessage test;
  test.event_name = "s3:TestEvent";
  EXPECT_EQ(headline(test), "CloudVault test notification");
}

TEST(MessageText, ConsoleLinkPointsAtTheObjectsFolder) {
  EXPECT_EQ(console_object_url("https://v.example/", "my-bucket", "a b/c#d/e.jpg"),
            "https://v.example/_console/#/b/my-bucket/a%20b/c%23d/");
  EXPECT_EQ(console_object_url("http://h:9000", "b", "top.txt"), "http://h:9000/_console/#/b/b/");
  EXPECT_EQ(console_object_url("", "b", "k"), "");
}

TEST(Email, HeadersAndReadableBody) {
  const std::string mail =
      compose_email(upload(), {"cv@example.com", {"me@example.com", "you@example.com"}, "mail"},
                    from_unix_nanos(int64_t{1764950523} * 1'000'000'000), "abc@example.com");
  EXPECT_EQ(header(mail, "Date"), "Fri, 05 Dec 2025 16:02:03 +0000");
  EXPECT_EQ(header(mail, "From"), "CloudVault <cv@example.com>");
  EXPECT_NE(mail.find("To: me@example.com,\r\n you@example.com\r\n"), std::string::npos);
  EXPECT_EQ(header(mail, "Subject"), "Uploaded photos/a.jpg to backup (3.2 MB)");
  EXPECT_EQ(header(mail, "Message-ID"), "<abc@example.com>");
  EXPECT_EQ(header(mail, "MIME-Version"), "1.0");
  EXPECT_EQ(header(mail, "Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(header(mail, "Content-Transfer-Encoding"), "quoted-printable");
  const std::string body = mail.substr(mail.find("\r\n\r\n") + 4);
  EXPECT_NE(body.find("Uploaded photos/a.jpg to backup (3.2 MB)."), std::string::npos);
  EXPECT_NE(body.find("Size:    3.2 MB (3,245,123 bytes)"), std::string::npos);
  EXPECT_NE(body.find("By:      alice"), std::string::npos);
  EXPECT_NE(body.find("When:    2025-12-05 16:02:03 UTC"), std::string::npos);
  EXPECT_NE(body.find("https://vault.example.com/_console/#/b/backup/photos/"), std::string::npos);
  // Every line ends with CRLF and fits in 78 characters.
  size_t start = 0;
  while (start < mail.size()) {
    const size_t end = mail.find("\r\n", start);
    ASSERT_NE(end, std::string::npos);
    EXPECT_LE(end - start, 78u) << mail.substr(start, end - start);
    EXPECT_EQ(mail.substr(start, end - start).find('\n'), std::string::npos);
    start = end + 2;
  }
}

TEST(Email, NonAsciiAndLongSubjectsAreEncodedWordsThatDecodeBack) {
  const std::string key = "Fotos/Ärger über Öl – 日本語のファイル名はとても長いです.jpg";
  const std::string mail =
      compose_email(upload(key), {"cv@example.com", {"me@example.com"}, "mail"}, from_unix_nanos(0),
                    "x@example.com");
  const size_t start = mail.find("\r\nSubject: ") + 11;
  const size_t end = mail.find("\r\nMessage-ID:");
  std::string subject = mail.substr(start, end - start);
  std::string decoded;
  size_t pos = 0;
  while ((pos = subject.find("=?UTF-8?B?", pos)) != std::string::npos) {
    const size_t close = subject.find("?=", pos + 10);
    ASSERT_NE(close, std::string::npos);
    ASSERT_LE(close + 2 - pos, 75u);
    const auto bytes = base64_decode(subject.substr(pos + 10, close - pos - 10));
    ASSERT_TRUE(bytes.has_value());
    ASSERT_TRUE(is_valid_utf8(*bytes)) << "a word split a character";
    decoded += *bytes;
    pos = close + 2;
  }
  EXPECT_EQ(decoded, "Uploaded " + key + " to backup (3.2 MB)");
}

TEST(Email, HeaderInjectionThroughTheKeyIsImpossible) {
  const std::string mail =
      compose_email(upload("a\r\nBcc: evil@example.com\r\n.jpg"),
                    {"cv@example.com", {"me@example.com"}, "mail"}, from_unix_nanos(0), "x@y");
  EXPECT_EQ(mail.find("\r\nBcc:"), std::string::npos);
}

TEST(Email, QuotedPrintable) {
  EXPECT_EQ(quoted_printable("a=b é\n"), "a=3Db =C3=A9\r\n");
  EXPECT_EQ(quoted_printable("trailing \nx"), "trailing=20\r\nx");
  const std::string long_line(200, 'x');
  const std::string encoded = quoted_printable(long_line);
  EXPECT_NE(encoded.find("=\r\n"), std::string::npos);
  std::string joined = encoded;
  for (size_t p; (p = joined.find("=\r\n")) != std::string::npos;) joined.erase(p, 3);
  EXPECT_EQ(joined, long_line);
}

}  // namespace
}  // namespace cv::workers::notify
