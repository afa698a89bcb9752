#include "cli/args.h"

#include <iterator>

namespace engram::cli {

Result<std::string> ReadTextArg(const std::string& value, std::istream& in, std::string_view flag) {
  if (value != "-") return value;
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Status::IOError(std::string(flag) + ": cannot read standard input");
  return text;
}

}  // namespace engram::cli
