#pragma once
// Errors a user can act on: bad configs, bad data files, schedules that cannot work.
// The CLI prints what() as one line on stderr and exits with code 2.
#include <stdexcept>
#include <string>

namespace hyperpush {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace hyperpush
