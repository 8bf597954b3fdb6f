// XmlStream writes byte for byte what XmlWriter and add_text (pugixml) make of the same
// elements: every byte value, empty text, nesting, both root forms, random texts.
#include "s3/xml_stream.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "s3/xml.h"

namespace cv::s3 {
namespace {

// One document both ways: a root with `texts` as <Key> elements, each inside <Contents> with
// an empty <Owner><ID/></Owner>-like group, then a flat <Prefix>.
void expect_same(const std::vector<std::string>& texts, bool with_namespace = true) {
  XmlWriter tree("ListBucketResult", with_namespace);
  XmlStream stream("ListBucketResult", with_namespace);
  for (const std::string& text : texts) {
    auto contents = tree.root().append_child("Contents");
    add_text(contents, "Key", text);
    auto owner = contents.append_child("Owner");
    add_text(owner, "ID", "");
    add_text(owner, "DisplayName", text);
    stream.open("Contents").text("Key", text).open("Owner").text("ID", "");
    stream.text("DisplayName", text).close("Owner").close("Contents");
    add_text(tree.root(), "Prefix", text);
    stream.text("Prefix", text);
  }
  EXPECT_EQ(std::move(stream).finish(), tree.str());
}

TEST(XmlStream, EveryByteValueAloneAndAmongOthers) {
  for (int byte = 0; byte < 256; ++byte) {
    const char c = static_cast<char>(byte);
    SCOPED_TRACE(byte);
    expect_same({std::string(1, c), "a" + std::string(1, c) + "b", std::string(3, c)});
  }
}

TEST(XmlStream, EmptyDocumentsAndTexts) {
  expect_same({});
  expect_same({""});
  expect_same({}, false);
  expect_same({"&<>\"'", "photos/2026/cat.jpg"}, false);
}

TEST(XmlStream, AnElementWithoutChildrenIsSelfClosed) {
  XmlWriter tree("CopyObjectResult");
  tree.root().append_child("Empty");
  auto group = tree.root().append_child("Group");
  group.append_child("Inner");
  add_text(group, "Text", "");
  XmlStream stream("CopyObjectResult");
  stream.open("Empty").close("Empty").open("Group").open("Inner").close("Inner");
  stream.text("Text", "").close("Group");
  EXPECT_EQ(std::move(stream).finish(), tree.str());
}

TEST(XmlStream, RandomTexts) {
  std::mt19937 random(20261207);
  std::uniform_int_distribution<int> length(0, 40);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int document = 0; document < 200; ++document) {
    std::vector<std::string> texts;
    for (int i = 0; i < 5; ++i) {
      std::string text(static_cast<size_t>(length(random)), '\0');
      for (char& c : text) c = static_cast<char>(byte(random));
      texts.push_back(std::move(text));
    }
    expect_same(texts);
  }
}

}  // namespace
}  // namespace cv::s3
