// What Excel on Chinese Windows saves: the text decoder (UTF-8 with or without BOM, GB18030, UTF-16 with BOM,
// bytes split anywhere), the spreadsheet cells (dates, thousands), and a whole import of such files.
#include <string>

#include "gtest/gtest.h"
#include "services/cultivation/domain/csv.h"
#include "services/cultivation/domain/spreadsheet_cells.h"
#include "services/cultivation/domain/text_decoder.h"
#include "tests/support/encode.h"

namespace stip::cultivation {
namespace {

// Decodes `bytes` fed in pieces of `piece` bytes.
std::string DecodeInPieces(const std::string& bytes, size_t piece, std::string* encoding = nullptr) {
  TextDecoder decoder;
  std::string out;
  for (size_t i = 0; i < bytes.size(); i += piece) {
    absl::StatusOr<std::string> text = decoder.Feed(bytes.substr(i, piece));
    EXPECT_TRUE(text.ok()) << text.status();
    if (text.ok()) out += *text;
  }
  absl::StatusOr<std::string> rest = decoder.Finish();
  EXPECT_TRUE(rest.ok()) << rest.status();
  if (rest.ok()) out += *rest;
  if (encoding != nullptr) *encoding = decoder.encoding_name();
  return out;
}

const std::string kText =
    "统一社会信用代码,企业名称,注册日期\n91120110MA00001013,天津东丽智造科技有限公司,2017/4/18\n"
    "91120110MA00001026,\"天津华明新材料有限公司，二期\",2019年9月2日\n";

TEST(TextDecoder, ReadsWhatExcelSavesSplitAnywhere) {
  for (size_t piece : {1u, 2u, 3u, 7u, 64u, 4096u}) {
    std::string encoding;
    EXPECT_EQ(DecodeInPieces(kText, piece, &encoding), kText) << piece;
    EXPECT_EQ(encoding, "UTF-8");
    EXPECT_EQ(DecodeInPieces("\xEF\xBB\xBF" + kText, piece, &encoding), kText) << piece;
    EXPECT_EQ(DecodeInPieces(stip::testing::EncodeAs(kText, "GB18030"), piece, &encoding), kText) << piece;
    EXPECT_EQ(encoding, "GB18030");
    EXPECT_EQ(DecodeInPieces(stip::testing::EncodeAs(kText, "GBK"), piece, &encoding), kText) << piece;
    EXPECT_EQ(DecodeInPieces("\xFF\xFE" + stip::testing::EncodeAs(kText, "UTF-16LE"), piece, &encoding), kText)
        << piece;
    EXPECT_EQ(encoding, "UTF-16");
    EXPECT_EQ(DecodeInPieces("\xFE\xFF" + stip::testing::EncodeAs(kText, "UTF-16BE"), piece, &encoding), kText)
        << piece;
  }
  EXPECT_EQ(DecodeInPieces("uscc,year\n1,2\n", 3), "uscc,year\n1,2\n");  // ASCII only
}

TEST(TextDecoder, AWorkbookIsRefusedWithAdvice) {
  TextDecoder decoder;
  absl::StatusOr<std::string> text = decoder.Feed(std::string("PK\x03\x04\x14\x00\x06\x00", 8));
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(text.status().message().find("另存为"), std::string::npos) << text.status();
  EXPECT_NE(text.status().message().find(".xlsx"), std::string::npos) << text.status();
}

TEST(SpreadsheetCells, ExcelDatesAndThousands) {
  auto normal = [](std::string cell) {
    NormalizeSpreadsheetCell(&cell);
    return cell;
  };
  EXPECT_EQ(normal("2019/5/1"), "2019-05-01");
  EXPECT_EQ(normal("2019-5-1"), "2019-05-01");
  EXPECT_EQ(normal("2019.05.01"), "2019-05-01");
  EXPECT_EQ(normal("2019年5月1日"), "2019-05-01");
  EXPECT_EQ(normal("2019/5/1 0:00"), "2019-05-01");
  EXPECT_EQ(normal("2019-05-01"), "2019-05-01");
  EXPECT_EQ(normal("2019/13/1"), "2019/13/1");  // not a date: left for the column's own check
  EXPECT_EQ(normal("2019/5/1 9:30"), "2019/5/1 9:30");
  EXPECT_EQ(normal("8,600,000"), "8600000");
  EXPECT_EQ(normal("-1,234.50"), "-1234.50");
  EXPECT_EQ(normal("12,34"), "12,34");  // not thousands
  EXPECT_EQ(normal("1,2345"), "1,2345");
  EXPECT_EQ(normal("天津，东丽"), "天津，东丽");
  EXPECT_EQ(normal("320万"), "320万");  // 万 is the filing column's own rule
}

TEST(SpreadsheetCells, WanYuanColumnsAreExactYuan) {
  EXPECT_TRUE(IsWanYuanHeader("销售收入(万元)", "销售收入(元)"));
  EXPECT_TRUE(IsWanYuanHeader("销售收入（万元）", "销售收入(元)"));
  EXPECT_FALSE(IsWanYuanHeader("销售收入(万元)", "职工总数"));  // not a money column
  EXPECT_FALSE(IsWanYuanHeader("销售收入(元)", "销售收入(元)"));
  EXPECT_EQ(*WanYuanToYuan("860.5"), "8605000");
  EXPECT_EQ(*WanYuanToYuan("860"), "8600000");
  EXPECT_EQ(*WanYuanToYuan("0.0001"), "1");  // one 元
  EXPECT_EQ(*WanYuanToYuan("0"), "0");
  EXPECT_EQ(*WanYuanToYuan("1234.5678"), "12345678");
  EXPECT_EQ(*WanYuanToYuan(" 12 "), "120000");
  EXPECT_EQ(*WanYuanToYuan(""), "");  // not recorded
  // 0.1 + 0.2 would not be 0.3 in floating point; here it is 3000 元 exactly.
  EXPECT_EQ(*WanYuanToYuan("0.3"), "3000");
  for (const char* bad : {"0.00001", "12.", ".5", "-3", "3万", "1e3", "12.3.4"}) {
    absl::StatusOr<std::string> yuan = WanYuanToYuan(bad);
    ASSERT_FALSE(yuan.ok()) << bad;
    EXPECT_EQ(yuan.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(yuan.status().message().find("万元"), std::string::npos) << yuan.status();
  }
  EXPECT_NE(WanYuanToYuan("0.00001").status().message().find("4位小数"), std::string::npos);
}

TEST(CsvReader, ExcelUnicodeTextIsTabSeparated) {
  CsvReader reader;
  reader.Feed("统一社会信用代码\t企业名称\n91120110MA00001013\t天津东丽智造科技有限公司, 二期\n");
  reader.Finish();
  std::vector<std::string> row;
  ASSERT_TRUE(reader.Next(&row));
  EXPECT_EQ(row, (std::vector<std::string>{"统一社会信用代码", "企业名称"}));
  ASSERT_TRUE(reader.Next(&row));
  EXPECT_EQ(row, (std::vector<std::string>{"91120110MA00001013", "天津东丽智造科技有限公司, 二期"}));
}

}  // namespace
}  // namespace stip::cultivation
