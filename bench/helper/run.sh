#!/usr/bin/env bash
# Helper figures for the notes: start-to-ready, idle resident memory, helper.ping round trip over the
# socket (CLI client in one JVM) and through the real bridge process. Runs in a throw-away home.
# There is no outside anchor for these: they are compared with the add-on's needs (Thunderbird's own
# native-messaging start is ~1-2 s; see ../shared/thunderbird/RECIPE.md §4).
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
app="$here/helper/app/target"
[ -f "$app/sceau-app.jar" ] || (cd "$here" && mvn -B -q -DskipTests -Dspotless.check.skip=true -pl helper/app -am package)
cp="$app/sceau-app.jar:$app/lib/*"
work=$(mktemp -d /tmp/sceau-bench.XXXXXX)
trap 'HOME=$work/home XDG_RUNTIME_DIR=$work/run java -cp "$cp" org.sceau.app.cli.SceauCli stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
mkdir -p "$work/home" "$work/run"; chmod 700 "$work/run"
export HOME=$work/home XDG_RUNTIME_DIR=$work/run
echo "load: $(uptime)"

t0=$(date +%s%N)
java -XX:+UseSerialGC -Xss512k -Xms16m -Xmx768m -cp "$cp" org.sceau.app.HelperMain > "$work/helper.out" 2>&1 &
until grep -q ready "$work/helper.out" 2>/dev/null; do sleep 0.005; done
t1=$(date +%s%N)
echo "start-to-ready (process start to socket listening): $(( (t1 - t0) / 1000000 )) ms"
grep -o 'ready in [0-9]* ms' "$HOME/.local/state/sceau/helper.log" | sed 's/^/  inside the JVM: /'

java -cp "$cp" org.sceau.app.cli.SceauCli ping -n 5000 | sed 's/^/socket: /'
cat > "$work/bridge" <<B
#!/bin/sh
exec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -Xmx64m -cp '$cp' org.sceau.app.bridge.BridgeMain "\$@"
B
chmod +x "$work/bridge"
java -cp "$cp" "$here/bench/helper/BridgePing.java" "$work/bridge" 5000
sleep 5
rss=$(java -cp "$cp" org.sceau.app.cli.SceauCli status --json | grep residentBytes | tr -dc 0-9)
echo "idle resident memory after the runs: $(( rss / 1024 / 1024 )) MiB"
pid=$(java -cp "$cp" org.sceau.app.cli.SceauCli status --json | grep '"pid"' | tr -dc 0-9)
echo "  (/proc: $(grep VmRSS /proc/$pid/status))"
