#include "services/evaluation/domain/document_library.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/config.h"
#include "common/status.h"
#include "common/status_macros.h"
#include "services/evaluation/domain/access_policy.h"
#include "services/evaluation/domain/carrier_registry.h"

namespace stip::evaluation {
namespace {

// The identity of a seed file's document, checked as it would be when published.
absl::Status Identify(absl::string_view kind, const DataFile& file, StoredDocument& doc) {
  if (kind == kRubricDoc) {
    absl::StatusOr<Rubric> rubric = ParseRubric(file.contents);
    if (!rubric.ok()) return absl::InvalidArgumentError(absl::StrCat(file.path, ": ", rubric.status().message()));
    doc.id = rubric->rubric;
    doc.version = rubric->version;
    return absl::OkStatus();
  }
  absl::StatusOr<PerformanceScheme> scheme = ParsePerformanceScheme(file.contents);
  if (!scheme.ok()) return absl::InvalidArgumentError(absl::StrCat(file.path, ": ", scheme.status().message()));
  if (scheme->version < 1) return absl::InvalidArgumentError(absl::StrCat(file.path, ": \"version\" must be ≥ 1"));
  doc.id = scheme->scheme;
  doc.version = scheme->version;
  return absl::OkStatus();
}

}  // namespace

absl::Status DocumentLibrary::Seed(const std::string& seed_dir) {
  for (const auto& [dir, kind] :
       {std::pair{std::string("/rubrics"), kRubricDoc}, std::pair{std::string("/performance"), kSchemeDoc}}) {
    STIP_ASSIGN_OR_RETURN(std::vector<DataFile> files, ReadDataFiles(seed_dir + dir));
    for (const DataFile& file : files) {
      StoredDocument doc;
      doc.kind = std::string(kind);
      STIP_RETURN_IF_ERROR(Identify(kind, file, doc));
      doc.json = file.contents;
      doc.origin = absl::StrCat("file:", std::filesystem::path(file.path).filename().string());
      doc.creator = "seed";
      doc.create_time = absl::Now();
      absl::Status added = store_->AddDocument(doc);
      if (!added.ok() && added.code() != absl::StatusCode::kAlreadyExists) return added;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<RubricVersion>> DocumentLibrary::RubricVersions(absl::string_view rubric) const {
  STIP_ASSIGN_OR_RETURN(std::vector<StoredDocument> docs, store_->ListDocuments(kRubricDoc, rubric));
  std::vector<RubricVersion> out;
  for (StoredDocument& doc : docs) {
    STIP_ASSIGN_OR_RETURN(Rubric parsed, ParseRubric(doc.json));
    out.push_back({std::move(parsed), std::move(doc)});
  }
  return out;
}

absl::StatusOr<RubricVersion> DocumentLibrary::RubricVersionNamed(absl::string_view rubric,
                                                                  absl::string_view version) const {
  STIP_ASSIGN_OR_RETURN(std::vector<RubricVersion> versions, RubricVersions(rubric));
  auto named = std::find_if(versions.rbegin(), versions.rend(), [&](const RubricVersion& v) {
    return version == "latest" || version == absl::StrCat(v.rubric.version);
  });
  if (named != versions.rend()) return *named;
  return NotFound("评价标准版本 rubric version", absl::StrCat("rubrics/", rubric, "/versions/", version));
}

absl::StatusOr<RubricVersion> DocumentLibrary::PublishRubric(const Caller& caller, Rubric rubric) {
  STIP_RETURN_IF_ERROR(AccessPolicy::CanPublish(caller));
  STIP_ASSIGN_OR_RETURN(std::vector<StoredDocument> existing, store_->ListDocuments(kRubricDoc, rubric.rubric));
  if (rubric.version == 0) rubric.version = existing.empty() ? 1 : existing.back().version + 1;
  if (std::vector<Violation> v = ValidateRubric(rubric); !v.empty()) return ViolationsStatus(v);
  StoredDocument doc{std::string(kRubricDoc), rubric.rubric, rubric.version, RubricToJson(rubric), "api",
                     caller.subject,          absl::Now()};
  STIP_RETURN_IF_ERROR(store_->AddDocument(doc));
  if (notifier_ != nullptr) notifier_->Publish("evaluation");
  return RubricVersion{std::move(rubric), std::move(doc)};
}

absl::StatusOr<std::vector<PerformanceScheme>> DocumentLibrary::Schemes(absl::string_view scheme) const {
  STIP_ASSIGN_OR_RETURN(std::vector<StoredDocument> docs, scheme.empty() ? store_->ListAllDocuments(kSchemeDoc)
                                                                         : store_->ListDocuments(kSchemeDoc, scheme));
  std::map<std::string, std::vector<PerformanceScheme>> by_id;
  for (const StoredDocument& doc : docs) {
    STIP_ASSIGN_OR_RETURN(PerformanceScheme parsed, ParsePerformanceScheme(doc.json));
    parsed.version = doc.version;
    by_id[doc.id].push_back(std::move(parsed));
  }
  std::vector<PerformanceScheme> out;
  for (auto& [id, versions] : by_id) {
    for (auto& v : versions) out.push_back(std::move(v));  // ascending version within a scheme
  }
  return out;
}

absl::StatusOr<std::vector<SchemeVersion>> DocumentLibrary::SchemeVersions(absl::string_view scheme) const {
  STIP_ASSIGN_OR_RETURN(std::vector<StoredDocument> docs, store_->ListDocuments(kSchemeDoc, scheme));
  if (docs.empty()) return NotFound("绩效评价方案 performance scheme", absl::StrCat("performanceSchemes/", scheme));
  std::vector<SchemeVersion> out;
  for (StoredDocument& doc : docs) {
    absl::StatusOr<PerformanceScheme> parsed = ParsePerformanceScheme(doc.json);
    out.push_back({parsed.ok() ? std::optional<PerformanceScheme>(*parsed) : std::nullopt, std::move(doc)});
  }
  return out;
}

absl::StatusOr<SchemeVersion> DocumentLibrary::PublishScheme(const Caller& caller, absl::string_view scheme,
                                                             int version, const std::string& json) {
  STIP_RETURN_IF_ERROR(AccessPolicy::CanPublish(caller));
  absl::StatusOr<PerformanceScheme> parsed = ParsePerformanceScheme(json);
  if (!parsed.ok()) return InvalidField("scheme_version.definition_json", std::string(parsed.status().message()));
  if (parsed->scheme != scheme) {
    return InvalidField("scheme_version.definition_json",
                        absl::StrCat("\"scheme\" is '", parsed->scheme, "' but the parent is '", scheme, "'"));
  }
  STIP_ASSIGN_OR_RETURN(std::vector<StoredDocument> existing, store_->ListDocuments(kSchemeDoc, scheme));
  if (version == 0) version = existing.empty() ? 1 : existing.back().version + 1;
  StoredDocument doc{std::string(kSchemeDoc), std::string(scheme), version, json, "api", caller.subject, absl::Now()};
  STIP_RETURN_IF_ERROR(store_->AddDocument(doc));
  if (notifier_ != nullptr) notifier_->Publish("evaluation");
  return SchemeVersion{*parsed, std::move(doc)};
}

}  // namespace stip::evaluation
