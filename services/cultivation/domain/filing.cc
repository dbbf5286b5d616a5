#include "services/cultivation/domain/filing.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "nlohmann/json.hpp"
#include "services/cultivation/domain/vocabulary.h"

namespace stip::cultivation {

const std::vector<FilingField>& FilingFields() {
  static const auto* fields = new std::vector<FilingField>{
      {"sales_revenue", "销售收入(元)", FieldType::kMoney},
      {"total_cost_expense", "成本费用支出总额(元)", FieldType::kMoney},
      {"rd_expense", "研发费用(元)", FieldType::kMoney},
      {"rd_expense_domestic", "境内研发费用(元)", FieldType::kMoney},
      {"total_staff", "职工总数", FieldType::kInt},
      {"sci_tech_staff", "科技人员数", FieldType::kInt},
      {"hightech_revenue", "高新技术产品(服务)收入(元)", FieldType::kMoney},
      {"total_assets", "资产总额(元)", FieldType::kMoney},
      {"total_liabilities", "负债总额(元)", FieldType::kMoney},
      {"class1_ip_count", "I类知识产权数", FieldType::kInt},
      {"class2_ip_count", "II类知识产权数", FieldType::kInt},
      {"max_single_venture_investment", "单笔单家最大创业投资(元)", FieldType::kMoney},
      {"results_converted", "科技成果转化数", FieldType::kInt},
      {"hte_cert_issue_date", "高企证书发证日期", FieldType::kDate},
      {"tianjin_hte_cert", "天津市高企证书", FieldType::kBool},
      {"software_enterprise_cert", "软件企业证书", FieldType::kBool},
      {"software_product_cert", "软件产品证书", FieldType::kBool},
      {"competition_award", "创新创业大赛获奖", FieldType::kBool},
      {"st_award", "省部级以上科技奖励", FieldType::kBool},
      {"st_award_top3_5y", "近五年国家科技奖励排名前三", FieldType::kBool},
      {"rd_institution", "省部级以上研发机构", FieldType::kBool},
      {"standard_participation", "参与制定标准", FieldType::kBool},
      {"standard_led_5y", "近五年主导制定国际国家行业标准", FieldType::kBool},
      {"st_plan_project", "承担省部级以上科技计划项目", FieldType::kBool},
      {"core_ip_support", "核心支持作用知识产权", FieldType::kBool},
      {"independent_legal_person", "独立法人", FieldType::kBool},
      {"serious_research_misconduct", "科研严重失信", FieldType::kBool},
      {"abnormal_operation_list", "经营异常名录", FieldType::kBool},
      {"serious_dishonest_list", "严重违法失信名单", FieldType::kBool},
      {"major_accident", "重大安全质量环境事故", FieldType::kBool},
      {"prohibited_catalogue", "禁止限制淘汰类产品", FieldType::kBool},
      {"listed_company", "上市企业", FieldType::kBool},
      {"hte_score_ip", "高企知识产权得分", FieldType::kInt},
      {"hte_score_conversion", "高企成果转化得分", FieldType::kInt},
      {"hte_score_org", "高企研发组织管理得分", FieldType::kInt},
      {"hte_score_net_asset_growth", "高企净资产增长率得分", FieldType::kInt},
      {"hte_score_sales_growth", "高企销售收入增长率得分", FieldType::kInt},
  };
  return *fields;
}

const FilingField* FindFilingField(absl::string_view key) {
  for (const FilingField& field : FilingFields()) {
    if (key == field.key || key == field.header) return &field;
  }
  return nullptr;
}

std::string FilingToJson(const FilingData& data) {
  nlohmann::json json = nlohmann::json::object();
  for (const auto& [key, value] : data) {
    if (std::holds_alternative<int64_t>(value)) json[key] = std::get<int64_t>(value);
    if (std::holds_alternative<bool>(value)) json[key] = std::get<bool>(value);
    if (std::holds_alternative<std::string>(value)) json[key] = std::get<std::string>(value);
  }
  return json.dump();
}

absl::StatusOr<FilingData> FilingFromJson(absl::string_view text) {
  nlohmann::json json = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (json.is_discarded() || !json.is_object()) return absl::DataLossError("stored filing is not a JSON object");
  FilingData data;
  for (auto it = json.begin(); it != json.end(); ++it) {
    if (it->is_boolean()) {
      data.emplace(it.key(), it->get<bool>());
    } else if (it->is_number_integer()) {
      data.emplace(it.key(), it->get<int64_t>());
    } else if (it->is_string()) {
      data.emplace(it.key(), it->get<std::string>());
    }
  }
  return data;
}

absl::StatusOr<std::optional<FieldValue>> ParseFieldText(const FilingField& field, absl::string_view raw) {
  absl::string_view text = absl::StripAsciiWhitespace(raw);
  if (text.empty()) return std::optional<FieldValue>();
  switch (field.type) {
    case FieldType::kInt:
    case FieldType::kMoney: {
      int64_t value = 0;
      if (!absl::SimpleAtoi(text, &value)) {
        if (field.type != FieldType::kMoney) return absl::InvalidArgumentError("应为整数");
        absl::string_view stem = field.header;
        std::string wan = absl::ConsumeSuffix(&stem, "(元)") ? absl::StrCat(stem, "(万元)") : std::string(stem);
        return absl::InvalidArgumentError(
            absl::StrCat("金额应为整数元（不带小数、单位或千分位）；按万元填写时请把表头改为“", wan, "”"));
      }
      if (value < 0) return absl::InvalidArgumentError("不能为负数");
      return std::optional<FieldValue>(value);
    }
    case FieldType::kBool: {
      if (text == "是" || text == "1" || text == "true" || text == "TRUE" || text == "Y" || text == "y") {
        return std::optional<FieldValue>(true);
      }
      if (text == "否" || text == "0" || text == "false" || text == "FALSE" || text == "N" || text == "n") {
        return std::optional<FieldValue>(false);
      }
      return absl::InvalidArgumentError("应填“是”或“否”");
    }
    case FieldType::kDate: {
      if (!ParseDate(text)) return absl::InvalidArgumentError("日期格式应为YYYY-MM-DD");
      return std::optional<FieldValue>(std::string(text));
    }
  }
  return absl::InvalidArgumentError("unknown field type");
}

std::string FieldText(const FieldValue& value) {
  if (std::holds_alternative<int64_t>(value)) return absl::StrCat(std::get<int64_t>(value));
  if (std::holds_alternative<bool>(value)) return std::get<bool>(value) ? "是" : "否";
  return std::get<std::string>(value);
}

std::optional<int64_t> IntField(const FilingData& data, absl::string_view key) {
  auto it = data.find(key);
  if (it == data.end() || !std::holds_alternative<int64_t>(it->second)) return std::nullopt;
  return std::get<int64_t>(it->second);
}

std::optional<bool> BoolField(const FilingData& data, absl::string_view key) {
  auto it = data.find(key);
  if (it == data.end() || !std::holds_alternative<bool>(it->second)) return std::nullopt;
  return std::get<bool>(it->second);
}

std::optional<std::string> TextField(const FilingData& data, absl::string_view key) {
  auto it = data.find(key);
  if (it == data.end() || !std::holds_alternative<std::string>(it->second)) return std::nullopt;
  return std::get<std::string>(it->second);
}

std::vector<std::pair<std::string, std::string>> CheckFiling(const FilingData& data) {
  std::vector<std::pair<std::string, std::string>> problems;
  for (const auto& [key, value] : data) {
    const FilingField* field = FindFilingField(key);
    if (field == nullptr) {
      problems.emplace_back(key, "未知字段");
      continue;
    }
    bool numeric = field->type == FieldType::kInt || field->type == FieldType::kMoney;
    if (numeric && (!std::holds_alternative<int64_t>(value) || std::get<int64_t>(value) < 0)) {
      problems.emplace_back(key, absl::StrCat(field->header, "应为非负整数"));
    }
    if (field->type == FieldType::kBool && !std::holds_alternative<bool>(value)) {
      problems.emplace_back(key, absl::StrCat(field->header, "应为是/否"));
    }
    if (field->type == FieldType::kDate &&
        (!std::holds_alternative<std::string>(value) || !ParseDate(std::get<std::string>(value)))) {
      problems.emplace_back(key, absl::StrCat(field->header, "日期格式应为YYYY-MM-DD"));
    }
  }
  auto not_above = [&](const char* part, const char* whole, const char* text) {
    std::optional<int64_t> p = IntField(data, part), w = IntField(data, whole);
    if (p && w && *p > *w) problems.emplace_back(part, text);
  };
  not_above("rd_expense_domestic", "rd_expense", "境内研发费用不能大于研发费用总额");
  not_above("sci_tech_staff", "total_staff", "科技人员数不能大于职工总数");
  not_above("rd_expense", "total_cost_expense", "研发费用不能大于成本费用支出总额");
  return problems;
}

std::string FactsToJson(const EnterpriseFactFlags& facts) {
  nlohmann::json json = nlohmann::json::object();
  auto put = [&](const char* key, const std::optional<bool>& value) {
    if (value) json[key] = *value;
  };
  put("independent_legal_person", facts.independent_legal_person);
  put("resident_enterprise", facts.resident_enterprise);
  put("registered_in_tianjin", facts.registered_in_tianjin);
  put("prohibited_catalogue", facts.prohibited_catalogue);
  return json.dump();
}

EnterpriseFactFlags FactsFromJson(absl::string_view text) {
  EnterpriseFactFlags facts;
  nlohmann::json json = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (json.is_discarded() || !json.is_object()) return facts;
  auto get = [&](const char* key, std::optional<bool>& out) {
    auto it = json.find(key);
    if (it != json.end() && it->is_boolean()) out = it->get<bool>();
  };
  get("independent_legal_person", facts.independent_legal_person);
  get("resident_enterprise", facts.resident_enterprise);
  get("registered_in_tianjin", facts.registered_in_tianjin);
  get("prohibited_catalogue", facts.prohibited_catalogue);
  return facts;
}

}  // namespace stip::cultivation
