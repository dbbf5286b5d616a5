#include "common/tables/table_file.h"

#include <cstdio>

#include "common/tables/xlsx_table.h"

namespace stip {
namespace {

absl::StatusOr<std::string> XlsxBytes(const Table& table) {
  absl::StatusOr<std::FILE*> file = XlsxTempFile([&](XlsxTable& sheet) {
    sheet.AddRow(table.header);
    for (const std::vector<std::string>& row : table.rows) sheet.AddRow(row);
    return absl::OkStatus();
  });
  if (!file.ok()) return file.status();
  std::string bytes;
  char buffer[65536];
  for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, *file)) > 0;) bytes.append(buffer, n);
  std::fclose(*file);
  return bytes;
}

}  // namespace

std::string CsvEscape(absl::string_view field) {
  if (field.find_first_of(",\"\r\n") == absl::string_view::npos) return std::string(field);
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string CsvLine(const std::vector<std::string>& fields) {
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) line.push_back(',');
    line += CsvEscape(fields[i]);
  }
  line += "\r\n";
  return line;
}

absl::StatusOr<TableBytes> RenderTable(const Table& table, TableFormat format) {
  TableBytes out;
  if (format == TableFormat::kXlsx) {
    absl::StatusOr<std::string> bytes = XlsxBytes(table);
    if (!bytes.ok()) return bytes.status();
    out = {kXlsxContentType, table.title + ".xlsx", table.ascii_title + ".xlsx", *std::move(bytes)};
    return out;
  }
  out = {kCsvContentType, table.title + ".csv", table.ascii_title + ".csv", "\xEF\xBB\xBF" + CsvLine(table.header)};
  for (const std::vector<std::string>& row : table.rows) out.data += CsvLine(row);
  return out;
}

}  // namespace stip
