#!/usr/bin/env bash
# Replays and runs every libFuzzer harness of a fuzz build (fuzz/README.md); `make fuzz` and
# `make fuzz-test` call it after building the `fuzzers` target.
#
#   fuzz/run.sh [BUILD_DIR]          (default build-fuzz)
#
# The harnesses are the ones CMake lists in BUILD_DIR/fuzz/harnesses.txt (every cv_fuzzer() in
# fuzz/CMakeLists.txt), so a new harness needs no change here. For each harness:
#   1. replay: every file in fuzz/regressions/<harness>/ and fuzz/corpus/<harness>/ is run once
#      (libFuzzer executes files given by name without fuzzing); a failure there fails the
#      harness without fuzzing it;
#   2. fuzz for FUZZ_SECONDS on a scratch copy of fuzz/corpus/<harness>/ (BUILD_DIR/fuzz-run/);
#   3. on a crash (or leak, timeout, out-of-memory): copy the input libFuzzer saved into
#      fuzz/regressions/<harness>/ and fail;
#   4. with FUZZ_MERGE=1 and no crash, merge what the run found into fuzz/corpus/<harness>/
#      (-merge=1 adds only inputs that bring new coverage, so the corpus grows but stays small).
# Per-harness libFuzzer settings come from fuzz/<harness>.options ("[libfuzzer]" then
# "max_len = 4096" lines, as OSS-Fuzz reads them) and fuzz/<harness>.dict when present.
#
# Environment:
#   FUZZ_SECONDS    fuzzing time per harness (default 600); 0 only replays
#   FUZZ_MERGE      1: merge new inputs into the committed corpus (default 0)
#   FUZZ_HARNESSES  space-separated subset to run (default: every harness of the build)
#   FUZZ_RSS_MB     -rss_limit_mb (default 2048)
#   FUZZ_TIMEOUT    -timeout in seconds for one input (default 25)
# Prints one summary line per harness and a last line "fuzz: N harnesses ... PASS|FAIL";
# exits 1 when any harness failed.
set -uo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:-$root/build-fuzz}" && pwd)" || exit 2
seconds="${FUZZ_SECONDS:-600}"
merge="${FUZZ_MERGE:-0}"
rss_mb="${FUZZ_RSS_MB:-2048}"
timeout="${FUZZ_TIMEOUT:-25}"
list="$build/fuzz/harnesses.txt"

if [ ! -f "$list" ]; then
  echo "fuzz: $list not found; configure with -DCLOUDVAULT_FUZZ=ON and build 'fuzzers'" >&2
  exit 2
fi
if [ -n "${FUZZ_HARNESSES:-}" ]; then
  read -r -a harnesses <<<"$FUZZ_HARNESSES"
else
  mapfile -t harnesses < <(grep -v '^\s*$' "$list")
fi

# libFuzzer flags of fuzz/<harness>.options ([libfuzzer] key = value) and fuzz/<harness>.dict.
harness_flags() {
  local h="$1" options="$root/fuzz/$1.options" section="" line key value
  if [ -f "$options" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      line="${line%%#*}"
      line="$(echo "$line" | tr -d '[:space:]')"
      [ -z "$line" ] && continue
      if [[ "$line" == \[*\] ]]; then section="$line"; continue; fi
      [ "$section" = "[libfuzzer]" ] || continue
      key="${line%%=*}"
      value="${line#*=}"
      echo "-$key=$value"
    done <"$options"
  fi
  [ -f "$root/fuzz/$h.dict" ] && echo "-dict=$root/fuzz/$h.dict"
}

# Files of a folder, one per line (none when the folder is missing or empty).
files_in() {
  [ -d "$1" ] && find "$1" -maxdepth 1 -type f ! -name '.*' ! -name '*.md' | sort
}

# The lines of a failing run's log that say what failed.
excerpt() {
  grep -E 'Running: |contract violated|accepted|rejected|ERROR: |runtime error|SUMMARY: |Test unit written' \
    "$1" | tail -n 12 | sed 's/^/    /'
}

# The value of "stat::<name>: N" in a libFuzzer log (-print_final_stats=1).
stat_of() { sed -n "s/^stat::$2: *//p" "$1" | tail -1; }

failed=()
summaries=()
for h in "${harnesses[@]}"; do
  bin="$build/fuzz/$h"
  corpus="$root/fuzz/corpus/$h"
  regressions="$root/fuzz/regressions/$h"
  run="$build/fuzz-run/$h"
  if [ ! -x "$bin" ]; then
    summaries+=("$(printf 'fuzz: %-22s FAIL  not built (%s)' "$h" "$bin")")
    failed+=("$h")
    continue
  fi
  mapfile -t flags < <(harness_flags "$h")
  common=(-rss_limit_mb="$rss_mb" -timeout="$timeout" "${flags[@]}")
  rm -rf "$run"
  mkdir -p "$run/corpus" "$run/artifacts"

  # 1. Replay the regressions and the committed corpus.
  mapfile -t replay < <(files_in "$regressions"; files_in "$corpus")
  replayed=${#replay[@]}
  if [ "$replayed" -gt 0 ]; then
    echo "fuzz: $h: replaying $replayed inputs (regressions + corpus)"
    if ! "$bin" "${common[@]}" -artifact_prefix="$run/artifacts/" "${replay[@]}" \
        >"$run/replay.log" 2>&1; then
      excerpt "$run/replay.log"
      failing="$(grep -o 'Running: .*' "$run/replay.log" | tail -1 | cut -c10-)"
      failing="${failing#"$root"/}"
      summaries+=("$(printf 'fuzz: %-22s FAIL  replay of %s failed (log: %s)' "$h" \
        "${failing:-an input}" "$run/replay.log")")
      failed+=("$h")
      continue
    fi
  fi
  if [ "$seconds" -le 0 ]; then
    summaries+=("$(printf 'fuzz: %-22s ok    replayed %d inputs' "$h" "$replayed")")
    continue
  fi

  # 2. Fuzz on a scratch copy of the corpus.
  files_in "$corpus" | xargs -r cp -t "$run/corpus"
  echo "fuzz: $h: fuzzing for ${seconds}s"
  "$bin" "$run/corpus" "${common[@]}" -max_total_time="$seconds" -print_final_stats=1 \
    -artifact_prefix="$run/artifacts/" >"$run/fuzz.log" 2>&1
  status=$?
  log="$run/fuzz.log"
  runs="$(stat_of "$log" number_of_executed_units)"
  execs="$(stat_of "$log" average_exec_per_sec)"
  progress="$(grep -E '^#[0-9]+' "$log" | tail -1)"
  cov="$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$progress")"
  ft="$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$progress")"
  size="$(files_in "$run/corpus" | wc -l)"
  figures="$(printf 'runs %s  exec/s %s  cov %s  ft %s  corpus %s' "${runs:-?}" "${execs:-?}" \
    "${cov:-?}" "${ft:-?}" "$size")"

  # 3. A finding: keep the input as a regression and fail.
  if [ "$status" -ne 0 ]; then
    excerpt "$log"
    mkdir -p "$regressions"
    kept=()
    for artifact in "$run"/artifacts/*; do
      [ -f "$artifact" ] || continue
      cp "$artifact" "$regressions/"
      kept+=("fuzz/regressions/$h/$(basename "$artifact")")
    done
    summaries+=("$(printf 'fuzz: %-22s CRASH %s  kept %s (log: %s)' "$h" "$figures" \
      "${kept[*]:-nothing (no artifact written)}" "$log")")
    failed+=("$h")
    continue
  fi

  # 4. Grow the committed corpus with what this run found.
  merged=""
  if [ "$merge" = "1" ]; then
    before="$(files_in "$corpus" | wc -l)"
    mkdir -p "$corpus"
    if "$bin" -merge=1 "${common[@]}" "$corpus" "$run/corpus" >"$run/merge.log" 2>&1; then
      merged="  merged +$(($(files_in "$corpus" | wc -l) - before)) into fuzz/corpus/$h"
    else
      merged="  merge failed (log: $run/merge.log)"
    fi
  fi
  summaries+=("$(printf 'fuzz: %-22s ok    %s  replayed %d%s' "$h" "$figures" "$replayed" \
    "$merged")")
done

echo
printf '%s\n' "${summaries[@]}"
verdict=PASS
[ ${#failed[@]} -gt 0 ] && verdict="FAIL (${failed[*]})"
echo "fuzz: ${#harnesses[@]} harnesses, ${seconds}s each, ${#failed[@]} failed: $verdict"
[ ${#failed[@]} -eq 0 ]
