#!/usr/bin/env bash
# Renders the explore stage's report (or the evaluate stage's page: REPORT_DIR out/evaluation) in a real headless browser (Debian's chromium) and saves a
# full-page screenshot, so a broken page (missing figure, bad markup) is seen, not assumed.
#   bench/report-screenshot.sh [REPORT_DIR] [OUT_PNG]     (defaults out/report, out/report-screenshot.png)
set -euo pipefail
. "$(dirname "$0")/../submit/common.sh"
report=${1:-out/report}
shot=${2:-out/report-screenshot.png}
command -v chromium >/dev/null || die "chromium not installed (apt install chromium)"
[ -f "$report/index.html" ] || die "no $report/index.html (run stage explore)"
# Every figure the page references must exist (inlined data: figures carry themselves).
grep -o 'src="[^"]*"' "$report/index.html" | sed 's/src="\(.*\)"/\1/' | { grep -v '^data:' || true; } | while read -r f; do
  [ -s "$report/$f" ] || { echo "report-screenshot.sh: $report/index.html shows missing $f" >&2; exit 1; }
done
timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,6000 \
  --screenshot="$(realpath -m "$shot")" "file://$(realpath "$report")/index.html" 2>/dev/null
[ -s "$shot" ] || { echo "report-screenshot.sh: chromium wrote no screenshot" >&2; exit 1; }
echo "report-screenshot.sh: $shot ($(stat -c %s "$shot") bytes)"
