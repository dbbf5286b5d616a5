#include "services/cultivation/domain/csv.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/cultivation/domain/spreadsheet_cells.h"
#include "services/cultivation/domain/uscc.h"
#include "services/cultivation/domain/xlsx_sheet.h"

namespace stip::cultivation {
namespace {

constexpr size_t kBatchRows = 1000;

struct Column {
  const char* key;
  const char* header;
  bool required;
};

const std::vector<Column>& EnterpriseColumns() {
  static const auto* columns = new std::vector<Column>{{"uscc", "统一社会信用代码", true},
                                                       {"name", "企业名称", true},
                                                       {"registration_date", "注册日期", true},
                                                       {"org_unit", "所属街道园区", true},
                                                       {"industry", "行业", true},
                                                       {"tech_field", "技术领域", false},
                                                       {"status", "状态", false},
                                                       {"independent_legal_person", "独立法人", false},
                                                       {"resident_enterprise", "居民企业", false},
                                                       {"registered_in_tianjin", "注册地在天津", false},
                                                       {"prohibited_catalogue", "禁止限制淘汰类产品", false}};
  return *columns;
}

// 是/否 (also 1/0, Y/N, true/false); empty = not recorded. False when the text is none of these.
bool ParseYesNo(const std::string& text, std::optional<bool>* out) {
  if (text.empty()) return true;
  static const FilingField kYesNo{"", "", FieldType::kBool};
  absl::StatusOr<std::optional<FieldValue>> value = ParseFieldText(kYesNo, text);
  if (!value.ok() || !value->has_value()) return false;
  *out = std::get<bool>(**value);
  return true;
}

std::vector<Column> FilingColumns() {
  std::vector<Column> columns{{"uscc", "统一社会信用代码", true}, {"year", "年度", true}};
  for (const FilingField& field : FilingFields()) columns.push_back({field.key, field.header, false});
  return columns;
}

std::vector<Column> RecordColumnsWithKey() {
  std::vector<Column> columns{{"uscc", "统一社会信用代码", true}};
  for (const auto& [key, header] : RecordColumns()) columns.push_back({key, header, std::string(key) == "kind"});
  return columns;
}

std::vector<Column> ColumnsOf(CsvKindCode kind) {
  if (kind == CsvKindCode::kRecords) return RecordColumnsWithKey();
  return kind == CsvKindCode::kEnterprises ? EnterpriseColumns() : FilingColumns();
}

// The template's header of a column key (a changed column the file did not have keeps its stored value).
std::string HeaderOf(CsvKindCode kind, const std::string& key) {
  for (const Column& column : ColumnsOf(kind)) {
    if (key == column.key) return column.header;
  }
  return key;
}

}  // namespace

void CsvReader::Feed(absl::string_view bytes) {
  if (position_ > 0 && position_ >= buffer_.size() / 2) {
    buffer_.erase(0, position_);
    position_ = 0;
  }
  buffer_.append(bytes.data(), bytes.size());
  if (!bom_checked_ && buffer_.size() >= 3) {
    if (buffer_.compare(0, 3, "\xEF\xBB\xBF") == 0) position_ = 3;
    bom_checked_ = true;
  }
}

bool CsvReader::Next(std::vector<std::string>* row) {
  if (!bom_checked_ && !finished_) return false;
  if (delimiter_ == 0) {
    size_t end = buffer_.find('\n', position_);
    if (end == std::string::npos && !finished_) return false;
    absl::string_view header = absl::string_view(buffer_).substr(position_, end - position_);
    delimiter_ =
        header.find('\t') != absl::string_view::npos && header.find(',') == absl::string_view::npos ? '\t' : ',';
  }
  row->clear();
  std::string field;
  bool quoted = false;
  bool field_was_quoted = false;
  size_t i = position_;
  while (i < buffer_.size()) {
    char c = buffer_[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 >= buffer_.size() && !finished_) return false;  // "" might straddle the chunk boundary
        if (i + 1 < buffer_.size() && buffer_[i + 1] == '"') {
          field.push_back('"');
          i += 2;
          continue;
        }
        quoted = false;
        ++i;
        continue;
      }
      field.push_back(c);
      ++i;
      continue;
    }
    if (c == '"' && field.empty() && !field_was_quoted) {
      quoted = true;
      field_was_quoted = true;
      ++i;
      continue;
    }
    if (c == delimiter_) {
      row->push_back(std::move(field));
      field.clear();
      field_was_quoted = false;
      ++i;
      continue;
    }
    if (c == '\n' || c == '\r') {
      if (c == '\r') {
        if (i + 1 >= buffer_.size() && !finished_) return false;
        if (i + 1 < buffer_.size() && buffer_[i + 1] == '\n') ++i;
      }
      row->push_back(std::move(field));
      position_ = i + 1;
      return true;
    }
    field.push_back(c);
    ++i;
  }
  if (!finished_) return false;
  if (i == position_ && row->empty()) return false;  // nothing left
  row->push_back(std::move(field));
  position_ = buffer_.size();
  return true;
}

std::string CsvTemplate(CsvKindCode kind) {
  std::vector<std::string> headers;
  for (const Column& column : ColumnsOf(kind)) headers.emplace_back(column.header);
  return CsvLine(headers);
}

CsvImport::CsvImport(CsvKindCode kind, CultivationStore* store, const std::map<std::string, std::string>* org_units,
                     std::string scope_org_unit, bool dry_run, FilingCheck check)
    : kind_(kind),
      store_(store),
      org_units_(org_units),
      scope_org_unit_(std::move(scope_org_unit)),
      dry_run_(dry_run),
      check_(std::move(check)) {}

absl::Status CsvImport::Feed(absl::string_view bytes) {
  if (!sniffed_) {  // a workbook is read whole at the end: a ZIP's directory is at its end
    workbook_.append(bytes.data(), bytes.size());
    if (workbook_.size() < 4) return absl::OkStatus();
    sniffed_ = true;
    xlsx_ = LooksLikeXlsx(workbook_);
    if (xlsx_) return absl::OkStatus();
    std::string text = std::move(workbook_);
    workbook_.clear();
    return FeedText(text);
  }
  if (xlsx_) {
    if (workbook_.size() + bytes.size() > kMaxWorkbookBytes) {
      return absl::InvalidArgumentError(absl::StrCat("工作簿超过 ", kMaxWorkbookBytes >> 20,
                                                     " MB：请分成几个文件导入，或另存为 CSV 后导入（CSV 不限大小）"));
    }
    workbook_.append(bytes.data(), bytes.size());
    return absl::OkStatus();
  }
  return FeedText(bytes);
}

absl::Status CsvImport::FinishWorkbook() {
  absl::Status drained = absl::OkStatus();
  int pending = 0;
  absl::Status read = ReadXlsxRows(workbook_, sheet_, [&](const std::vector<std::string>& row) {
    reader_.Feed(CsvLine(row));
    if (++pending >= 500) {
      pending = 0;
      drained = Drain();
    }
    return drained.ok();
  });
  workbook_.clear();
  if (!read.ok()) return read;
  return drained;
}

absl::Status CsvImport::FeedText(absl::string_view bytes) {
  absl::StatusOr<std::string> text = decoder_.Feed(bytes);
  if (!text.ok()) return text.status();
  reader_.Feed(*text);
  return Drain();
}

absl::Status CsvImport::Finish() {
  if (!sniffed_ && !workbook_.empty()) {  // fewer than 4 bytes in all: text
    std::string rest = std::move(workbook_);
    workbook_.clear();
    sniffed_ = true;
    if (absl::Status fed = FeedText(rest); !fed.ok()) return fed;
  }
  if (xlsx_) {
    if (absl::Status read = FinishWorkbook(); !read.ok()) return read;
    summary_.encoding = "xlsx";
  } else {
    absl::StatusOr<std::string> text = decoder_.Finish();
    if (!text.ok()) return text.status();
    reader_.Feed(*text);
    summary_.encoding = decoder_.encoding_name();
  }
  reader_.Finish();
  if (absl::Status status = Drain(); !status.ok()) return status;
  if (!have_header_) return absl::InvalidArgumentError("CSV 文件为空：第一行应为表头（见模板）");
  return Flush();
}

absl::Status CsvImport::Drain() {
  std::vector<std::string> row;
  while (reader_.Next(&row)) {
    if (!have_header_) {
      if (absl::Status status = Header(row); !status.ok()) return status;
      have_header_ = true;
      continue;
    }
    ++row_number_;
    bool blank = true;
    for (const std::string& cell : row) blank = blank && absl::StripAsciiWhitespace(cell).empty();
    if (blank) {
      --row_number_;
      continue;
    }
    ++summary_.rows;
    for (std::string& cell : row) NormalizeSpreadsheetCell(&cell);
    Row(row);
    if (batch_rows_.size() >= kBatchRows) {
      if (absl::Status status = Flush(); !status.ok()) return status;
    }
  }
  return absl::OkStatus();
}

absl::Status CsvImport::Header(const std::vector<std::string>& row) {
  std::vector<Column> columns = ColumnsOf(kind_);
  for (size_t i = 0; i < row.size(); ++i) {
    std::string header(absl::StripAsciiWhitespace(row[i]));
    const Column* match = nullptr;
    bool wan_yuan = false;
    for (const Column& column : columns) {
      if (header == column.header || header == column.key) match = &column;
      if (IsWanYuanHeader(header, column.header)) match = &column, wan_yuan = true;
    }
    if (match == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("第", i + 1, "列表头“", header, "”不是模板中的列（见 GetCsvTemplate）"));
    }
    if (columns_.count(match->key) > 0) return absl::InvalidArgumentError(absl::StrCat("表头“", header, "”重复"));
    columns_[match->key] = i;
    headers_[match->key] = header;
    if (wan_yuan) wan_yuan_columns_.insert(match->key);
  }
  for (const Column& column : columns) {
    if (column.required && columns_.count(column.key) == 0) {
      return absl::InvalidArgumentError(absl::StrCat("缺少必填列“", column.header, "”"));
    }
  }
  return absl::OkStatus();
}

const std::string* CsvImport::Cell(const std::vector<std::string>& row, const std::string& key) const {
  auto it = columns_.find(key);
  if (it == columns_.end() || it->second >= row.size()) return nullptr;
  return &row[it->second];
}

void CsvImport::Reject(int64_t row, std::string column, std::string reason) {
  ++summary_.rejected;
  if (summary_.rejections.size() < kMaxListedRejections) {
    summary_.rejections.push_back({row, std::move(column), std::move(reason)});
  } else {
    summary_.truncated = true;
  }
}

void CsvImport::Row(const std::vector<std::string>& row) {
  if (row.size() != columns_.size()) {
    Reject(row_number_, "", absl::StrCat("列数为", row.size(), "，表头为", columns_.size(), "列"));
    return;
  }
  auto header = [&](const std::string& key) { return headers_.count(key) ? headers_.at(key) : key; };
  auto text = [&](const std::string& key) {
    const std::string* cell = Cell(row, key);
    return cell == nullptr ? std::string() : std::string(absl::StripAsciiWhitespace(*cell));
  };
  std::string uscc = NormalizeUscc(text("uscc"));
  if (absl::Status status = ValidateUscc(uscc); !status.ok()) {
    Reject(row_number_, header("uscc"), std::string(status.message()));
    return;
  }
  if (kind_ == CsvKindCode::kRecords) return RecordRow(row, uscc);
  if (kind_ == CsvKindCode::kEnterprises) {
    EnterpriseRecord record;
    record.uscc = uscc;
    record.name = text("name");
    if (record.name.empty()) return Reject(row_number_, header("name"), "企业名称不能为空");
    record.registration_date = text("registration_date");
    if (!ParseDate(record.registration_date))
      return Reject(row_number_, header("registration_date"), "日期格式应为YYYY-MM-DD");
    std::string unit = text("org_unit");
    for (const auto& [code, name] : *org_units_) {
      if (unit == name) unit = code;
    }
    if (org_units_->count(unit) == 0) return Reject(row_number_, header("org_unit"), "不是东丽区的街道或园区：" + unit);
    record.org_unit = unit;
    record.industry = text("industry");
    if (!IsIndustry(record.industry))
      return Reject(row_number_, header("industry"), "不是规定的行业：" + record.industry);
    record.tech_field = text("tech_field");
    if (!record.tech_field.empty() && !IsHighTechField(record.tech_field)) {
      return Reject(row_number_, header("tech_field"), "不是国家重点支持的八大高新技术领域之一");
    }
    std::optional<EnterpriseStatus> status = ParseEnterpriseStatus(text("status"));
    if (!status) return Reject(row_number_, header("status"), "状态应为存续、迁出或注销");
    record.status = *status;
    for (auto [key, flag] : {std::pair{"independent_legal_person", &record.facts.independent_legal_person},
                             std::pair{"resident_enterprise", &record.facts.resident_enterprise},
                             std::pair{"registered_in_tianjin", &record.facts.registered_in_tianjin},
                             std::pair{"prohibited_catalogue", &record.facts.prohibited_catalogue}}) {
      std::optional<bool> value;
      if (!ParseYesNo(text(key), &value)) return Reject(row_number_, header(key), "应填“是”或“否”（或留空）");
      *flag = value;
    }
    enterprise_batch_.push_back(std::move(record));
    batch_rows_.push_back(row_number_);
    return;
  }
  FilingRecord record;
  record.uscc = uscc;
  int year = 0;
  if (!absl::SimpleAtoi(text("year"), &year) || year < 1990 || year > 2100) {
    return Reject(row_number_, header("year"), "年度应为四位年份");
  }
  record.year = year;
  for (const FilingField& field : FilingFields()) {
    const std::string* cell = Cell(row, field.key);
    if (cell == nullptr) continue;
    absl::StatusOr<std::string> yuan = *cell;
    if (wan_yuan_columns_.count(field.key) > 0) yuan = WanYuanToYuan(*cell);
    if (!yuan.ok()) return Reject(row_number_, header(field.key), std::string(yuan.status().message()));
    absl::StatusOr<std::optional<FieldValue>> value = ParseFieldText(field, *yuan);
    if (!value.ok()) return Reject(row_number_, header(field.key), std::string(value.status().message()));
    if (value->has_value()) record.data[field.key] = **value;
  }
  std::vector<std::pair<std::string, std::string>> problems = CheckFiling(record.data);
  if (check_) {
    std::vector<std::pair<std::string, std::string>> more = check_(year, record.data);
    problems.insert(problems.end(), more.begin(), more.end());
  }
  if (!problems.empty()) return Reject(row_number_, header(problems.front().first), problems.front().second);
  filing_batch_.push_back(std::move(record));
  batch_rows_.push_back(row_number_);
}

void CsvImport::RecordRow(const std::vector<std::string>& row, const std::string& uscc) {
  auto header = [&](const std::string& key) { return headers_.count(key) ? headers_.at(key) : key; };
  DatedRecord record;
  record.uscc = uscc;
  for (const auto& [key, zh] : RecordColumns()) {
    const std::string* cell = Cell(row, key);
    if (cell == nullptr) continue;
    absl::Status set = SetRecordCell(record, key, absl::StripAsciiWhitespace(*cell));
    if (!set.ok()) return Reject(row_number_, header(key), std::string(set.message()));
  }
  std::vector<std::pair<std::string, std::string>> problems = CheckRecord(record);
  if (!problems.empty()) return Reject(row_number_, header(problems.front().first), problems.front().second);
  record_batch_.push_back(std::move(record));
  batch_rows_.push_back(row_number_);
}

absl::StatusOr<std::vector<RowWrite>> CsvImport::Write() {
  switch (kind_) {
    case CsvKindCode::kEnterprises: return store_->ImportEnterprises(enterprise_batch_, scope_org_unit_, dry_run_);
    case CsvKindCode::kFilings: return store_->ImportFilings(filing_batch_, scope_org_unit_, dry_run_);
    case CsvKindCode::kRecords: return store_->ImportRecords(record_batch_, scope_org_unit_, dry_run_);
  }
  return absl::InternalError("unknown CSV kind");
}

absl::Status CsvImport::Flush() {
  if (batch_rows_.empty()) return absl::OkStatus();
  absl::StatusOr<std::vector<RowWrite>> written = Write();  // a dry run decides the same way, then rolls back
  if (!written.ok()) return written.status();
  std::vector<RowWrite>& results = *written;
  for (size_t i = 0; i < results.size(); ++i) {
    if (dry_run_ && results[i].outcome != WriteOutcome::kRejected && summary_.preview.size() < kMaxListedRejections) {
      RowPreviewInfo preview{batch_rows_[i], results[i].outcome, {}};
      for (const std::string& key : results[i].changed) {
        preview.changed.push_back(headers_.count(key) > 0 ? headers_.at(key) : HeaderOf(kind_, key));
      }
      summary_.preview.push_back(std::move(preview));
    }
    switch (results[i].outcome) {
      case WriteOutcome::kCreated: ++summary_.created; break;
      case WriteOutcome::kUpdated: ++summary_.updated; break;
      case WriteOutcome::kUnchanged: ++summary_.unchanged; break;
      case WriteOutcome::kRejected: Reject(batch_rows_[i], results[i].column, results[i].reason); break;
    }
  }
  enterprise_batch_.clear();
  filing_batch_.clear();
  record_batch_.clear();
  batch_rows_.clear();
  return absl::OkStatus();
}

absl::Status ExportCsv(CsvKindCode kind, CultivationStore* store, const std::map<std::string, std::string>& org_units,
                       const std::string& org_unit, int year, const std::function<void(std::string)>& sink) {
  sink(CsvTemplate(kind));
  if (kind == CsvKindCode::kEnterprises) {
    return store->ForEachEnterprise(org_unit, [&](const EnterpriseRecord& r) {
      auto yes_no = [](const std::optional<bool>& v) { return v ? std::string(*v ? "是" : "否") : std::string(); };
      sink(CsvLine({r.uscc, r.name, r.registration_date, r.org_unit, r.industry, r.tech_field,
                    EnterpriseStatusName(r.status), yes_no(r.facts.independent_legal_person),
                    yes_no(r.facts.resident_enterprise), yes_no(r.facts.registered_in_tianjin),
                    yes_no(r.facts.prohibited_catalogue)}));
    });
  }
  if (kind == CsvKindCode::kRecords) {
    return store->ForEachRecord(org_unit, [&](const DatedRecord& r) {
      std::vector<std::string> fields{r.uscc};
      for (std::string& cell : RecordCells(r)) fields.push_back(std::move(cell));
      sink(CsvLine(fields));
    });
  }
  return store->ForEachFiling(org_unit, year, [&](const FilingRecord& r) {
    std::vector<std::string> fields{r.uscc, absl::StrCat(r.year)};
    for (const FilingField& field : FilingFields()) {
      auto it = r.data.find(field.key);
      fields.push_back(it == r.data.end() ? std::string() : FieldText(it->second));
    }
    sink(CsvLine(fields));
  });
}

}  // namespace stip::cultivation
