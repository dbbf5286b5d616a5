// CSV (or .xlsx) import and export of enterprises, filings and records (Chinese headers). The reader is incremental:
// bytes go in as they arrive, complete rows come out, so a 100,000-row file never sits in memory. Rows are written in
// batches, each batch one transaction; every row is accepted or rejected with row, column and reason.
#ifndef STIP_SERVICES_CULTIVATION_CSV_H_
#define STIP_SERVICES_CULTIVATION_CSV_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/tables/table_file.h"
#include "services/cultivation/domain/text_decoder.h"
#include "services/cultivation/store/cultivation_store.h"

namespace stip::cultivation {

// RFC 4180 rows from a UTF-8 byte stream: quoted fields may hold commas, quotes ("") and newlines; CRLF or LF;
// a UTF-8 BOM at the start is skipped; a header line with tabs and no commas makes the file tab-separated.
class CsvReader {
 public:
  void Feed(absl::string_view bytes);
  void Finish() { finished_ = true; }
  // The next complete row; false when more bytes are needed (or, after Finish, at the end).
  bool Next(std::vector<std::string>* row);
  size_t buffered() const { return buffer_.size() - position_; }

 private:
  std::string buffer_;
  size_t position_ = 0;
  bool finished_ = false;
  bool bom_checked_ = false;
  char delimiter_ = 0;  // decided from the header line: a tab for Excel's "Unicode 文本", else a comma
};

enum class CsvKindCode { kEnterprises = 1, kFilings = 2, kRecords = 3 };

// The header line of the template.
std::string CsvTemplate(CsvKindCode kind);

struct RowRejectionInfo {
  int64_t row = 0;
  std::string column;
  std::string reason;
};

// What a dry run says one row would do.
struct RowPreviewInfo {
  int64_t row = 0;
  WriteOutcome outcome = WriteOutcome::kUnchanged;  // kRejected rows are in `rejections`
  std::vector<std::string> changed;                 // on update: the headers of the columns that change
};

struct ImportSummary {
  int64_t rows = 0;
  int64_t created = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;
  int64_t rejected = 0;
  std::vector<RowRejectionInfo> rejections;  // at most kMaxListedRejections
  bool truncated = false;
  std::string encoding;                 // the file's: UTF-8, GB18030 or UTF-16
  std::vector<RowPreviewInfo> preview;  // dry run: per row (at most kMaxListedRejections)
};

inline constexpr size_t kMaxListedRejections = 10000;

class CsvImport {
 public:
  // Extra checks on a filing (consistency, expert-score caps): (column key, reason) pairs.
  using FilingCheck = std::function<std::vector<std::pair<std::string, std::string>>(int year, const FilingData&)>;

  CsvImport(CsvKindCode kind, CultivationStore* store, const std::map<std::string, std::string>* org_units,
            std::string scope_org_unit, bool dry_run, FilingCheck check);
  // Parses and writes every complete row in `bytes`. Errors are about the file as a whole (bad header) or
  // storage; row problems become rejections.
  absl::Status Feed(absl::string_view bytes);
  absl::Status Finish();
  const ImportSummary& summary() const { return summary_; }
  // For an .xlsx: the worksheet to read ("" = the first).
  void set_sheet(std::string sheet) { sheet_ = std::move(sheet); }

 private:
  static constexpr size_t kMaxWorkbookBytes = size_t{64} << 20;
  absl::Status FeedText(absl::string_view bytes);
  absl::Status FinishWorkbook();
  absl::Status Drain();
  absl::Status Header(const std::vector<std::string>& row);
  void Row(const std::vector<std::string>& row);
  void RecordRow(const std::vector<std::string>& row, const std::string& uscc);
  absl::Status Flush();
  absl::StatusOr<std::vector<RowWrite>> Write();
  void Reject(int64_t row, std::string column, std::string reason);
  const std::string* Cell(const std::vector<std::string>& row, const std::string& key) const;

  CsvKindCode kind_;
  CultivationStore* store_;
  const std::map<std::string, std::string>* org_units_;
  std::string scope_org_unit_;
  bool dry_run_;
  FilingCheck check_;
  bool sniffed_ = false;  // the first bytes were looked at: text, or an .xlsx (PK…)
  bool xlsx_ = false;
  std::string workbook_;  // an .xlsx as it arrives (or the first bytes, before sniffing)
  std::string sheet_;
  TextDecoder decoder_;
  CsvReader reader_;
  bool have_header_ = false;
  std::map<std::string, size_t> columns_;       // key → index
  std::map<std::string, std::string> headers_;  // key → header as written
  std::set<std::string> wan_yuan_columns_;      // money columns headed in 万元
  int64_t row_number_ = 0;
  std::vector<EnterpriseRecord> enterprise_batch_;
  std::vector<FilingRecord> filing_batch_;
  std::vector<DatedRecord> record_batch_;
  std::vector<int64_t> batch_rows_;
  ImportSummary summary_;
};

// Export in the import format, one line at a time (records: every enterprise's, `year` ignored).
absl::Status ExportCsv(CsvKindCode kind, CultivationStore* store, const std::map<std::string, std::string>& org_units,
                       const std::string& org_unit, int year, const std::function<void(std::string)>& sink);

}  // namespace stip::cultivation

#endif  // STIP_SERVICES_CULTIVATION_CSV_H_
