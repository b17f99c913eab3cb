// Config values at the edges of their declared ranges, and keys that are not declared.
#include "hyperpush/app/config.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "hyperpush/error.hpp"

namespace hyperpush::app {
namespace {

using ::testing::StrEq;
using ::testing::ThrowsMessage;

TEST(Config, IntegersCompareAsIntegersAtTheTopOfTheirRange) {
  // 2^53 is the largest seed; 2^53 + 1 rounds to it as a double and must still be refused.
  EXPECT_EQ(Config::defaults({"seed=9007199254740992"}).integer("seed"), 9007199254740992);
  EXPECT_THAT([] { Config::defaults({"seed=9007199254740993"}); },
              ThrowsMessage<Error>(StrEq("--set seed=9007199254740993: key 'seed' = "
                                         "9007199254740993 is out of range; valid: [0, "
                                         "9007199254740992]")));
}

TEST(Config, IntegersBeyondSixtyFourBitsAreOutOfRangeNotNonIntegers) {
  EXPECT_THAT([] { Config::defaults({"seed=18446744073709551615"}); },
              ThrowsMessage<Error>(StrEq("--set seed=18446744073709551615: key 'seed' = "
                                         "18446744073709551615 is out of range; valid: [0, "
                                         "9007199254740992]")));
  EXPECT_THAT(
      [] { Config::defaults({"seed=1.5"}); },
      ThrowsMessage<Error>(StrEq("--set seed=1.5: key 'seed' must be an integer, got '1.5'")));
}

TEST(Config, AKeyThatIsNotDeclaredIsNamed) {
  const Config config = Config::defaults();
  EXPECT_THAT([&] { config.integer("inner.no_such_key"); },
              ThrowsMessage<Error>(StrEq("config: no key 'inner.no_such_key' holding an integer is "
                                         "declared (app/config_keys.cpp)")));
  EXPECT_THAT([&] { config.real("seed"); },  // declared, but an integer
              ThrowsMessage<Error>(StrEq(
                  "config: no key 'seed' holding a number is declared (app/config_keys.cpp)")));
  EXPECT_THAT([&] { config.string("data.no_such_key"); },
              ThrowsMessage<Error>(StrEq("config: no key 'data.no_such_key' holding a string is "
                                         "declared (app/config_keys.cpp)")));
}

// The round trip fuzz/config.cpp checks: a --set string with control characters was written raw
// into config.resolved.toml, which then did not read back.
TEST(Config, TheResolvedConfigReadsBackWhateverCharactersASetGave) {
  const Config config = Config::defaults({"output.dir=a\nb\x01\"c\\d\x7f"});
  const std::string resolved = config.to_toml();
  EXPECT_THAT(resolved, ::testing::HasSubstr("dir = \"a\\u000ab\\u0001\\\"c\\\\d\\u007f\"\n"));
  const Config back = Config::parse(resolved, "config.resolved.toml", {});
  EXPECT_EQ(back.string("output.dir"), "a\nb\x01\"c\\d\x7f");
  EXPECT_EQ(back.to_toml(), resolved);
}

// Found by fuzzing: TOML is UTF-8, so a --set string that is not cannot be written back.
TEST(Config, SetStringsMustBeUtf8) {
  EXPECT_EQ(Config::defaults({"output.dir=r\xc3\xa9sultats"}).string("output.dir"),
            "r\xc3\xa9sultats");
  for (const char* bad : {"\xff", "ab\xc3", "\xed\xa0\x80" /* a surrogate */,
                          "\xc0\xaf" /* overlong */, "\xf4\x90\x80\x80" /* > U+10FFFF */})
    EXPECT_THROW(Config::defaults({std::string("output.dir=") + bad}), Error) << bad;
  EXPECT_THAT([] { Config::defaults({"output.dir=ab\xff"}); },
              ThrowsMessage<Error>(StrEq("--set output.dir=ab\xff: key 'output.dir' must be UTF-8 "
                                         "text; byte 3 of the value is not")));
}

}  // namespace
}  // namespace hyperpush::app
