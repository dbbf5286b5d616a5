#include "common/config.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
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

absl::StatusOr<std::vector<DataFile>> ReadDataFiles(const std::string& dir, absl::string_view extension) {
  std::error_code error;
  if (!std::filesystem::is_directory(dir, error)) return absl::NotFoundError(absl::StrCat(dir, " does not exist"));
  std::vector<std::filesystem::path> paths;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    if (entry.is_regular_file() && entry.path().extension().string() == extension) paths.push_back(entry.path());
  }
  if (error) return absl::UnavailableError(absl::StrCat("cannot list ", dir, ": ", error.message()));
  std::sort(paths.begin(), paths.end());
  std::vector<DataFile> files;
  for (const auto& path : paths) {
    absl::StatusOr<std::string> contents = ReadFile(path.string());
    if (!contents.ok()) return contents.status();
    files.push_back({path.string(), std::move(*contents)});
  }
  return files;
}

std::string DefaultSeedDir() {
  return EnvOr("STIP_SEED_DIR", STIP_SOURCE_DATA_DIR);
}

}  // namespace stip
