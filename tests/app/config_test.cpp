// Config parsing: sections, overrides and paths; errors that name the file, line and key
// and say what is valid; values at the edges of their declared ranges; keys that are not declared.
#include "hyperpush/app/config.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "hyperpush/error.hpp"

namespace hyperpush::app {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using ::testing::StrEq;
using ::testing::ThrowsMessage;

// The message of the Error that parsing `text` as "exp/run.toml" throws.
std::string parse_error(const std::string& text, const std::vector<std::string>& overrides = {}) {
  try {
    Config::parse(text, "exp/run.toml", overrides);
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitBadInput);
    return e.what();
  }
  ADD_FAILURE() << "parsed: " << text;
  return "";
}

TEST(Config, SectionsAndTopLevelKeysAreReadAndOverridesComeLast) {
  const Config config =
      Config::parse("agents = 4\n[topology]\nkind = \"directed-ring\"\n[inner]\nstep = 1\n",
                    "exp/run.toml", {"agents=6"});
  EXPECT_EQ(config.integer("agents"), 6);
  EXPECT_EQ(config.string("topology.kind"), "directed-ring");
  EXPECT_EQ(config.real("inner.step"), 1.0);                // an integer where a number is declared
  EXPECT_EQ(config.string("inner.solver"), "push-diging");  // not given: the declared default
  EXPECT_EQ(config.source(), "exp/run.toml");
}

TEST(Config, ErrorsNameTheFileLineKeyAndWhatIsValid) {
  EXPECT_THAT(parse_error("[inner]\nsolvr = \"sgp\"\n"),
              StartsWith("exp/run.toml:2: unknown key 'inner.solvr' (did you mean "
                         "'inner.solver'?); valid keys here: "));
  EXPECT_THAT(parse_error("\n[inner]\nsolver = \"newton\"\n"),
              StrEq("exp/run.toml:3: key 'inner.solver' = \"newton\" is not valid; valid: exact, "
                    "sgp, gradient-push, push-diging"));
  EXPECT_THAT(parse_error("agents = \"four\"\n"),
              StartsWith("exp/run.toml:1: key 'agents' must be an integer, got string"));
  EXPECT_THAT(parse_error("agents = -1\n"),
              StartsWith("exp/run.toml:1: key 'agents' = -1 is out of range; valid: [0, "));
  EXPECT_THAT(parse_error("[nosuch]\nkey = 1\n"),
              StartsWith("exp/run.toml:2: unknown section [nosuch]; valid sections: "));
  EXPECT_THAT(parse_error("agents = \n"), StartsWith("exp/run.toml:1:"));
  EXPECT_THAT(parse_error("agents = \n"), HasSubstr(": TOML syntax error: "));
  EXPECT_THAT(parse_error("", {"agents"}),
              StrEq("--set agents: expected key=value, for example --set "
                    "topology.kind=directed-ring"));
}

TEST(Config, RelativePathsResolveAgainstTheConfigFileOrTheWorkingDirectory) {
  const std::string text = "[problem]\nfile = \"problems/p.json\"\n";
  EXPECT_EQ(Config::parse(text, "exp/run.toml", {}).path("problem.file"), "exp/problems/p.json");
  EXPECT_EQ(Config::parse(text, "run.toml", {}).path("problem.file"), "problems/p.json");
  // A --set path is the user's, typed relative to where the command runs.
  EXPECT_EQ(Config::parse(text, "exp/run.toml", {"problem.file=q.json"}).path("problem.file"),
            "q.json");
  EXPECT_EQ(Config::parse(text, "exp/run.toml", {"problem.file=/abs/q.json"}).path("problem.file"),
            "/abs/q.json");
  EXPECT_EQ(Config::defaults().path("problem.file"), "");  // not given: no path
}

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
