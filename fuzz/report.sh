#!/usr/bin/env bash
# Writes target/fuzz/summary.md from the last fuzzing run (target/fuzz: stats/ from FuzzRuns, the
# surefire reports, the generated corpus, crash files) and copies it between the fuzz:begin and
# fuzz:end markers of docs/security.md. Usage: fuzz/report.sh SECONDS_PER_TARGET FORKS
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:?seconds per target}
forks=${2:-2}
out=target/fuzz/summary.md

# what each target checks (one line each, for the table)
declare -A CHECKS=(
  [MutatePodsFuzzTest]="\`POST /mutate/pods\`, any body: 200 or 400, uid echoed, Status with a message, no Java text; the patch is RFC 6902 on metadata with valid label keys and values, applies, and a second pass gives none"
  [ValidatePodsFuzzTest]="\`POST /validate/pods\`, any body: the same answer invariants"
  [ValidateNetworkPoliciesFuzzTest]="\`POST /validate/networkpolicies\`, any body (seeds: fixtures and the netpol recipes): the same answer invariants"
  [ValidateGuardrailsFuzzTest]="\`POST /validate/guardrails\`, any body: the same answer invariants"
  [NetworkPolicyParityFuzzTest]="a NetworkPolicy, its old version, its namespace's others and guardrails: the webhook and \`idgate check\` give the same decision and lines"
  [GuardrailParserFuzzTest]="any text as a guardrail document: a document, or errors each with a line, a field path and no Java text, within 10 s"
  [LabelValuesFuzzTest]="two strings: the label value is valid, deterministic, the value itself when valid, else the documented hash; no two invalid values collide"
  [SelectorsFuzzTest]="two selectors and a label map: matches, satisfiability, overlap, required keys and values equal an enumeration over the Kubernetes semantics"
)

# 1234567 -> 1,234,567 (printf's ' flag depends on the locale)
thousands() { echo "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }

total_exec=0
rows=""
failed=0
for stats in target/fuzz/stats/*.properties; do
  [ -e "$stats" ] || continue
  target=$(sed -n 's/^target=//p' "$stats")
  execs=$(sed -n 's/^executions=//p' "$stats")
  secs=$(sed -n 's/^seconds=//p' "$stats")
  corpus_dir=$(ls -d target/fuzz/.cifuzz-corpus/io.idgate.fuzz."$target"/* 2>/dev/null | head -1)
  corpus=$( [ -n "$corpus_dir" ] && find "$corpus_dir" -type f | wc -l || echo 0)
  report=target/fuzz/reports/TEST-io.idgate.fuzz.$target.xml
  finding="none"
  if [ -f "$report" ] && grep -q '<error\|<failure' "$report"; then
    finding=$(grep -o -m1 'message="[^"]*' "$report" | head -1 | sed 's/^message="//; s/&quot;/"/g; s/&lt;/</g; s/&gt;/>/g; s/&amp;/\&/g' | cut -c1-160)
    failed=$((failed + 1))
  fi
  total_exec=$((total_exec + execs))
  rows+="| \`$target\` | ${CHECKS[$target]:-} | $(thousands "$execs") | $secs | $corpus | $finding |"$'\n'
done

{
  echo "Last \`make fuzz\`: $(date -u +%Y-%m-%d), $seconds s per target, $forks targets at a time, $(nproc) cores"
  echo "(load ${FUZZ_LOAD:-?} at the start), Jazzer $(sed -n 's:.*<jazzer.version>\(.*\)</jazzer.version>.*:\1:p' pom.xml), wall time ${FUZZ_WALL:-?} s."
  echo "Executions and seconds are counted by the targets (seed replay included); corpus is what Jazzer"
  echo "kept as new coverage; a finding fails the run and leaves its input in \`target/fuzz/crash-*\`."
  echo
  echo "| target | checks | executions | seconds | corpus | findings |"
  echo "|---|---|---:|---:|---:|---|"
  printf '%s' "$rows"
  echo
  echo "$(thousands "$total_exec") executions in all; $failed target(s) with a finding."
} > "$out"
echo "[fuzz] wrote $out"

# copy into docs/security.md between the markers (the prose around them is kept)
doc=docs/security.md
if grep -q '<!-- fuzz:begin -->' "$doc"; then
  awk -v summary="$out" '
    /<!-- fuzz:begin -->/ { print; while ((getline line < summary) > 0) print line; skip = 1; next }
    /<!-- fuzz:end -->/ { skip = 0 }
    !skip { print }' "$doc" > "$doc.tmp" && mv "$doc.tmp" "$doc"
  echo "[fuzz] updated the Fuzzing section of $doc"
fi
