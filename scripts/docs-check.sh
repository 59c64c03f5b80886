#!/usr/bin/env bash
# make docs-check: the built site (out/docs, from make docs) opened in a real browser.
# Serves out/docs on localhost, renders every module's landing page, the RBM guide article and the
# package's page in headless Chromium (Debian's `chromium`, installed by scripts/install-deps.sh when
# missing), saves a screenshot of each to out/docs-check/, and fails if a landing page shows no Topics
# with its symbols, or the article is not rendered. DocC's pages are a JavaScript app: Chromium is
# given a virtual-time budget so the app has fetched its JSON and rendered before the DOM is read.
set -euo pipefail
cd "$(dirname "$0")/.."
SITE=out/docs
OUT=out/docs-check
BUDGET=${DOCS_CHECK_BUDGET_MS:-20000}

bash scripts/install-deps.sh chromium
[ -f "$SITE/documentation/rbm/index.html" ] || { echo "docs-check: no site in $SITE; run make docs" >&2; exit 1; }
rm -rf "$OUT"; mkdir -p "$OUT"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server --bind 127.0.0.1 "$port" -d "$SITE" > "$OUT/server.log" 2>&1 &
server=$!
profile=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$profile"' EXIT
for _ in $(seq 50); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/documentation/" && break
    sleep 0.1
done

browser() {
    # --no-sandbox: Chromium's sandbox refuses to run as root, as CI and these machines do.
    chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --hide-scrollbars \
        --user-data-dir="$profile" --virtual-time-budget="$BUDGET" "$@" 2>>"$OUT/chromium.log"
}

failures=0
# check NAME PATH MIN_TOPIC_LINKS TEXT...: the rendered DOM holds every TEXT and at least
# MIN_TOPIC_LINKS entries in its Topics section.
check() {
    local name=$1 path=$2 min_links=$3; shift 3
    local url="http://127.0.0.1:$port/$path"
    browser --dump-dom "$url" > "$OUT/$name.html"
    browser --window-size=1400,2400 --screenshot="$PWD/$OUT/$name.png" "$url" > /dev/null
    local links
    links=$({ grep -o 'class="link-block topic"' "$OUT/$name.html" || true; } | wc -l)
    local problems=()
    [ "$min_links" -eq 0 ] || grep -q 'id="topics"' "$OUT/$name.html" || problems+=("no Topics section")
    [ "$links" -ge "$min_links" ] || problems+=("$links topic links, expected at least $min_links")
    # The text without tags: DocC breaks long names with <wbr>.
    sed -e 's/<[^>]*>//g' "$OUT/$name.html" > "$OUT/$name.txt"
    for text in "$@"; do grep -qF -- "$text" "$OUT/$name.txt" || problems+=("no '$text'"); done
    if [ ${#problems[@]} -eq 0 ]; then
        echo "docs-check: $path rendered ($links topic links), $OUT/$name.png"
    else
        echo "docs-check: $path: $(IFS=';'; echo "${problems[*]}") (see $OUT/$name.html, $OUT/$name.png)" >&2
        failures=$((failures + 1))
    fi
}

check rbm documentation/rbm/ 10 RBMTrainer LogLikelihood AnnealedImportanceSampling RBMModelFile 'LogLikelihood.evaluate'
check rbm-guide documentation/rbm/rbmguide 0 'restricted Boltzmann machines' 'The model' 'Salakhutdinov'
check energycore documentation/energycore/ 10 RandomSource Matrix
check energyformats documentation/energyformats/ 10 NumpyArray IDXArray
check hopfieldmemory documentation/hopfieldmemory/ 10 AssociativeMemory RecallResult
check trackfinding documentation/trackfinding/ 10 TrackFinder TrackingScore
check dbn documentation/dbn/ 10 DBNTrainer Classification
check package documentation/ 0 EnergyModels EnergyCore EnergyFormats HopfieldMemory TrackFinding 'Deep belief networks'

if [ "$failures" -ne 0 ]; then echo "docs-check: $failures page(s) not rendered as expected" >&2; exit 1; fi
echo "docs-check: all pages rendered; screenshots in $OUT/"
