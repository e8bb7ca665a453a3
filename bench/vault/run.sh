#!/usr/bin/env bash
# Vault benchmark: unlock time at default Argon2id parameters, and 1 KB record insert / point-read
# rates of the vault compared with plain SQLite (org.xerial:sqlite-jdbc, the anchor) on the same
# machine, as ratios.
#
# Each side runs in its own JVM: the vault's driver (io.github.willena) and xerial's share the
# package org.sqlite and must never be on one classpath. The sides are interleaved for ROUNDS rounds
# and the medians compared, because on a shared machine the fsync-bound numbers drift a lot between
# minutes. A third, informative side runs the anchor's exact SQL on the willena driver without a key:
# it separates "SQLite build" from "encryption" in the vault's cost.
#
# *_per_s are wall-clock rates; *_per_cpu_s divide by the benchmark thread's CPU time (all the work,
# JNI SQLite included, runs on that thread), which other tenants of a shared machine disturb less.
# Autocommit inserts are fsync-bound: wall clock only.
#
# Usage: bench/vault/run.sh [RECORDS] [READS] [ROUNDS] [UNLOCKS]   (defaults 2000 20000 5 7)
#        OFFLINE=1 adds -o to Maven.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
records="${1:-2000}"; reads="${2:-20000}"; rounds="${3:-5}"; unlocks="${4:-7}"
mvn_opts=(-B -q)
[[ "${OFFLINE:-0}" == 1 ]] && mvn_opts+=(-o)

# The vault library into the local repository, then this project with its runtime classpath.
(cd "$root" && mvn "${mvn_opts[@]}" -pl helper/vault -am install -DskipTests -Dspotless.check.skip=true)
(cd "$here" && mvn "${mvn_opts[@]}" package)
xerial_version="$(sed -n 's:.*<xerial-sqlite.version>\(.*\)</xerial-sqlite.version>.*:\1:p' "$root/pom.xml")"
(cd "$here" && mvn "${mvn_opts[@]}" dependency:copy -Dartifact="org.xerial:sqlite-jdbc:$xerial_version" \
  -DoutputDirectory="$here/target/xerial-lib")

work="$(mktemp -d "${TMPDIR:-/tmp}/sceau-bench-vault.XXXXXX")"
trap 'rm -rf "$work"' EXIT
classes="$here/target/classes"
java_opts=(-Xmx512m -XX:+UseSerialGC)
results="$work/results.txt"
: > "$results"

echo "# load before: $(uptime)"
for ((r = 1; r <= rounds; r++)); do
  java "${java_opts[@]}" -cp "$classes:$here/target/xerial-lib/*" \
    org.sceau.bench.vault.SqlBench plain "$work/plain" "$records" "$reads" 1 2>/dev/null >> "$results"
  java "${java_opts[@]}" -cp "$classes:$here/target/vault-lib/*" \
    org.sceau.bench.vault.VaultBench "$work/vault" "$records" "$reads" 1 "$unlocks" 2>/dev/null >> "$results"
  java "${java_opts[@]}" -cp "$classes:$here/target/vault-lib/*" \
    org.sceau.bench.vault.SqlBench willena_nokey "$work/wn" "$records" "$reads" 1 2>/dev/null >> "$results"
  echo "# round $r done: $(uptime | sed 's/.*load/load/')"
done
echo "# load after: $(uptime)"

median() {
  sed -n "s/^$1=//p" "$results" | sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "nan"; exit }
    if (NR % 2) { print v[(NR + 1) / 2] } else { print (v[NR / 2] + v[NR / 2 + 1]) / 2 } }'
}
for side in plain vault willena_nokey; do
  for m in insert_per_s insert_batched100_per_s point_read_per_s insert_batched100_per_cpu_s point_read_per_cpu_s; do
    echo "$side.$m.median=$(median "$side.$m") (all: $(sed -n "s/^$side.$m=//p" "$results" | tr '\n' ' '))"
  done
done
echo "vault.unlock_ms.median=$(median vault.unlock_ms_median) (per-round medians: $(sed -n 's/^vault.unlock_ms_median=//p' "$results" | tr '\n' ' '))"
ratio() { awk -v a="$(median "$1")" -v b="$(median "$2")" 'BEGIN { printf "%.2f", a / b }'; }
for m in insert_per_s insert_batched100_per_s point_read_per_s insert_batched100_per_cpu_s point_read_per_cpu_s; do
  echo "ratio.vault_over_plain.$m=$(ratio "vault.$m" "plain.$m")   (willena_nokey/plain: $(ratio "willena_nokey.$m" "plain.$m"), vault/willena_nokey: $(ratio "vault.$m" "willena_nokey.$m"))"
done
echo "# records=$records reads=$reads rounds=$rounds; 1 KB values; WAL + synchronous=FULL on every side; unlock: $unlocks per round, Argon2id 64 MiB t=3 p=1"
