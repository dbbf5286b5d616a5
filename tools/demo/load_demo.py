#!/usr/bin/env python3
"""Loads a generated, realistic Dongli data set into a running suite, through the public REST API only, with the
accounts that would enter it: each park's officer imports its enterprises, filings and records; 区科技局 screens,
pools, cultivates and certifies; each carrier's operator files its annual reports; the indicators' lead units
report and approve the district values. Deterministic (one seed), so every run loads the same data.

usage: load_demo.py GATEWAY_URL STIP_SCRIPT   (scripts/stip demo calls it)
"""
import base64
import json
import random
import subprocess
import sys
import urllib.error
import urllib.request

GATEWAY, STIP = sys.argv[1].rstrip("/"), sys.argv[2]
PLAN = "plans/dongli-2020-2022"
CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
UNITS = {"huaming": 40, "donglihu": 25, "linkong": 25, "jingkaiqu": 20, "zhangguizhuang": 6, "wanxin": 6, "xinli": 6}
INDUSTRIES = [("智能制造", "先进制造与自动化"), ("高端装备制造", "先进制造与自动化"), ("新材料", "新材料"),
              ("电子信息", "电子信息"), ("生物医药", "生物与新医药"), ("医疗器械", "生物与新医药"),
              ("新能源", "新能源与节能"), ("科技服务业", "高技术服务"), ("航空航天", "航空航天")]
NAMES = ["智造", "华科", "临空", "东湖", "新材", "芯联", "瑞康", "航宇", "博远", "天成", "海河", "津东", "恒信", "联创"]
SUFFIXES = ["科技有限公司", "智能科技有限公司", "新材料有限公司", "电子科技有限公司", "医疗科技有限公司"]
random.seed(20210223)  # 东丽政发〔2021〕5号
_tokens = {}


def token(role, org_unit=""):
    key = (role, org_unit)
    if key not in _tokens:
        args = [STIP, "token", "--role", role, "--subject", f"demo-{role}-{org_unit or 'all'}"]
        if org_unit:
            args += ["--org-unit", org_unit]
        _tokens[key] = subprocess.run(args, check=True, capture_output=True, text=True).stdout.strip()
    return _tokens[key]


def call(method, path, body=None, who=("admin", ""), ok=(200,)):
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    request = urllib.request.Request(GATEWAY + path, data=data, method=method)
    request.add_header("Authorization", "Bearer " + token(*who))
    request.add_header("Content-Type", "application/json")
    request.add_header("Grpc-Timeout", "120S")
    try:
        with urllib.request.urlopen(request) as response:
            return json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        text = error.read().decode()
        if error.code in ok:
            return json.loads(text or "{}")
        raise SystemExit(f"demo: {method} {path} answered {error.code}: {text[:300]}")


def uscc(serial):
    body = "91120110MA1" + f"{serial:06d}"
    total = sum(CHARSET.index(c) * w for c, w in zip(body, WEIGHTS))
    return body + CHARSET[(31 - total % 31) % 31]


def import_csv(kind, text, who):
    message = json.dumps({"kind": kind, "data": base64.b64encode(text.encode()).decode()}).encode()
    summary = call("POST", "/v1/enterprises:importCsv", message, who)
    if summary.get("rejected"):
        raise SystemExit(f"demo: the {kind} import rejected rows: {summary.get('rejections', [])[:3]}")
    return summary


def enterprises_and_filings():
    serial, chosen = 0, []
    for unit, count in UNITS.items():
        rows, filings, records = [], [], []
        for _ in range(count):
            serial += 1
            code, (industry, field) = uscc(serial), random.choice(INDUSTRIES)
            name = f"天津{random.choice(NAMES)}{random.choice(NAMES)}{random.choice(SUFFIXES)}"
            year = random.randint(2008, 2020)
            rows.append(f"{code},{name},{year}-{random.randint(1, 12):02d}-{random.randint(1, 28):02d},{unit},"
                        f"{industry},{field},存续,是,是,是,否")
            revenue = random.randint(3_000_000, 120_000_000)
            staff = random.randint(15, 260)
            for fy in (2019, 2020, 2021):
                rd = int(revenue * random.uniform(0.03, 0.09))
                filings.append(f"{code},{fy},{revenue},{rd},{staff},{int(staff * random.uniform(0.15, 0.45))},"
                               f"{random.randint(0, 2)},{random.randint(1, 12)},是,否,否,否")
                revenue, staff = int(revenue * random.uniform(1.05, 1.35)), staff + random.randint(0, 20)
            if random.random() < 0.3:
                records.append(f"{code},科技奖励,,省部级,{random.choice([2019, 2020, 2021])},2,,,,,,,天津市科学技术进步奖")
            if random.random() < 0.2:
                records.append(f"{code},证书,软件产品证书,,,,,,2021-03-01,2026-02-28,,,")
            if random.random() < 0.18:  # 高企: certificates of the 2019 and 2020 batches, three years each
                issued = random.choice(["2019-11-28", "2020-12-01"])
                expires = f"{int(issued[:4]) + 3}{issued[4:]}"
                records.append(f"{code},证书,国家高新技术企业证书,,,,,,{issued},{expires},,,")
            chosen.append(code)
        officer = ("park", unit)
        import_csv("ENTERPRISES", "统一社会信用代码,企业名称,注册日期,所属街道园区,行业,技术领域,状态,独立法人,"
                                  "居民企业,注册地在天津,禁止限制淘汰类产品\n" + "\n".join(rows) + "\n", officer)
        import_csv("FILINGS", "统一社会信用代码,年度,销售收入(元),研发费用(元),职工总数,科技人员数,I类知识产权数,"
                              "II类知识产权数,独立法人,科研严重失信,经营异常名录,严重违法失信名单\n"
                   + "\n".join(filings) + "\n", officer)
        if records:
            import_csv("RECORDS", "统一社会信用代码,记录类别,类型,级别,年份,排名,奖项,角色,开始日期,截止日期,金额(元),"
                                  "投资机构,名称\n" + "\n".join(records) + "\n", officer)
    print(f"demo: {serial} enterprises in {len(UNITS)} parks and streets, filings 2019–2021", file=sys.stderr)
    return chosen


def pipelines():
    kjj = ("bureau", "kjj")
    # Application year 2021 (on the 2020 filings), certified that September: the 2021 and 2022 counts show them.
    screened = call("POST", "/v1/programs/chuying:screen", {"applicationYear": 2021, "effectiveDate": "2021-03-01"}, kjj)
    names = screened.get("screenedEnterprises", [])
    stages = [("POOLED", "2021-04-01"), ("CULTIVATING", "2021-05-01"), ("CERTIFIED", "2021-09-01")]
    for i, name in enumerate(names):
        for stage, day in stages[: 1 + i % 3]:
            call("POST", f"/v1/{name}/pipelines/chuying:transition", {"toStage": stage, "effectiveDate": day}, kjj)
    print(f"demo: 雏鹰 screening put {len(names)} eligible enterprises into 遴选; then 入库, 培育 and 认定 in turn",
          file=sys.stderr)
    # 瞪羚 and 领军: the district's picks (G3/G4 of 瞪羚 are unpublished, so no screening can pass them): 遴选 by the
    # bureau's decision, then 入库, which records the tier evaluation the annual 复评 builds on.
    for program, picks in (("dengling", names[:6]), ("lingjun", names[6:9])):
        for name in picks:
            for stage, day in (("SCREENED", "2021-06-01"), ("POOLED", "2021-07-01")):
                call("POST", f"/v1/{name}/pipelines/{program}:transition",
                     {"toStage": stage, "effectiveDate": day, "reason": "演示：区科技局遴选"}, kjj)
    print("demo: 6 瞪羚 and 3 领军 picks 入库 in 2021", file=sys.stderr)


def carriers():
    listed = call("GET", "/v1/carriers?pageSize=200").get("carriers", [])
    for carrier in listed:
        cid = carrier["id"]
        for year in (2020, 2021):
            area, incubatees = random.randint(8000, 30000), random.randint(20, 90)
            report = {"year": year, "totalAreaM2": area, "incubationAreaM2": int(area * 0.8),
                      "incubateeAreaM2": int(area * 0.6), "incubatees": incubatees,
                      "newIncubatees": random.randint(5, min(25, incubatees)), "graduated": random.randint(2, 10),
                      "cumulativeGraduates": random.randint(10, 60), "financedIncubatees": random.randint(2, 12),
                      "fundSizeYuan": random.randint(2, 20) * 1_000_000, "fundUseCases": random.randint(1, 8),
                      "totalStaff": random.randint(16, 30), "professionalStaff": random.randint(5, 15),
                      "mentors": random.randint(5, 30), "events": random.randint(10, 60),
                      "incubateesWithPatentApplications": random.randint(5, min(30, incubatees)),
                      "incubateesWithValidIp": random.randint(5, min(25, incubatees)), "jobsCreated": random.randint(100, 900),
                      "statisticsReported": True, "statisticsYears": 3, "summary": f"{year}年度工作总结"}
            call("POST", f"/v1/carriers/{cid}/reports", report, ("park", cid), ok=(200, 409))
    kjj = ("bureau", "kjj")
    items = [("Y1", "场地租赁合同、平面图"), ("Y2", "人员名册、社保记录"), ("Y3", "创业导师聘书"),
             ("Y4", "孵化基金协议"), ("Y5", "公共技术服务平台协议"), ("Y6", "火炬统计报表")]
    for carrier in listed:  # 六有 of 2021, scored by the district within each item's points
        scores = [{"itemId": item, "score": random.randint(9, 15), "evidence": evidence} for item, evidence in items]
        call("POST", f"/v1/carriers/{carrier['id']}/assessments", {"year": 2021, "items": scores}, kjj)
    # 中国民航大学科技园's 市级 recognition of 2021 (the plan's task 6), granted by the district.
    park = call("GET", "/v1/carriers/cauc-park", who=kjj)
    call("PATCH", "/v1/carriers/cauc-park?update_mask=levels",
         {"levels": [{"level": "MUNICIPAL", "year": 2021, "document": "津科区〔2021〕第一批"}], "etag": park["etag"]}, kjj)
    print(f"demo: annual reports 2020–2021 and 2021 六有 assessments for {len(listed)} carriers; "
          "中国民航大学科技园 recognised 市级 in 2021", file=sys.stderr)


def indicator_values():
    plan = json.load(open(f"{STIP.rsplit('/scripts/', 1)[0]}/data/plans/dongli-2020-2022.json"))["plan"]
    reported = 0
    for indicator in plan["indicators"]:
        if indicator["source"] != "REPORTED":
            continue
        lead = indicator.get("lead_unit") or ""
        reporter = ("bureau", lead) if lead else ("admin", "")
        for target in indicator["targets"]:
            if target["year"] > 2021:
                continue
            value = round(target["value"] * random.uniform(0.9, 1.08), 2)
            body = {"year": target["year"], "orgUnit": "dongli", "value": value, "submit": True,
                    "note": "演示数据：统计快报"}
            saved = call("POST", f"/v1/{PLAN}/indicators/{indicator['code']}/values", body, reporter, ok=(200, 400))
            if saved.get("name") and saved.get("state") == "SUBMITTED":
                call("POST", f"/v1/{saved['name']}:approve", {"comment": "已核"}, reporter)
                reported += 1
    print(f"demo: {reported} district values reported and approved by their lead units", file=sys.stderr)


enterprises_and_filings()
pipelines()
carriers()
indicator_values()
print("demo: loaded; open the dashboard", file=sys.stderr)
