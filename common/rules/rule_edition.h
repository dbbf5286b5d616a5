// A rule edition: one policy text's criteria as data (thresholds never live in code). Parsed from the JSON
// format documented in common/rules/README.md. Plain C++: no gRPC, no storage.
#ifndef STIP_COMMON_RULES_RULE_EDITION_H_
#define STIP_COMMON_RULES_RULE_EDITION_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/rules/rational.h"

namespace stip::rules {

// The criteria file's source tags: [V] [P] [R] [INFERRED] [MISSING].
enum class SourceStatus { kVerified, kPartial, kRecalled, kInferred, kMissing };

absl::string_view SourceStatusTag(SourceStatus status);  // "V", "P", "R", "INFERRED", "MISSING"

// How a value is shown to a person; also decides what "the next step up" is for strict comparisons.
enum class Unit { kNumber, kYuan, kRatio, kCount, kBool, kDays, kYears, kPoints, kText };

enum class Op { kGe, kGt, kLe, kLt, kEq, kNe, kIn };

// A threshold that depends on another metric, e.g. H5a: the R&D ratio required depends on sales revenue.
struct Band {
  std::optional<Rational> max;  // upper bound of the band metric; nullopt = unbounded
  bool max_inclusive = true;    // "5000万元(含)": the bound belongs to this (lower) band
  Rational threshold;
  std::string label;  // optional zh text for the band
};

struct Criterion {
  enum class Kind { kCompare, kAllOf, kAnyOf, kAtLeast };

  std::string id;
  std::string description;  // zh-CN
  std::string source;       // document and clause
  SourceStatus status = SourceStatus::kVerified;
  bool provisional = false;  // true for [R]/[INFERRED]/[MISSING] or when the edition is provisional
  Kind kind = Kind::kCompare;

  // kCompare
  std::string metric;
  Op op = Op::kGe;
  // nullopt only for a provisional criterion whose threshold is not published ([MISSING]): it evaluates to
  // kUnknown, never to a pass.
  std::optional<Rational> threshold;
  std::vector<std::string> values;  // Op::kIn
  Unit unit = Unit::kNumber;
  std::string band_metric;  // when non-empty, the threshold comes from `bands`
  Unit band_unit = Unit::kNumber;
  std::vector<Band> bands;

  // groups
  int at_least = 0;  // kAtLeast
  std::vector<Criterion> children;
};

// A metric computed from other metrics inside the edition (score tables, sums), so that the point values
// are data too.
struct Step {
  Rational min;
  bool exclusive = false;  // value > min instead of value >= min
  Rational points_low;     // "points": 9, or a band an expert picks inside: "points": [9, 10]
  Rational points_high;
};

// How many of a subject's dated records (awards, certificates, standards …) qualify, so that an edition states
// windows and qualifying levels as data and the caller computes nothing of the policy (criteria.md,
// conventions for encoding, 4). Every set condition must hold; an empty list means any.
struct RecordQuery {
  std::string kind;                    // certificate, award, contest, standard, plan_project, rd_institution, …
  std::vector<std::string> types;      // certificate or violation type
  std::vector<std::string> levels;     // international, national, provincial, industry, local, group, enterprise
  std::optional<int> within_years;     // "近五年": Y − record year ≤ N, for application year Y
  std::optional<int> max_rank;         // awards: "排名前三" = 3
  std::string min_prize;               // contests: first > second > third > excellence > finalist
  std::vector<std::string> roles;      // standards: lead, participant
  std::optional<Rational> min_amount;  // venture investments, yuan
  bool valid_on_as_of = false;         // certificates and institutions: in force on the as-of date
};

struct DerivedMetric {
  enum class Kind { kStep, kSum, kMax, kMin, kRange, kRecords };
  std::string name;
  std::string description;
  Kind kind = Kind::kStep;
  Unit unit = Unit::kNumber;        // for the explanation
  std::string input;                // kStep
  std::vector<Step> steps;          // kStep, highest first
  Rational otherwise;               // kStep: points when no step matches
  std::vector<std::string> inputs;  // kSum, kMax, kMin
  std::optional<Rational> cap;      // kSum: a block total capped (高企 知识产权 ≤ 30)
  Rational range_low;               // kRange: a score only an expert gives, [low, high] until recorded
  Rational range_high;
  RecordQuery records;  // kRecords: the count of qualifying records
  // A recorded expert score that replaces the computed band once present; it must lie inside the band.
  std::string expert;
};

// Bounds of a value entered by a person (e.g. expert sub-scores capped at 30/30/20).
struct InputCap {
  std::string metric;
  std::string description;
  Rational min;
  Rational max;
  bool integer = false;
};

struct RuleEdition {
  std::string program;         // tech_sme, chuying, dengling, lingjun_peiyu, lingjun, high_tech, ...
  std::string edition;         // national-2017, tianjin-2021, ...
  std::string title;           // zh title of the programme
  std::string document;        // governing document
  std::string effective_from;  // YYYY-MM-DD
  bool provisional = false;    // the whole edition is a placeholder
  bool requires_site_visit = false;
  std::optional<int> validity_years;  // how long a certification lasts
  std::string validity_note;
  std::vector<std::string> notes;
  std::vector<DerivedMetric> derived;
  std::vector<InputCap> inputs;
  Criterion root;  // an all-of group over the top-level criteria

  // Every criterion id, depth first.
  std::vector<const Criterion*> Flatten() const;
  bool AnyProvisional() const;
};

// Parses and validates an edition; errors are INVALID_ARGUMENT naming the JSON path.
absl::StatusOr<RuleEdition> ParseRuleEdition(absl::string_view json);

// "name/edition" key used by registries.
std::string EditionKey(absl::string_view program, absl::string_view edition);

}  // namespace stip::rules

#endif  // STIP_COMMON_RULES_RULE_EDITION_H_
