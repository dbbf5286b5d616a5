// Tables as the files officers open in Excel or WPS: CSV in UTF-8 with a BOM and CRLF line ends (Excel on Chinese
// Windows reads it as UTF-8, not GBK) or a one-sheet .xlsx. Reports (screening results, alerts, statistics, the
// plan's progress) are built as a Table with Chinese headers by the domain, then rendered here.
#ifndef STIP_COMMON_TABLES_TABLE_FILE_H_
#define STIP_COMMON_TABLES_TABLE_FILE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace stip {

// RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled; a line ends in CRLF.
std::string CsvEscape(absl::string_view field);
std::string CsvLine(const std::vector<std::string>& fields);

struct Table {
  std::string title;        // the file's name without extension, may be Chinese: 预警-huaming-2022
  std::string ascii_title;  // the same for clients that only read a plain filename: alerts-huaming-2022
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  // cells as text; whole numbers become numbers in .xlsx
};

enum class TableFormat { kCsv, kXlsx };

inline constexpr char kCsvContentType[] = "text/csv; charset=utf-8";
inline constexpr char kXlsxContentType[] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

struct TableBytes {
  std::string content_type;
  std::string filename;        // title + extension
  std::string ascii_filename;  // ascii_title + extension
  std::string data;
};

// The whole file in memory: reports are at most some tens of thousands of rows. (The enterprise exports, which may
// be far larger, stream through a temporary file instead.)
absl::StatusOr<TableBytes> RenderTable(const Table& table, TableFormat format);

}  // namespace stip

#endif  // STIP_COMMON_TABLES_TABLE_FILE_H_
