// The engram command: see src/cli/ and docs/CLI.md.
#include "cli/cli.h"

int main(int argc, char** argv) { return engram::cli::Main(argc, argv); }
