#include "common/defer.h"

#include <string>

#include <gtest/gtest.h>

namespace chosen {
namespace {

TEST(DeferTest, RunsNowWithoutAScope) {
  std::string log;
  Defer([&] { log += "a"; });
  EXPECT_EQ(log, "a");
}

TEST(DeferTest, RunsWhenTheInnermostScopeEndsInOrder) {
  std::string log;
  {
    DeferScope outer;
    Defer([&] { log += "1"; });
    {
      DeferScope inner;
      Defer([&] { log += "2"; });
      Defer([&] { log += "3"; });
      EXPECT_EQ(log, "");
    }
    EXPECT_EQ(log, "23");
    // What deferred work defers goes to the scope outside it.
    Defer([&] {
      log += "4";
      Defer([&] { log += "5"; });
    });
    EXPECT_EQ(log, "23");
  }
  EXPECT_EQ(log, "23145");
  Defer([&] { log += "6"; });
  EXPECT_EQ(log, "231456");
}

}  // namespace
}  // namespace chosen
