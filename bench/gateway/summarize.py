#!/usr/bin/env python3
"""Summarizes bench/run's per-round results (TSV) into the table and the two ratios."""
import statistics
import sys
from collections import defaultdict

rows = defaultdict(list)
with open(sys.argv[1]) as f:
    for line in f:
        arm, rnd, rps, p50, p99, reqs, errors, gw_cpu, sut_cpu, gets = line.rstrip("\n").split("\t")
        rows[arm].append(dict(round=int(rnd), rps=float(rps), p50=float(p50), p99=float(p99), reqs=int(reqs),
                              errors=int(errors), gw_cpu=float(gw_cpu), sut_cpu=float(sut_cpu),
                              gets=int(gets) / max(1, int(reqs))))

labels = {
    "gateway-cached": "gateway, cache on (HIT)",
    "nginx-static": "nginx, same bytes (static file)",
    "gateway-nocache": "gateway, cache off (backend call)",
    "gateway-cached-nosf": "gateway, cache on, no single-flight",
}
med = statistics.median
print()
print(f"{'arm':36} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'gw CPU us/req':>14} {'SUT CPU us/req':>15} "
      f"{'Redis GET/req':>14} {'non-2xx':>8}")
for arm in ("gateway-cached", "nginx-static", "gateway-nocache", "gateway-cached-nosf"):
    r = rows.get(arm)
    if not r:
        continue
    gw = med([x["gw_cpu"] for x in r])
    print(f"{labels[arm]:36} {med([x['rps'] for x in r]):>10.0f} {med([x['p50'] for x in r]):>8.2f} "
          f"{med([x['p99'] for x in r]):>8.2f} {(f'{gw:.1f}' if gw > 0 else '-'):>14} "
          f"{med([x['sut_cpu'] for x in r]):>15.1f} {med([x['gets'] for x in r]):>14.2f} "
          f"{sum(x['errors'] for x in r):>8}")
print()


def ratio(a, b, goal):
    pairs = {x["round"]: x["rps"] for x in rows.get(b, [])}
    values = [x["rps"] / pairs[x["round"]] for x in rows.get(a, []) if pairs.get(x["round"])]
    if not values:
        return
    print(f"{labels[a]} / {labels[b]}: {med(values):.2f}x (rounds: {min(values):.2f}-{max(values):.2f}; "
          f"goal >= {goal}x)")


ratio("gateway-cached", "nginx-static", 0.5)
ratio("gateway-cached", "gateway-nocache", 2.0)
print("informational:")
ratio("gateway-cached-nosf", "nginx-static", 0.5)
ratio("gateway-cached-nosf", "gateway-nocache", 2.0)
