// A google.api.http path template ("/v1/{name=plans/*/indicators/*}:aggregate") compiled for matching.
#ifndef STIP_GATEWAY_PATH_TEMPLATE_H_
#define STIP_GATEWAY_PATH_TEMPLATE_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace stip::gateway {

// (field path, value) pairs bound by the path variables of one request, values percent-decoded.
using PathBindings = std::vector<std::pair<std::string, std::string>>;

class PathTemplate {
 public:
  // Grammar (google/api/http.proto):
  //   Template = "/" Segments [ Verb ] ; Segments = Segment { "/" Segment } ;
  //   Segment = "*" | "**" | LITERAL | Variable ; Variable = "{" FieldPath [ "=" Segments ] "}" ;
  //   Verb = ":" LITERAL ;
  static absl::StatusOr<PathTemplate> Parse(absl::string_view text);

  // Matches a request path (the part before '?', still percent-encoded). nullopt when it does not match.
  std::optional<PathBindings> Match(absl::string_view path) const;
  // The same, for a path already split on '/' (without the leading '/'): the route table splits once.
  std::optional<PathBindings> MatchParts(const std::vector<absl::string_view>& parts) const;

  const std::string& text() const { return text_; }
  const std::string& verb() const { return verb_; }
  // Field paths of the variables, in order.
  std::vector<std::string> variable_fields() const;
  // Number of literal segments: more literals = more specific.
  int literal_count() const;

 private:
  enum class Kind { kLiteral, kWildcard, kDoubleWildcard };
  struct Segment {
    Kind kind;
    std::string literal;
  };
  struct Variable {
    std::string field_path;
    size_t begin;  // index of the first segment in segments_
    size_t end;    // one past the last
  };

  bool MatchFrom(const std::vector<absl::string_view>& parts, size_t segment, size_t part,
                 std::vector<std::pair<size_t, size_t>>* spans) const;

  std::string text_;
  std::string verb_;
  std::vector<Segment> segments_;
  std::vector<Variable> variables_;
  bool has_double_wildcard_ = false;
};

// Percent-decodes `text`; when `keep_slash` is set, "%2F" stays encoded (multi-segment variables).
// '+' is decoded to a space only when `plus_is_space` (query strings). nullopt on a malformed escape.
std::optional<std::string> PercentDecode(absl::string_view text, bool keep_slash = false, bool plus_is_space = false);
// Percent-encodes everything except unreserved characters (RFC 3986).
std::string PercentEncode(absl::string_view text);

}  // namespace stip::gateway

#endif  // STIP_GATEWAY_PATH_TEMPLATE_H_
