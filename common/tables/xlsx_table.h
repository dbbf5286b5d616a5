// A one-sheet .xlsx of text rows, for exports and reports an officer opens in Excel or WPS: the header row bold and
// frozen, whole numbers as numbers (codes such as the 统一社会信用代码 stay text), column widths to fit. Written by
// libxlsxwriter in constant-memory mode, so a 100,000-row export needs no more memory than a small one.
#ifndef STIP_COMMON_TABLES_XLSX_TABLE_H_
#define STIP_COMMON_TABLES_XLSX_TABLE_H_

#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

struct lxw_workbook;
struct lxw_worksheet;
struct lxw_format;

namespace stip {

class XlsxTable {
 public:
  static absl::StatusOr<std::unique_ptr<XlsxTable>> Create(const std::string& path, const std::string& sheet);
  ~XlsxTable();
  XlsxTable(const XlsxTable&) = delete;
  XlsxTable& operator=(const XlsxTable&) = delete;

  void AddRow(const std::vector<std::string>& cells);  // the first row is the header
  absl::Status Close();

 private:
  XlsxTable() = default;
  lxw_workbook* workbook_ = nullptr;
  lxw_worksheet* sheet_ = nullptr;
  lxw_format* header_ = nullptr;
  int row_ = 0;
};

// A one-sheet workbook that `fill` writes, in an unnamed temporary file (already unlinked) opened for reading from
// its start: how an export of any size leaves libxlsxwriter, which writes only to paths.
absl::StatusOr<std::FILE*> XlsxTempFile(const std::function<absl::Status(XlsxTable&)>& fill);

}  // namespace stip

#endif  // STIP_COMMON_TABLES_XLSX_TABLE_H_
