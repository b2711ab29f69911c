#!/usr/bin/env bash
# Lighthouse (mobile) on a checklist page in each language, with Debian's Chromium.
#
#   bench/lighthouse.sh [space]        default space: restroom
#
# Starts the app as the README does (gunicorn, scripts/gunicorn.conf.py) on a
# spare port with a throw-away instance folder, and prints the four category
# scores per language. Targets: performance >= 95, accessibility 100,
# best practices 100.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/install.sh
need_apt chromium
need_venv
need_bench_tools

space="${1:-restroom}"
port=8799
instance="$(mktemp -d)"
out="$(mktemp -d)"
SPOTCHECK_INSTANCE_PATH="$instance" SPOTCHECK_BIND="127.0.0.1:$port" SPOTCHECK_WORKERS=2 \
  .venv/bin/gunicorn -c scripts/gunicorn.conf.py >"$out/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$instance" "$out"' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done

printf '%-30s %12s %14s %15s %5s\n' page performance accessibility best-practices seo
for lang in en zh-hans zh-hant; do
  url="http://127.0.0.1:$port/$lang/check/$space"
  CHROME_PATH=/usr/bin/chromium bench/node_modules/.bin/lighthouse "$url" \
    --quiet --output=json --output-path="$out/$lang.json" \
    --only-categories=performance,accessibility,best-practices,seo \
    --chrome-flags="--headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update --disable-sync" \
    >/dev/null 2>&1 || { echo "lighthouse failed on $url" >&2; exit 1; }
  .venv/bin/python - "$out/$lang.json" "/$lang/check/$space" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
score = lambda c: round(report["categories"][c]["score"] * 100)
print(f"{sys.argv[2]:<30} {score('performance'):>12} {score('accessibility'):>14} "
      f"{score('best-practices'):>15} {score('seo'):>5}")
failed = [a["id"] for a in report["audits"].values()
          if a.get("score") is not None and a["score"] < 1 and a.get("scoreDisplayMode") == "binary"]
if failed:
    print(f"{'':<30} below full marks: {', '.join(sorted(failed))}")
PY
done
