#include "common/tables/xlsx_table.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace stip {
namespace {

// A whole number Excel may show as a number: no leading zero, at most 15 digits (a double holds it exactly).
bool IsWholeNumber(const std::string& text, double* value) {
  absl::string_view digits = text;
  if (!digits.empty() && digits[0] == '-') digits.remove_prefix(1);
  if (digits.empty() || digits.size() > 15 || (digits.size() > 1 && digits[0] == '0')) return false;
  for (char c : digits) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return absl::SimpleAtod(text, value);
}

}  // namespace

absl::StatusOr<std::unique_ptr<XlsxTable>> XlsxTable::Create(const std::string& path, const std::string& sheet) {
  std::unique_ptr<XlsxTable> table(new XlsxTable());
  lxw_workbook_options options = {};
  options.constant_memory = LXW_TRUE;
  table->workbook_ = workbook_new_opt(path.c_str(), &options);
  if (table->workbook_ == nullptr) return absl::InternalError("cannot create the .xlsx export");
  table->sheet_ = workbook_add_worksheet(table->workbook_, sheet.c_str());
  if (table->sheet_ == nullptr) return absl::InternalError("cannot add the .xlsx worksheet");
  table->header_ = workbook_add_format(table->workbook_);
  format_set_bold(table->header_);
  worksheet_freeze_panes(table->sheet_, 1, 0);
  return table;
}

XlsxTable::~XlsxTable() {
  if (workbook_ != nullptr) workbook_close(workbook_);
}

void XlsxTable::AddRow(const std::vector<std::string>& cells) {
  for (size_t c = 0; c < cells.size(); ++c) {
    auto column = static_cast<lxw_col_t>(c);
    double number = 0;
    if (row_ == 0) {
      worksheet_write_string(sheet_, 0, column, cells[c].c_str(), header_);
      // Wide enough for the Chinese header (two columns a character) or an 18-character code.
      worksheet_set_column(sheet_, column, column, std::max<double>(12, cells[c].size() * 2.0 / 3 + 2), nullptr);
    } else if (cells[c].empty()) {
      continue;
    } else if (IsWholeNumber(cells[c], &number)) {
      worksheet_write_number(sheet_, static_cast<lxw_row_t>(row_), column, number, nullptr);
    } else {
      worksheet_write_string(sheet_, static_cast<lxw_row_t>(row_), column, cells[c].c_str(), nullptr);
    }
  }
  ++row_;
}

absl::Status XlsxTable::Close() {
  lxw_error error = workbook_close(workbook_);
  workbook_ = nullptr;
  if (error != LXW_NO_ERROR) return absl::InternalError(absl::StrCat("xlsx: ", lxw_strerror(error)));
  return absl::OkStatus();
}

absl::StatusOr<std::FILE*> XlsxTempFile(const std::function<absl::Status(XlsxTable&)>& fill) {
  char path[] = "/tmp/stip-xlsx-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return absl::InternalError("cannot create a temporary file for the .xlsx");
  close(fd);
  absl::StatusOr<std::unique_ptr<XlsxTable>> table = XlsxTable::Create(path, "stip");
  absl::Status status = table.status();
  if (status.ok()) status = fill(**table);
  if (status.ok()) status = (*table)->Close();
  std::FILE* file = status.ok() ? std::fopen(path, "rb") : nullptr;
  unlink(path);
  if (!status.ok()) return status;
  if (file == nullptr) return absl::InternalError("cannot read the .xlsx back");
  return file;
}

}  // namespace stip
