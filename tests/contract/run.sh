#!/usr/bin/env bash
# The contract test's client side (rest_contract_test runs it against a live suite): what a bureau developer
# does with /openapi.json, in a scratch directory $1. Needs STIP_GATEWAY, STIP_TOKEN, STIP_USCC.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$1"
bin="$here/node_modules/.bin"
mkdir -p "$work"
cp "$here/client.ts" "$here/tsconfig.json" "$work/"
printf '{"type":"module"}\n' >"$work/package.json"
ln -sfn "$here/node_modules" "$work/node_modules"  # the pinned tools and openapi-fetch, from npm ci
cd "$work"
curl -fsS "$STIP_GATEWAY/openapi.json" -o openapi.json
"$bin/openapi-typescript" openapi.json -o api.d.ts
"$bin/tsc" -p tsconfig.json
node out/client.js
REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true "$bin/redocly" lint openapi.json --format=stylish
