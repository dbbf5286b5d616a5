#include "gateway/path_template.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace stip::gateway {
namespace {

absl::Status Bad(absl::string_view text, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("path template \"", text, "\": ", why));
}

bool IsFieldPath(absl::string_view path) {
  if (path.empty()) return false;
  for (absl::string_view part : absl::StrSplit(path, '.')) {
    if (part.empty() || !(absl::ascii_isalpha(part[0]) || part[0] == '_')) return false;
    for (char c : part) {
      if (!absl::ascii_isalnum(c) && c != '_') return false;
    }
  }
  return true;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> PercentDecode(absl::string_view text, bool keep_slash, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      int hi = HexValue(text[i + 1]);
      int lo = HexValue(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      char decoded = static_cast<char>(hi * 16 + lo);
      if (keep_slash && decoded == '/') {
        out.append(text.substr(i, 3).data(), 3);
      } else {
        out.push_back(decoded);
      }
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string PercentEncode(absl::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

absl::StatusOr<PathTemplate> PathTemplate::Parse(absl::string_view text) {
  PathTemplate result;
  result.text_ = std::string(text);
  if (text.empty() || text[0] != '/') return Bad(text, "must start with '/'");
  absl::string_view rest = text.substr(1);
  // The verb: a ':' after the last '/' and outside braces.
  size_t depth = 0, verb_at = absl::string_view::npos;
  for (size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] == '{')
      ++depth;
    else if (rest[i] == '}') {
      if (depth == 0) return Bad(text, "unbalanced '}'");
      --depth;
    } else if (rest[i] == '/' && depth == 0)
      verb_at = absl::string_view::npos;
    else if (rest[i] == ':' && depth == 0)
      verb_at = i;
  }
  if (depth != 0) return Bad(text, "unbalanced '{'");
  if (verb_at != absl::string_view::npos) {
    result.verb_ = std::string(rest.substr(verb_at + 1));
    if (result.verb_.empty()) return Bad(text, "empty verb");
    rest = rest.substr(0, verb_at);
  }
  // Split on '/' outside braces.
  std::vector<absl::string_view> parts;
  size_t start = 0;
  depth = 0;
  for (size_t i = 0; i <= rest.size(); ++i) {
    if (i == rest.size() || (rest[i] == '/' && depth == 0)) {
      parts.push_back(rest.substr(start, i - start));
      start = i + 1;
    } else if (rest[i] == '{') {
      ++depth;
    } else if (rest[i] == '}') {
      --depth;
    }
  }
  auto add_plain = [&](absl::string_view part) -> absl::Status {
    if (part.empty()) return Bad(text, "empty segment");
    if (part == "*") {
      result.segments_.push_back({Kind::kWildcard, ""});
    } else if (part == "**") {
      result.segments_.push_back({Kind::kDoubleWildcard, ""});
    } else {
      if (part.find_first_of("{}*=") != absl::string_view::npos) return Bad(text, "bad literal segment");
      result.segments_.push_back({Kind::kLiteral, std::string(part)});
    }
    return absl::OkStatus();
  };
  for (absl::string_view part : parts) {
    if (!part.empty() && part.front() == '{') {
      if (part.back() != '}') return Bad(text, "a variable must be a whole segment");
      absl::string_view inner = part.substr(1, part.size() - 2);
      size_t eq = inner.find('=');
      Variable variable;
      variable.field_path = std::string(inner.substr(0, eq));
      if (!IsFieldPath(variable.field_path)) return Bad(text, "bad field path in variable");
      variable.begin = result.segments_.size();
      if (eq == absl::string_view::npos) {
        result.segments_.push_back({Kind::kWildcard, ""});
      } else {
        absl::string_view sub = inner.substr(eq + 1);
        if (sub.find_first_of("{}") != absl::string_view::npos) return Bad(text, "nested variables");
        for (absl::string_view sub_part : absl::StrSplit(sub, '/')) {
          absl::Status status = add_plain(sub_part);
          if (!status.ok()) return status;
        }
      }
      variable.end = result.segments_.size();
      result.variables_.push_back(std::move(variable));
    } else {
      absl::Status status = add_plain(part);
      if (!status.ok()) return status;
    }
  }
  int double_wildcards = 0;
  for (const Segment& segment : result.segments_) double_wildcards += segment.kind == Kind::kDoubleWildcard;
  if (double_wildcards > 1) return Bad(text, "at most one '**'");
  result.has_double_wildcard_ = double_wildcards == 1;
  return result;
}

std::vector<std::string> PathTemplate::variable_fields() const {
  std::vector<std::string> fields;
  for (const Variable& variable : variables_) fields.push_back(variable.field_path);
  return fields;
}

int PathTemplate::literal_count() const {
  int count = 0;
  for (const Segment& segment : segments_) count += segment.kind == Kind::kLiteral;
  return count;
}

bool PathTemplate::MatchFrom(const std::vector<absl::string_view>& parts, size_t segment, size_t part,
                             std::vector<std::pair<size_t, size_t>>* spans) const {
  if (segment == segments_.size()) return part == parts.size();
  const Segment& current = segments_[segment];
  switch (current.kind) {
    case Kind::kLiteral:
      if (part >= parts.size() || parts[part] != current.literal) return false;
      (*spans)[segment] = {part, part + 1};
      return MatchFrom(parts, segment + 1, part + 1, spans);
    case Kind::kWildcard:
      if (part >= parts.size() || parts[part].empty()) return false;
      (*spans)[segment] = {part, part + 1};
      return MatchFrom(parts, segment + 1, part + 1, spans);
    case Kind::kDoubleWildcard:
      // Greedy, then give back: '**' matches zero or more segments.
      for (size_t end = parts.size(); end + 1 > part; --end) {
        (*spans)[segment] = {part, end};
        if (MatchFrom(parts, segment + 1, end, spans)) return true;
        if (end == part) break;
      }
      return false;
  }
  return false;
}

std::optional<PathBindings> PathTemplate::Match(absl::string_view path) const {
  if (path.empty() || path[0] != '/') return std::nullopt;
  std::vector<absl::string_view> parts = absl::StrSplit(path.substr(1), '/');
  return MatchParts(parts);
}

std::optional<PathBindings> PathTemplate::MatchParts(const std::vector<absl::string_view>& split) const {
  // Cheap rejections first: the segment count, then the verb.
  if (has_double_wildcard_ ? split.size() + 1 < segments_.size() : split.size() != segments_.size()) {
    return std::nullopt;
  }
  const std::vector<absl::string_view>* parts = &split;
  std::vector<absl::string_view> trimmed;
  if (!verb_.empty()) {
    absl::string_view last = split.back();
    if (last.size() <= verb_.size() + 1 || last[last.size() - verb_.size() - 1] != ':' ||
        last.substr(last.size() - verb_.size()) != verb_) {
      return std::nullopt;
    }
    trimmed = split;
    trimmed.back().remove_suffix(verb_.size() + 1);
    parts = &trimmed;
  }
  std::vector<std::pair<size_t, size_t>> spans(segments_.size());
  if (!MatchFrom(*parts, 0, 0, &spans)) return std::nullopt;
  PathBindings bindings;
  bindings.reserve(variables_.size());
  for (const Variable& variable : variables_) {
    size_t first = spans[variable.begin].first;
    size_t last = variable.end > variable.begin ? spans[variable.end - 1].second : first;
    bool multi = false;
    for (size_t i = variable.begin; i < variable.end; ++i) multi |= segments_[i].kind == Kind::kDoubleWildcard;
    std::vector<absl::string_view> pieces(parts->begin() + first, parts->begin() + last);
    std::optional<std::string> value = PercentDecode(absl::StrJoin(pieces, "/"), /*keep_slash=*/multi);
    if (!value) return std::nullopt;
    bindings.emplace_back(variable.field_path, std::move(*value));
  }
  return bindings;
}

}  // namespace stip::gateway
