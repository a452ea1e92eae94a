#include "http/static_files.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include <gtest/gtest.h>

namespace chosen::http {
namespace {

namespace fs = std::filesystem;

std::string Header(const Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return {};
}

std::string ErrorCodeOf(const Response& r) {
  auto o = ParseJsonObject(r.body);
  if (!o || !o->contains("error")) return {};
  return std::string(o->at("error").at("code").as_string());
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    base_ = fs::temp_directory_path() / ("chosen-static-" + std::to_string(rd()));
    root_ = base_ / "dist";
    fs::create_directories(root_ / "assets");
    Write("index.html", "<!doctype html><title>app</title>");
    Write("assets/index-abc123.js", "console.log(1)");
    Write("assets/index-abc123.css", "body{}");
    Write("favicon.svg", "<svg/>");
    Write("theme.js", "1");
    Write("data.bin", std::string("\0\1\2", 3));
    // A secret beside the web root that no path may reach.
    std::ofstream(base_ / "secret.txt") << "top secret";
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(base_, ec);
  }
  void Write(const std::string& rel, const std::string& content) {
    std::ofstream(root_ / rel, std::ios::binary) << content;
  }
  std::unique_ptr<StaticFiles> Load(StaticFilesOptions options = {}) {
    auto s = StaticFiles::Load(root_, options);
    EXPECT_TRUE(s) << (s ? "" : s.error().message);
    return s ? std::move(*s) : nullptr;
  }
  static Request Get(std::string path, std::string method = "GET") {
    Request r;
    r.method = std::move(method);
    r.raw_path = path;
    r.path = std::move(path);
    return r;
  }

  fs::path base_, root_;
};

TEST_F(StaticFilesTest, ServesFilesWithTheirContentType) {
  auto s = Load();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->file_count(), 6u);
  auto js = s->Serve(Get("/assets/index-abc123.js"));
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.body, "console.log(1)");
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(s->Serve(Get("/assets/index-abc123.css")).content_type, "text/css; charset=utf-8");
  EXPECT_EQ(s->Serve(Get("/favicon.svg")).content_type, "image/svg+xml");
  auto bin = s->Serve(Get("/data.bin"));
  EXPECT_EQ(bin.content_type, "application/octet-stream");
  EXPECT_EQ(bin.body, std::string("\0\1\2", 3));
  EXPECT_EQ(StaticFiles::ContentTypeFor("a/B.WOFF2"), "font/woff2");
  EXPECT_EQ(StaticFiles::ContentTypeFor("noext"), "application/octet-stream");
}

TEST_F(StaticFilesTest, HashedAssetsAreImmutableEverythingElseRevalidates) {
  auto s = Load();
  ASSERT_TRUE(s);
  EXPECT_EQ(Header(s->Serve(Get("/assets/index-abc123.js")), "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(Header(s->Serve(Get("/")), "Cache-Control"), "no-cache");
  EXPECT_EQ(Header(s->Serve(Get("/theme.js")), "Cache-Control"), "no-cache");
  EXPECT_EQ(Header(s->Serve(Get("/contacts/12")), "Cache-Control"), "no-cache");
}

TEST_F(StaticFilesTest, UnknownAppRoutesGetIndexHtmlWithSecurityHeaders) {
  auto s = Load();
  ASSERT_TRUE(s);
  for (const char* path : {"/", "/index.html", "/contacts", "/contacts/12", "/deals/", "/settings"}) {
    auto r = s->Serve(Get(path));
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.body, "<!doctype html><title>app</title>") << path;
    EXPECT_EQ(r.content_type, "text/html; charset=utf-8") << path;
    std::string csp = Header(r, "Content-Security-Policy");
    EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << csp;
    EXPECT_NE(csp.find("script-src 'self';"), std::string::npos) << csp;
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
    EXPECT_EQ(Header(r, "X-Frame-Options"), "DENY");
    EXPECT_EQ(Header(r, "Referrer-Policy"), "same-origin");
  }
  // Scripts do not get the HTML-only headers.
  EXPECT_EQ(Header(s->Serve(Get("/theme.js")), "Content-Security-Policy"), "");
}

TEST_F(StaticFilesTest, MissingFilesAndApiPathsAreJson404s) {
  auto s = Load();
  ASSERT_TRUE(s);
  for (const char* path : {"/assets/missing.js", "/assets/sub", "/missing.png", "/api", "/api/nothing",
                           "/api/contacts/1/x"}) {
    auto r = s->Serve(Get(path));
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.content_type, "application/json") << path;
    EXPECT_EQ(ErrorCodeOf(r), "NOT_FOUND") << path << r.body;
  }
}

TEST_F(StaticFilesTest, OnlyGetAndHead) {
  auto s = Load();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->Serve(Get("/index.html", "HEAD")).status, 200);
  for (const char* m : {"POST", "PUT", "DELETE", "PATCH"}) {
    auto r = s->Serve(Get("/contacts", m));
    EXPECT_EQ(r.status, 405) << m;
    EXPECT_EQ(Header(r, "Allow"), "GET, HEAD");
  }
}

TEST_F(StaticFilesTest, RejectsTraversalAndOddPathsWith400) {
  auto s = Load();
  ASSERT_TRUE(s);
  for (const char* path : {"/../secret.txt", "/assets/../../secret.txt", "/./index.html", "/assets//index-abc123.js",
                           "/a\\b", "//etc/passwd", "/..", "/assets/.."}) {
    auto r = s->Serve(Get(path));
    EXPECT_EQ(r.status, 400) << path;
    EXPECT_EQ(r.body.find("top secret"), std::string::npos);
    EXPECT_EQ(ErrorCodeOf(r), "INVALID_ARGUMENT") << path;
  }
  // Encoded separators and NUL, as sent on the wire.
  for (auto [raw, decoded] : std::initializer_list<std::pair<std::string, std::string>>{
           {"/assets%2Findex-abc123.js", "/assets/index-abc123.js"},
           {"/assets%2findex-abc123.js", "/assets/index-abc123.js"},
           {"/a%5Cb", "/a\\b"},
           {"/index.html%00.png", std::string("/index.html\0.png", 16)}}) {
    Request r = Get(decoded);
    r.raw_path = raw;
    EXPECT_EQ(s->Serve(r).status, 400) << raw;
  }
  EXPECT_EQ(s->Serve(Get("")).status, 400);
  EXPECT_EQ(s->Serve(Get("relative")).status, 400);
  EXPECT_EQ(s->Serve(Get("/" + std::string(2000, 'a'))).status, 400);
  EXPECT_EQ(s->Serve(Get(std::string("/x\x01y", 4))).status, 400);
}

TEST_F(StaticFilesTest, EtagAnswers304WhenUnchanged) {
  auto s = Load();
  ASSERT_TRUE(s);
  auto first = s->Serve(Get("/assets/index-abc123.js"));
  std::string etag = Header(first, "ETag");
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(etag.front(), '"');
  Request again = Get("/assets/index-abc123.js");
  again.if_none_match = etag;
  auto r = s->Serve(again);
  EXPECT_EQ(r.status, 304);
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(Header(r, "ETag"), etag);
  again.if_none_match = "\"other\", W/" + etag;
  EXPECT_EQ(s->Serve(again).status, 304);
  again.if_none_match = "*";
  EXPECT_EQ(s->Serve(again).status, 304);
  again.if_none_match = "\"other\"";
  EXPECT_EQ(s->Serve(again).status, 200);
  // Different content, different tag.
  EXPECT_NE(Header(s->Serve(Get("/theme.js")), "ETag"), etag);
}

TEST_F(StaticFilesTest, FilesAreReadOnceAtLoad) {
  auto s = Load();
  ASSERT_TRUE(s);
  Write("assets/index-abc123.js", "changed on disk");
  fs::remove(root_ / "theme.js");
  EXPECT_EQ(s->Serve(Get("/assets/index-abc123.js")).body, "console.log(1)");
  EXPECT_EQ(s->Serve(Get("/theme.js")).status, 200);
}

TEST_F(StaticFilesTest, LoadRefusesBadRoots) {
  EXPECT_FALSE(StaticFiles::Load(base_ / "nope"));
  EXPECT_FALSE(StaticFiles::Load(base_ / "secret.txt"));
  fs::remove(root_ / "index.html");
  auto no_index = StaticFiles::Load(root_);
  ASSERT_FALSE(no_index);
  EXPECT_NE(no_index.error().message.find("index.html"), std::string::npos);
}

TEST_F(StaticFilesTest, LoadEnforcesSizeBounds) {
  EXPECT_FALSE(StaticFiles::Load(root_, {.max_files = 3}));
  EXPECT_FALSE(StaticFiles::Load(root_, {.max_file_bytes = 10}));
  EXPECT_FALSE(StaticFiles::Load(root_, {.max_total_bytes = 40}));
  EXPECT_TRUE(StaticFiles::Load(root_, {.max_files = 6}));
}

TEST_F(StaticFilesTest, SkipsSymbolicLinks) {
  fs::create_symlink(base_ / "secret.txt", root_ / "linked.txt");
  auto s = Load();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->file_count(), 6u);
  EXPECT_EQ(s->Serve(Get("/linked.txt")).status, 404);
}

TEST_F(StaticFilesTest, AsRouterFallbackKeepsApiRoutesAndJson404s) {
  auto s = Load();
  ASSERT_TRUE(s);
  Router router;
  router.Add("GET", "/api/me", [](const Request&, const PathParams&) { return JsonResponse(200, json::object{}); });
  router.SetFallback(s->AsHandler());
  EXPECT_EQ(router.Dispatch(Get("/api/me")).status, 200);
  // Known API path, wrong method: still the router's 405.
  EXPECT_EQ(router.Dispatch(Get("/api/me", "POST")).status, 405);
  EXPECT_EQ(router.Dispatch(Get("/api/unknown")).status, 404);
  EXPECT_EQ(ErrorCodeOf(router.Dispatch(Get("/api/unknown"))), "NOT_FOUND");
  auto page = router.Dispatch(Get("/tasks"));
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
}

}  // namespace
}  // namespace chosen::http
