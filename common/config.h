// Configuration helpers: absl flags whose defaults fall back to STIP_* environment variables.
#ifndef STIP_COMMON_CONFIG_H_
#define STIP_COMMON_CONFIG_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace stip {

// The value of environment variable `name`, or `fallback` when it is unset or empty.
std::string EnvOr(const char* name, const std::string& fallback);
bool EnvBool(const char* name, bool fallback);
int EnvInt(const char* name, int fallback);

// Reads a whole file (secrets, keys, data files).
absl::StatusOr<std::string> ReadFile(const std::string& path);

struct DataFile {
  std::string path;
  std::string contents;
};

// Every regular file ending in `extension` directly in `dir`, sorted by name (NOT_FOUND when `dir` is missing).
// Data files (plans, rule editions, rubrics, seed carriers) are loaded this way so their order is stable.
absl::StatusOr<std::vector<DataFile>> ReadDataFiles(const std::string& dir, absl::string_view extension = ".json");

// Where data files (plans, rule editions, rubrics) live: STIP_SEED_DIR, else the source tree's data/.
std::string DefaultSeedDir();

}  // namespace stip

#endif  // STIP_COMMON_CONFIG_H_
