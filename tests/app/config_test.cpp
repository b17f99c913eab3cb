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
}

}  // namespace
}  // namespace hyperpush::app
