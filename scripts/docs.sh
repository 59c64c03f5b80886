#!/usr/bin/env bash
# make docs: the DocC documentation of every library module, as one static site in out/docs/.
#   1. scripts/docc-articles.py generates each module's guide article into its catalog from docs/*.md
#      (the guides stay the one source; the generated files are git-ignored);
#   2. swift-docc-plugin builds every module's archive with --warnings-as-errors (a broken symbol or
#      article link, a malformed directive, a parameter documented that does not exist, one that is
#      missing...), links them (combined documentation) and transforms them for static hosting;
#   3. scripts/docs-topics.py fails if a symbol curated in a landing page's Topics has no documentation;
#   4. the snippets in Snippets/ are built (SwiftPM builds them against the library products) and run,
#      so an API change that breaks the documentation's examples breaks `make docs` and `make test`.
# View it with `python3 -m http.server -d out/docs 8000` and http://localhost:8000/documentation/.
# DOCS_RUN_SNIPPETS=0 builds the snippets without running them.
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
OUT=out/docs
MODULES=(EnergyCore EnergyFormats HopfieldMemory TrackFinding RBM DBN)

python3 scripts/docc-articles.py

targets=()
for module in "${MODULES[@]}"; do targets+=(--target "$module"); done
mkdir -p out
rm -rf "$OUT"
# The site is served from its root (hosting base path /), as `python3 -m http.server -d out/docs` does.
"$SWIFT" package --allow-writing-to-directory "$OUT" generate-documentation "${targets[@]}" \
    --enable-experimental-combined-documentation --transform-for-static-hosting --output-path "$OUT" \
    --warnings-as-errors 2>&1 | tee out/docs.log
# The plugin reports some problems (a target without symbols) as warnings of its own, and does not
# check that `docc merge` succeeded: any warning of DocC, the plugin or SwiftPM fails (compiler
# warnings in the sources, FILE:LINE: warning:, are left to the build), and every module's pages
# must be there.
if grep -E "^(warning|error):" out/docs.log >/dev/null; then
    echo "docs: warnings or errors above (out/docs.log)" >&2; exit 1
fi
for module in "${MODULES[@]}"; do
    page="$OUT/documentation/$(echo "$module" | tr 'A-Z' 'a-z')/index.html"
    [ -f "$page" ] || { echo "docs: $page is missing" >&2; exit 1; }
done
python3 scripts/docs-topics.py "$OUT" "${MODULES[@]}"
# DocC's app has no page at the site's root: send it to the package's page, which lists the modules.
cat > "$OUT/index.html" <<'HTML'
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>EnergyModels documentation</title>
<meta http-equiv="refresh" content="0; url=documentation/"></head>
<body><p><a href="documentation/">EnergyModels documentation</a></p></body></html>
HTML

for file in Snippets/*.swift; do
    snippet=$(basename "$file" .swift)
    if ! "$SWIFT" build --product "$snippet" > out/docs-snippet-build.log 2>&1; then
        cat out/docs-snippet-build.log >&2; echo "docs: snippet $snippet does not build" >&2; exit 1
    fi
    if [ "${DOCS_RUN_SNIPPETS:-1}" != 0 ]; then
        echo "docs: running snippet $snippet"
        ".build/debug/$snippet" > "out/docs-snippet-$snippet.txt"
    fi
done
echo "docs: the site is in $OUT; view it with: python3 -m http.server -d $OUT 8000, then http://localhost:8000/documentation/"
