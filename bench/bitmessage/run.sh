#!/bin/sh
# Bitmessage benchmark (issue 6). Usage: bench/bitmessage/run.sh [WINDOWS] [MSG_RUNS]
# Rates are sampled in WINDOWS 1-second windows (best and median are printed: the machine may be
# shared).
# Builds helper/bitmessage, compiles BitmessageBench, runs the C/OpenSSL anchor loop
# (PyBitmessage's bitmsghash method) in the same run when gcc and libssl-dev are present,
# then the Java benchmark, which prints figures and ratios. Not part of `mvn verify`.
set -eu
SECS=${1:-8}
RUNS=${2:-5}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT="$HERE/target"
mkdir -p "$OUT"
cd "$ROOT"
mvn -B -q -o -Dstyle.color=never -pl helper/bitmessage compile
mvn -B -q -o -Dstyle.color=never -pl helper/bitmessage dependency:build-classpath -Dmdep.outputFile="$OUT/cp.txt" >/dev/null
CP="$ROOT/helper/bitmessage/target/classes:$(cat "$OUT/cp.txt")"
javac --release 17 --add-modules jdk.incubator.vector -nowarn -d "$OUT" -cp "$CP" \
  "$HERE/BitmessageBench.java" 2>&1 | grep -v -i "warning" || true
C1=""
CN=""
NPROC=$(nproc)
if command -v gcc >/dev/null 2>&1 && [ -f /usr/include/openssl/sha.h ]; then
  gcc -O3 -march=native -o "$OUT/dsha512_bench" "$HERE/anchor/dsha512_bench.c" -lcrypto -lpthread
  echo "# C anchor (OpenSSL SHA512_* loop = bitmsghash's method), 1-s windows, load: $(cat /proc/loadavg)"
  best() { # best trials/s of N 1-second runs on $1 threads
    B=0
    i=0
    while [ "$i" -lt "$SECS" ]; do
      V=$("$OUT/dsha512_bench" 1 "$1" lowlevel | sed 's/.*"trials_per_s": \([0-9]*\).*/\1/')
      [ "$V" -gt "$B" ] && B=$V
      i=$((i + 1))
    done
    echo "$B"
  }
  C1=$(best 1)
  CN=$(best "$NPROC")
  echo "# C anchor best: $C1 trials/s (1 thread), $CN trials/s ($NPROC threads)"
else
  echo "# gcc/libssl-dev missing: C anchor skipped, citing the measured PyBitmessage figure only"
fi
if [ -n "$C1" ]; then
  java --add-modules jdk.incubator.vector -cp "$OUT:$CP" BitmessageBench "$SECS" "$C1" "$CN" "$RUNS" 2>&1 | grep -v '^WARNING: Using incubator'
else
  java --add-modules jdk.incubator.vector -cp "$OUT:$CP" BitmessageBench "$SECS" 2>&1 | grep -v '^WARNING: Using incubator'
fi
