#!/usr/bin/env bash
# Builds the fuzz harnesses (Fuzz/, libFuzzer + AddressSanitizer) and runs each for FUZZ_SECONDS on
# a working copy of its corpus; fails when any harness finds a crash, a leak, an out-of-memory or a
# timeout, and leaves the input in out/fuzz/crashes/<harness>/. See docs/reliability.md.
#
#   FUZZ_SECONDS   seconds per harness (default 60)
#   FUZZ_TARGETS   harnesses to run, space-separated (default: all of Fuzz/Sources/Fuzz*)
#   FUZZ_FLAGS     extra libFuzzer flags for every harness (e.g. "-jobs=2 -workers=2")
#   SWIFT          the swift driver (default: swift)
#
# Layout under out/fuzz/: corpus/<harness>/ (the working corpus: the seeds of Fuzz/Corpus/<harness>
# plus what fuzzing adds; kept between runs), crashes/<harness>/ (libFuzzer's artifacts, each with a
# .txt report whose Swift symbols are demangled), logs/<harness>.log, build.log.
set -uo pipefail

cd "$(dirname "$0")/.."
root=$PWD
SWIFT=${SWIFT:-swift}
seconds=${FUZZ_SECONDS:-60}
out=$root/out/fuzz
bin=$root/Fuzz/.build/release

if [ -n "${FUZZ_TARGETS:-}" ]; then
  read -r -a targets <<<"$FUZZ_TARGETS"
else
  targets=()
  for d in Fuzz/Sources/Fuzz*; do
    name=$(basename "$d")
    [ "$name" = FuzzSupport ] || targets+=("$name")
  done
fi
for t in "${targets[@]}"; do
  if [ ! -d "Fuzz/Sources/$t" ] || [ "$t" = FuzzSupport ]; then
    echo "fuzz: no harness '$t'; the harnesses are: $(ls Fuzz/Sources | grep -v '^FuzzSupport$' | tr '\n' ' ')" >&2
    exit 2
  fi
done

mkdir -p "$out/logs"
# -parse-as-library: the harnesses have no main.swift; libFuzzer's driver is the entry point.
build=("$SWIFT" build --package-path Fuzz -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library)
echo "fuzz: building ${#targets[@]} harness(es): ${build[*]}"
start=$(date +%s)
if [ -z "${FUZZ_TARGETS:-}" ]; then
  "${build[@]}" >"$out/build.log" 2>&1 || { tail -40 "$out/build.log"; echo "fuzz: build failed (log: out/fuzz/build.log)" >&2; exit 1; }
else
  : >"$out/build.log"
  for t in "${targets[@]}"; do
    "${build[@]}" --product "$t" >>"$out/build.log" 2>&1 || { tail -40 "$out/build.log"; echo "fuzz: build of $t failed (log: out/fuzz/build.log)" >&2; exit 1; }
  done
fi
echo "fuzz: built in $(( $(date +%s) - start )) s"

# Leaks are reported (LeakSanitizer is on by default with ASan); the one suppression, a leak in the
# toolchain's Foundation, is compiled into the harnesses (Fuzz/Sources/FuzzSupport/LeakSuppressions.swift).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=0}
# Swift traps (SIGILL) go to libFuzzer, not to the Swift runtime's backtracer (the harnesses would
# set this themselves and re-execute; see Fuzz.main).
export SWIFT_BACKTRACE=enable=no
# Readers must answer within 10 s; 2 GiB of RSS (and of any single malloc) is libFuzzer's default.
flags=(-max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048)
read -r -a extra <<<"${FUZZ_FLAGS:-}"

demangle() { if "$SWIFT" demangle --help >/dev/null 2>&1; then "$SWIFT" demangle --simplified; else cat; fi; }
stat_of() { sed -n "s/^stat::$1: *//p" "$2" | tail -1; }

failed=()
rows=()
for t in "${targets[@]}"; do
  corpus=$out/corpus/$t
  crashes=$out/crashes/$t
  log=$out/logs/$t.log
  mkdir -p "$corpus" "$crashes"
  # The seeds join the working corpus (a seed already there is not copied again).
  cp -n Fuzz/Corpus/"$t"/* "$corpus"/ 2>/dev/null || true
  artifacts() { ls "$crashes" | grep -E '^(crash|leak|oom|timeout)-[0-9a-f]+$' || true; }
  before=$(artifacts)
  echo "fuzz: $t for ${seconds} s (corpus $(ls "$corpus" | wc -l) files)"
  "$bin/$t" "${flags[@]}" ${extra[@]+"${extra[@]}"} -artifact_prefix="$crashes/" "$corpus" >"$log" 2>&1
  status=$?
  # This run's new artifacts, each with the log (its sanitizer report) demangled beside it.
  found=()
  for base in $(comm -13 <(echo "$before") <(artifacts)); do
    found+=("$crashes/$base")
    demangle <"$log" >"$crashes/$base.txt"
  done
  # The final status line, e.g. "#52144 DONE cov: 1021 ft: 3305 corp: 180/22Kb ...".
  last=$(grep -E '^#[0-9]+[[:space:]].*cov: ' "$log" | tail -1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last"); ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  execs=$(stat_of number_of_executed_units "$log"); rate=$(stat_of average_exec_per_sec "$log")
  files=$(ls "$corpus" | wc -l)
  if [ "$status" -ne 0 ] || [ ${#found[@]} -gt 0 ]; then
    result=FAIL
    failed+=("$t")
    echo "fuzz: $t FAILED (exit $status): $(grep -m1 -E '==ERROR|ERROR: libFuzzer|Fatal error|SUMMARY' "$log" || echo "see the log")" >&2
    for f in ${found[@]+"${found[@]}"}; do echo "  input: ${f#"$root"/}   report: ${f#"$root"/}.txt   reproduce: Fuzz/.build/release/$t ${f#"$root"/}" >&2; done
    echo "  log: ${log#"$root"/}" >&2
  else
    result=ok
  fi
  rows+=("$(printf '%-18s %-5s %10s %8s %6s %7s %7s' "$t" "$result" "${execs:--}" "${rate:--}" "${cov:--}" "${ft:--}" "$files")")
done

echo
echo "fuzz: ${seconds} s per harness"
printf '%-18s %-5s %10s %8s %6s %7s %7s\n' harness result execs exec/s cov ft corpus
for r in "${rows[@]}"; do echo "$r"; done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: ${#failed[@]} harness(es) found problems: ${failed[*]} (inputs in out/fuzz/crashes/)" >&2
  exit 1
fi
echo "fuzz: no crashes"
