#!/usr/bin/env bash
# Relay benchmark: the Sceau relay (durable SQLite queueing on, acks on) vs a fresh Prosody 0.12, same harness,
# same box. Adapted from /work/shared/chat/bench (RelayBench load generator; "sceau" transport added).
#   bench/relay/run-all.sh                 # both targets, then the ratio table
#   TARGETS=sceau bench/relay/run-all.sh   # one target
# Knobs: WARMUP_MSGS (300000; 0 = none) MSGS (100000) RATE100 (2000) RATE2 (1000) SECONDS_PER_RUN (10) SIZE (100) IDLE ("1000 10000")
# Output: bench/relay/results/<target>-<timestamp>.txt and results/summary-<timestamp>.txt
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"; ROOT="$(cd "$HERE/../.." && pwd)"; cd "$HERE"
TARGETS="${TARGETS:-sceau xmpp}"; MSGS="${MSGS:-100000}"; RATE2="${RATE2:-1000}"; RATE100="${RATE100:-2000}"
SECS="${SECONDS_PER_RUN:-10}"; WARMUP_MSGS="${WARMUP_MSGS:-300000}"; IDLE="${IDLE-1000 10000}"; SIZE="${SIZE:-100}"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ ! -d "$ROOT/relay/target/lib" ]; then (cd "$ROOT" && mvn -B -q -pl relay -am package -DskipTests); fi
CP="$ROOT/relay/target/sceau-relay-0.1.0-SNAPSHOT.jar:$ROOT/relay/target/lib/*"
mkdir -p target/classes results
javac -nowarn -d target/classes -cp "$CP" src/chatbench/RelayBench.java || exit 1
BCP="target/classes:$CP"
J="java -Xmx4g -cp $BCP chatbench.RelayBench"
STAMP=$(date +%Y%m%d-%H%M%S)

matrix() { # $1 = transport args, $2 = server pid, $3 = extra idle args
  # Steady state, for both servers alike: one unreported pass first. A fresh JVM spends its first
  # ~10 s compiling (a profile of the relay's first 100k messages showed ~45% of its CPU in the C2/C1
  # compiler threads), which a long-running relay pays once, not per message. Prosody gets the same pass.
  if [ "$WARMUP_MSGS" != 0 ]; then
    echo "## warm-up pass (not reported) clients=100 msgs=$WARMUP_MSGS  [load: $(cut -d' ' -f1-3 /proc/loadavg)]"
    $J $1 --mode=throughput --clients=100 --msgs=$WARMUP_MSGS --window=8 --size=$SIZE --server-pid=$2 | grep -E "MEASURED" | sed 's/^/   warm-up: /'
  fi
  echo "## echo throughput clients=2 window=32 (each client sends to itself)  [load: $(cut -d' ' -f1-3 /proc/loadavg)]"
  $J $1 --mode=throughput --echo=true --clients=2 --msgs=$MSGS --window=32 --size=$SIZE --server-pid=$2 | grep -E "MEASURED"
  for C in 2 100; do
    W=$([ $C = 2 ] && echo 32 || echo 8)
    echo "## throughput clients=$C window=$W  [load: $(cut -d' ' -f1-3 /proc/loadavg)]"
    $J $1 --mode=throughput --clients=$C --msgs=$MSGS --window=$W --size=$SIZE --server-pid=$2 | grep -E "MEASURED|connected"
    R=$([ $C = 2 ] && echo $RATE2 || echo $RATE100)
    echo "## latency clients=$C rate=$R/s  [load: $(cut -d' ' -f1-3 /proc/loadavg)]"
    $J $1 --mode=latency --clients=$C --rate=$R --seconds=$SECS --size=$SIZE --server-pid=$2 | grep -E "MEASURED|connected"
  done
  for N in $IDLE; do
    echo "## idle $N  [load: $(cut -d' ' -f1-3 /proc/loadavg)]"
    $J $1 --mode=idle --clients=$N --server-pid=$2 $3 | grep -vE "^transport"
  done
}

for T in $TARGETS; do
  OUT="results/$T-$STAMP.txt"
  if [ "$T" = sceau ]; then
    DATA=$(mktemp -d -t sceau-relay-bench.XXXXXX)
    java -Xms256m -Xmx4g -cp "$CP" org.sceau.relay.RelayMain --port=7071 --data.dir="$DATA" \
      --rate.device.messages.per.second=0 --rate.address.frames.per.second=0 \
      --rate.address.connections.per.minute=0 --rate.address.registrations.per.hour=0 \
      --mailbox.max.messages=100000000 --idle.timeout.seconds=3600 --auth.timeout.seconds=300 \
      > "results/sceau-server-$STAMP.log" 2>&1 &
    PID=$!
    for i in $(seq 1 100); do grep -q "sceau-relay listening" "results/sceau-server-$STAMP.log" && break; sleep 0.2; done
    { echo "# sceau relay (SQLite WAL synchronous=NORMAL, ack-delete)  $(date -Is)  $(nproc) cpus  $(java -version 2>&1 | head -1)"
      matrix "--transport=sceau --url=ws://127.0.0.1:7071/v1/ws" $PID "--jvm-heap=true"
      echo "## store after run: $(du -sh "$DATA" | cut -f1)"; } 2>&1 | tee "$OUT"
    kill "$PID"; wait "$PID" 2>/dev/null; rm -rf "$DATA"
  else
    command -v prosody >/dev/null || { echo "prosody not installed (apt-get install -y prosody); skipped" | tee "$OUT"; continue; }
    PDIR=$(mktemp -d -t sceau-bench-prosody.XXXXXX)
    PID=$(./run-prosody.sh "$PDIR")
    { echo "# prosody $(dpkg-query -W -f='${Version}' prosody 2>/dev/null)  $(date -Is)  $(nproc) cpus"
      matrix "--transport=xmpp --host=127.0.0.1 --port=5222 --domain=localhost" $PID ""; } 2>&1 | tee "$OUT"
    kill "$PID"; sleep 1; rm -rf "$PDIR"
  fi
done
echo "wrote results/*-$STAMP.txt"
