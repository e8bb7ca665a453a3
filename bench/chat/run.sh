#!/usr/bin/env bash
# MLS per-message and per-commit cost through the Sceau chat client layer, at 10 and 100 members,
# against the raw-bcmls anchor measured on this box. Usage: bench/chat/run.sh [messages] [commits]
# Needs: mvn -pl helper/chat -am package -DskipTests (or any build that fills helper/chat/target).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
(cd "$ROOT" && mvn -B -q -o -pl helper/chat dependency:build-classpath \
  -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=runtime >/dev/null)
CP="$ROOT/helper/chat/target/classes:$(cat "$WORK/cp.txt")"
javac -d "$WORK" -cp "$CP" "$ROOT/bench/chat/MlsCostBench.java"
echo "load before: $(uptime)"
java -Xss4m -cp "$WORK:$CP" MlsCostBench "$@"
echo "load after:  $(uptime)"
