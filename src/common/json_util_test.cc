#include "common/json_util.h"

#include <cstdint>
#include <limits>
#include <string>

#include <gtest/gtest.h>

namespace chosen {
namespace {

// `depth` nested arrays: depth 2 is "[[]]".
std::string NestedArrays(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }

// `depth` nested objects: depth 2 is {"a":{}}.
std::string NestedObjects(int depth) {
  std::string s;
  for (int i = 1; i < depth; ++i) s += R"({"a":)";
  s += "{}";
  s += std::string(depth - 1, '}');
  return s;
}

TEST(JsonUtilTest, ParsesValidJson) {
  auto v = ParseJson(R"({"name":"Ann","n":3,"tags":["a","b"],"x":null})");
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(v->at("name").as_string(), "Ann");
  EXPECT_EQ(v->at("tags").as_array().size(), 2u);
}

TEST(JsonUtilTest, RejectsMalformedJson) {
  for (const char* body : {"", " ", "{", R"({"a":1,})", R"({"a":1} x)", "{'a':1}", R"({"a":1}{"b":2})",
                           "/* c */ {}", "NaN", R"({"a":01})"}) {
    auto v = ParseJson(body);
    ASSERT_FALSE(v) << "accepted: " << body;
    EXPECT_EQ(v.error().code, ErrorCode::kInvalidArgument) << body;
  }
}

TEST(JsonUtilTest, LimitsNestingDepth) {
  struct Case {
    int depth;
    bool ok;
  };
  const Case cases[] = {{1, true}, {10, true}, {32, true}, {33, false}, {100, false}, {100000, false}};
  for (const auto& c : cases) {
    EXPECT_EQ(static_cast<bool>(ParseJson(NestedArrays(c.depth))), c.ok) << "arrays, depth " << c.depth;
    EXPECT_EQ(static_cast<bool>(ParseJson(NestedObjects(c.depth))), c.ok) << "objects, depth " << c.depth;
  }
}

TEST(JsonUtilTest, ParseJsonObjectRequiresAnObject) {
  EXPECT_TRUE(ParseJsonObject(R"({"a":[1,2]})"));
  EXPECT_TRUE(ParseJsonObject("{}"));
  for (const char* body : {"[]", R"([{"a":1}])", "null", "1", R"("text")", "true", "{"}) {
    auto o = ParseJsonObject(body);
    ASSERT_FALSE(o) << "accepted: " << body;
    EXPECT_EQ(o.error().code, ErrorCode::kInvalidArgument) << body;
  }
}

TEST(JsonUtilTest, GetStringTrimsAndReturnsTheValue) {
  json::object o{{"name", "  Ann Lee \t\n"}, {"city", "Zürich"}};
  auto name = GetString(o, "name", 120);
  ASSERT_TRUE(name);
  ASSERT_TRUE(name->has_value());
  EXPECT_EQ(**name, "Ann Lee");
  EXPECT_EQ(GetString(o, "city", 120).value().value(), "Zürich");
}

TEST(JsonUtilTest, GetStringTreatsAbsentAndNullAsMissing) {
  json::object o{{"a", nullptr}};
  auto absent = GetString(o, "b", 10);
  ASSERT_TRUE(absent);
  EXPECT_FALSE(absent->has_value());
  auto null = GetString(o, "a", 10);
  ASSERT_TRUE(null);
  EXPECT_FALSE(null->has_value());
}

TEST(JsonUtilTest, GetStringLimitsLengthInCharactersAfterTrimming) {
  json::object o{{"exact", "abcde"}, {"long", "abcdef"}, {"padded", "  abcde  "}, {"utf8", "ééé"}};
  EXPECT_TRUE(GetString(o, "exact", 5));
  EXPECT_TRUE(GetString(o, "padded", 5));
  auto long_value = GetString(o, "long", 5);
  ASSERT_FALSE(long_value);
  EXPECT_EQ(long_value.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(long_value.error().field, "long");
  EXPECT_TRUE(GetString(o, "utf8", 3)) << "three two-byte characters are three characters";
  EXPECT_FALSE(GetString(o, "utf8", 2));
}

TEST(JsonUtilTest, CharCountCountsCodePoints) {
  EXPECT_EQ(CharCount(""), 0u);
  EXPECT_EQ(CharCount("abc"), 3u);
  EXPECT_EQ(CharCount("\xc3\xa9t\xc3\xa9"), 3u);            // été
  EXPECT_EQ(CharCount("\xe4\xb8\xad\xf0\x9f\x8f\xa0"), 2u);  // a CJK character and an emoji
}

TEST(JsonUtilTest, GetStringRejectsNonStrings) {
  json::object o{{"n", 1}, {"d", 1.5}, {"b", true}, {"a", json::array{"x"}}, {"o", json::object{{"x", "y"}}}};
  for (const char* key : {"n", "d", "b", "a", "o"}) {
    auto v = GetString(o, key, 100);
    ASSERT_FALSE(v) << key;
    EXPECT_EQ(v.error().code, ErrorCode::kInvalidArgument) << key;
    EXPECT_EQ(v.error().field, key);
  }
}

TEST(JsonUtilTest, GetStringRejectsControlCharactersAndInvalidUtf8) {
  const std::string cases[] = {
      std::string("a\x01" "b"),          // C0 control
      std::string("a\0b", 3),           // NUL
      "a\nb",                           // newline inside a one-line value
      "a\tb",                           // tab inside a one-line value
      "a\x7f" "b",                      // DEL
      "\xC0\xAF",                       // overlong '/' (2 bytes)
      "\xE0\x80\xAF",                   // overlong '/' (3 bytes)
      "\xF0\x80\x80\xAF",               // overlong '/' (4 bytes)
      "\xED\xA0\x80",                   // UTF-16 high surrogate U+D800
      "\xED\xBF\xBF",                   // UTF-16 low surrogate U+DFFF
      "\xF4\x90\x80\x80",               // U+110000, beyond Unicode
      "\xF8\x88\x80\x80\x80",           // five-byte form
      "\x80",                           // lone continuation byte
      "abc\xE2\x82",                    // truncated sequence at the end
      "\xE2\x28\xA1",                   // bad continuation byte
      "\xFF",                           // never valid
  };
  for (const auto& s : cases) {
    json::object o{{"name", json::string(s)}};
    auto v = GetString(o, "name", 100);
    ASSERT_FALSE(v) << "accepted bytes of length " << s.size();
    EXPECT_EQ(v.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(v.error().field, "name");
  }
}

TEST(JsonUtilTest, RequireStringNeedsANonEmptyValue) {
  json::object o{{"name", " Ann "}, {"blank", "   "}, {"null", nullptr}, {"num", 3}};
  EXPECT_EQ(RequireString(o, "name", 10).value(), "Ann");
  for (const char* key : {"blank", "null", "missing", "num"}) {
    auto v = RequireString(o, key, 10);
    ASSERT_FALSE(v) << key;
    EXPECT_EQ(v.error().code, ErrorCode::kInvalidArgument) << key;
    EXPECT_EQ(v.error().field, key);
  }
  EXPECT_FALSE(RequireString(o, "name", 2)) << "the length limit still applies";
}

TEST(JsonUtilTest, GetIntReadsWholeNumbersInRange) {
  auto body = ParseJsonObject(R"({"zero":0,"lo":-5,"hi":10,"three":3.0,"neg":-2.0,"big":9223372036854775807})");
  ASSERT_TRUE(body);
  EXPECT_EQ(GetInt(*body, "zero", 0, 10).value(), 0);
  EXPECT_EQ(GetInt(*body, "lo", -5, 10).value(), -5);
  EXPECT_EQ(GetInt(*body, "hi", -5, 10).value(), 10);
  EXPECT_EQ(GetInt(*body, "three", 0, 10).value(), 3);
  EXPECT_EQ(GetInt(*body, "neg", -10, 10).value(), -2);
  EXPECT_EQ(GetInt(*body, "big", 0, INT64_MAX).value(), INT64_MAX);
  auto absent = GetInt(*body, "missing", 0, 10);
  ASSERT_TRUE(absent);
  EXPECT_FALSE(absent->has_value());
  json::object with_null{{"n", nullptr}};
  EXPECT_FALSE(GetInt(with_null, "n", 0, 10).value().has_value());
}

TEST(JsonUtilTest, GetIntRejectsOutOfRangeFractionalAndNonNumbers) {
  auto body = ParseJsonObject(
      R"({"below":-6,"above":11,"frac":1.5,"tiny":0.0001,"huge_uint":18446744073709551615,)"
      R"("just_over_int64":9223372036854775808,"huge_double":1e300,"str":"5","bool":true,"arr":[1],"obj":{}})");
  ASSERT_TRUE(body) << body.error().message;
  for (const char* key : {"below", "above", "frac", "tiny", "huge_uint", "just_over_int64", "huge_double", "str",
                          "bool", "arr", "obj"}) {
    auto v = GetInt(*body, key, -5, 10);
    ASSERT_FALSE(v) << key;
    EXPECT_EQ(v.error().code, ErrorCode::kInvalidArgument) << key;
    EXPECT_EQ(v.error().field, key);
  }
  // Even with the widest range, numbers beyond int64 are rejected.
  EXPECT_FALSE(GetInt(*body, "huge_uint", INT64_MIN, INT64_MAX));
  EXPECT_FALSE(GetInt(*body, "huge_double", INT64_MIN, INT64_MAX));
  // Values built in code rather than parsed.
  json::object special{{"nan", std::numeric_limits<double>::quiet_NaN()},
                       {"inf", std::numeric_limits<double>::infinity()}};
  EXPECT_FALSE(GetInt(special, "nan", INT64_MIN, INT64_MAX));
  EXPECT_FALSE(GetInt(special, "inf", INT64_MIN, INT64_MAX));
}

TEST(JsonUtilTest, IsCleanTextAcceptsValidUtf8) {
  for (const char* s : {"", "plain", "José Núñez", "日本語", "emoji 😀", "\xF4\x8F\xBF\xBF" /* U+10FFFF */,
                        "\xEF\xBF\xBD" /* U+FFFD */}) {
    EXPECT_TRUE(IsCleanText(s, false)) << s;
    EXPECT_TRUE(IsCleanText(s, true)) << s;
  }
}

TEST(JsonUtilTest, IsCleanTextAllowsLineBreaksAndTabsOnlyWhenMultiline) {
  struct Case {
    std::string text;
    bool single_line;
    bool multiline;
  };
  const Case cases[] = {
      {"line one\nline two", false, true},
      {"windows\r\nline", false, true},
      {"a\tb", false, true},
      {"bell\a", false, false},
      {"esc\x1b[31m", false, false},
      {std::string("nul\0", 4), false, false},
      {"del\x7f", false, false},
      {"\xC2\x85" /* U+0085 NEL, a C1 control */, false, false},
      {"\xC2\x9B" /* U+009B CSI, a C1 control */, false, false},
      {"\xC2\xA0" /* U+00A0 no-break space, not a control */, true, true},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(IsCleanText(c.text, false), c.single_line) << c.text;
    EXPECT_EQ(IsCleanText(c.text, true), c.multiline) << c.text;
  }
}

TEST(JsonUtilTest, TrimsAndLowerCasesAscii) {
  EXPECT_EQ(Trim(" \t\r\n a b \n"), "a b");
  EXPECT_EQ(Trim("   "), "");
  EXPECT_EQ(Trim(""), "");
  EXPECT_EQ(ToLower("Olivia@ACME.Test"), "olivia@acme.test");
  EXPECT_EQ(ToLower("ÉCOLE"), "École") << "only ASCII letters change";
}

TEST(JsonUtilTest, SerialisesCompactly) {
  EXPECT_EQ(ToJson(json::object{{"a", 1}}), R"({"a":1})");
  EXPECT_EQ(ToJson(json::array{1, "x", nullptr}), R"([1,"x",null])");
}

}  // namespace
}  // namespace chosen

namespace chosen {
namespace {

TEST(AppendJsonStringTest, EscapesExactlyAsBoostJsonSerializes) {
  std::vector<std::string> cases = {"", "plain", "quote \" and backslash \\", "tab\tnew\nline\r",
                                    "caf\xc3\xa9 \xf0\x9f\x8f\xa0", std::string("nul\0byte", 8)};
  for (int c = 0; c < 256; ++c) cases.push_back(std::string(1, static_cast<char>(c)) + "x");
  for (const std::string& s : cases) {
    std::string out = "prefix:";
    AppendJsonString(out, s);
    EXPECT_EQ(out, "prefix:" + json::serialize(json::string(s))) << "input of " << s.size() << " bytes";
  }
}

}  // namespace
}  // namespace chosen
