// The bureau developer's client: types generated from the live /openapi.json (api.d.ts), openapi-fetch for the
// calls, compiled with tsc --strict. It runs against the real suite and exits non-zero on the first surprise.
import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "./api.js";

const base = process.env.STIP_GATEWAY ?? "http://127.0.0.1:8080";
const token = process.env.STIP_TOKEN ?? "";
const uscc = process.env.STIP_USCC ?? "";

const auth: Middleware = {
  onRequest({ request }) {
    request.headers.set("Authorization", `Bearer ${token}`);
    return request;
  },
};
const client = createClient<paths>({ baseUrl: base });
client.use(auth);

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`contract: ${what}`);
  console.log(`ok  ${what}`);
}

async function main(): Promise<void> {
  // list
  const plans = await client.GET("/v1/plans");
  check(plans.response.status === 200 && (plans.data?.plans ?? []).length > 0, "GET /v1/plans lists the plan");
  const plan: string = plans.data?.plans?.[0]?.name ?? "";
  check(plan === "plans/dongli-2020-2022", `the plan is ${plan}`);

  // get, with a resource name expanded into its segments (no %2F)
  const progress = await client.GET("/v1/plans/{plan}/progress", {
    params: { path: { plan: "dongli-2020-2022" }, query: { year: 2021 } },
  });
  check(progress.response.status === 200, "GET /v1/plans/{plan}/progress");
  const indicators = progress.data?.indicators ?? [];
  check(indicators.length === 13, `progress has the plan's 13 indicators (${indicators.length})`);

  // create
  const created = await client.POST("/v1/enterprises", {
    body: {
      uscc,
      displayName: "天津契约测试科技有限公司",
      registrationDate: "2019-03-01",
      orgUnit: "huaming",
      industry: "智能科技",
    },
  });
  check(created.response.status === 200, `POST /v1/enterprises (${created.response.status})`);
  const enterprise = created.data?.name ?? "";
  check(enterprise === `enterprises/${uscc}`, `created ${enterprise}`);

  // patch: one field named, the others kept
  const patched = await client.PATCH("/v1/enterprises/{enterprise}", {
    params: { path: { enterprise: uscc } },
    body: { displayName: "天津契约测试科技股份有限公司" },
  });
  check(patched.response.status === 200, `PATCH /v1/enterprises/{enterprise} (${patched.response.status})`);
  const got = await client.GET("/v1/enterprises/{enterprise}", { params: { path: { enterprise: uscc } } });
  check(got.data?.displayName === "天津契约测试科技股份有限公司", "the patched field changed");
  check(got.data?.registrationDate === "2019-03-01" && got.data?.orgUnit === "huaming", "the others survived");

  // a custom :verb
  const evaluation = await client.POST("/v1/enterprises/{enterprise}:evaluate", {
    params: { path: { enterprise: uscc } },
    body: { program: "tech_sme", applicationYear: 2021 },
  });
  check(evaluation.response.status === 200, `POST …:evaluate (${evaluation.response.status})`);
  const outcome: string = evaluation.data?.outcome ?? "";
  check(outcome.length > 0 && (evaluation.data?.criteria ?? []).length > 0, `evaluated: ${outcome}`);

  // an error mapped to its status, with a typed google.rpc.Status body
  const bad = await client.GET("/v1/enterprises/{enterprise}", {
    params: { path: { enterprise: "91120110MA05NOTREAL" } },
  });
  check(bad.response.status === 400 || bad.response.status === 404, `a bad name is ${bad.response.status}`);
  check(typeof bad.error?.message === "string" && bad.error.message.length > 0, `its message: ${bad.error?.message}`);

  // a download is a file
  const file = await client.GET("/v1/enterprises:downloadCsv", {
    params: { query: { kind: "ENTERPRISES", template: true } },
    parseAs: "text",
  });
  check(file.response.status === 200, "GET /v1/enterprises:downloadCsv");
  check((file.response.headers.get("content-type") ?? "").startsWith("text/csv"), "Content-Type text/csv");
  check((file.response.headers.get("content-disposition") ?? "").startsWith("attachment;"), "Content-Disposition");
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
