#include "common/config.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace stip {

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return (value != nullptr && *value != '\0') ? std::string(value) : fallback;
}

bool EnvBool(const char* name, bool fallback) {
  std::string value = absl::AsciiStrToLower(EnvOr(name, ""));
  if (value.empty()) return fallback;
  return value == "1" || value == "true" || value == "yes" || value == "on";
}

int EnvInt(const char* name, int fallback) {
  int parsed = 0;
  return absl::SimpleAtoi(EnvOr(name, ""), &parsed) ? parsed : fallback;
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

std::string DefaultSeedDir() { return EnvOr("STIP_SEED_DIR", STIP_SOURCE_DATA_DIR); }

}  // namespace stip
