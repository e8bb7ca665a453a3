#!/usr/bin/env bash
# End-to-end smoke check of the MLS chat client against the REAL relay (not a benchmark):
# org.sceau.chat.RelaySmoke (helper/chat test classes) starts relay/target's jar on a loopback port
# with a fresh SQLite store, runs three clients over WebSockets (1:1, group add/remove, client
# restart, relay restart with queued messages), then this script scans the relay's store and log
# for the plaintext marker. Needs: mvn -pl relay -am package -DskipTests, then
# mvn -pl helper/chat test-compile.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RELAY_JAR="$ROOT/relay/target/sceau-relay-0.1.0-SNAPSHOT.jar"
[ -f "$RELAY_JAR" ] || { echo "relay jar missing: mvn -pl relay -am package -DskipTests"; exit 2; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
MARKER="PLAINTEXT-MARKER-$RANDOM$RANDOM"

(cd "$ROOT" && mvn -B -q -o -pl helper/chat dependency:build-classpath \
  -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=test >/dev/null)
java -cp "$ROOT/helper/chat/target/classes:$ROOT/helper/chat/target/test-classes:$(cat "$WORK/cp.txt")" \
  org.sceau.chat.RelaySmoke "$RELAY_JAR" "$ROOT/relay/target/lib" "$WORK" "$MARKER"

if grep -r -a -q "$MARKER" "$WORK/data" "$WORK/relay.log"; then
  echo "FAIL: plaintext marker found in the relay's store or log"; exit 1
fi
echo "PASS  relay store ($(du -sh "$WORK/data" | cut -f1)) and log ($(wc -l <"$WORK/relay.log") lines) scanned: no plaintext marker"
