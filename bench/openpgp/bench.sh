#!/usr/bin/env bash
# bench/openpgp/bench.sh - Sceau's OpenPGP engine against gpg and sqop on this machine, as ratios.
#
# usage: bench.sh [-s "4k 10m"] [-r RUNS] [-o OUTDIR]      (100m is optional: -s "4k 10m 100m")
# Needs: a built helper/openpgp (mvn -pl helper/openpgp -am package), gpg, sqop, hyperfine.
# Every tool uses the same gpg-made v4 Curve25519 key (unprotected). Cases, per input size:
#   ours-warm       Sceau in one warm JVM (what the resident helper does): InProcessBench.java, median
#   ours-warm-bcaes the same with BC's pure-Java AES (-Dsceau.openpgp.jdkCipher=false), to show the JDK AES gain
#   ours-cli        target/sceau-sop, a JVM per call (SOP: encrypt --sign-with / decrypt --verify-with)
#   gpg             gpg --encrypt --sign (default: ZLIB compression) and gpg -z 0 (no compression)
#   sqop            sqop encrypt --sign-with / decrypt --verify-with
# Output: a table (median seconds, MB/s) and ratios "tool time / ours-warm time" (>1: ours is faster).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
MOD=$(cd "$HERE/../../helper/openpgp" && pwd)
SIZES="4k 10m"; RUNS=5; OUT=${TMPDIR:-/tmp}/sceau-bench-openpgp
while getopts "s:r:o:" o; do case $o in s) SIZES=$OPTARG;; r) RUNS=$OPTARG;; o) OUT=$OPTARG;; *) sed -n '2,14p' "$0"; exit 2;; esac; done
for t in gpg sqop hyperfine java; do command -v $t >/dev/null || { echo "missing: $t" >&2; exit 2; }; done
[ -x "$MOD/target/sceau-sop" ] || { echo "build first: mvn -pl helper/openpgp -am package -DskipTests" >&2; exit 2; }
CP="$MOD/target/classes:$MOD/target/lib/*"
mkdir -p "$OUT"/{in,keys,tmp}
GH="$OUT/keys/gnupg"; mkdir -p -m 700 "$GH"
trap 'gpgconf --homedir "$GH" --kill all >/dev/null 2>&1 || true' EXIT
G=(gpg --homedir "$GH" --batch --yes --quiet --no-tty --pinentry-mode loopback --passphrase '' --trust-model always)
if [ ! -s "$OUT/keys/cv.key" ]; then
  "${G[@]}" --quick-gen-key "bench <bench@example.org>" ed25519 sign,cert never
  F=$("${G[@]}" --with-colons --list-secret-keys bench@example.org | awk -F: '$1=="fpr"{print $10; exit}')
  "${G[@]}" --quick-add-key "$F" cv25519 encr never
  "${G[@]}" --export-secret-keys "$F" > "$OUT/keys/cv.key"; "${G[@]}" --export "$F" > "$OUT/keys/cv.cert"
fi
F=$("${G[@]}" --with-colons --list-secret-keys bench@example.org | awk -F: '$1=="fpr"{print $10; exit}')
K="$OUT/keys/cv.key"; C="$OUT/keys/cv.cert"; T="$OUT/tmp"
RES="$OUT/results.tsv"; printf 'size\ttool\top\tmedian_s\tMB_per_s\n' > "$RES"
hf() { # name size op cmd -> median seconds (SOP refuses to overwrite --verifications-out: remove it first)
  hyperfine --style none --runs "$RUNS" --warmup 1 --prepare "rm -f $T/v1 $T/v4" --export-json "$T/h.json" "$4" >/dev/null 2>&1 || { echo FAIL; return; }
  python3 -c 'import json,sys; print("%.5f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$T/h.json"
}
row() { local mbs; mbs=$(python3 -c "import sys; s=$(stat -c %s "$OUT/in/$1"); print('%.1f' % (s/1e6/float('$4')) if '$4'!='FAIL' else '-')"); printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$mbs" >> "$RES"; printf '  %-5s %-16s %-15s %9s s  %7s MB/s\n' "$1" "$2" "$3" "$4" "$mbs"; }
echo "load: $(uptime)"
for s in $SIZES; do
  f="$OUT/in/$s"
  if [ ! -s "$f" ]; then
    case $s in
      4k) { printf 'From: Alice <alice@example.org>\r\nTo: Bob <bob@example.org>\r\nSubject: bench\r\n\r\n'
            for i in $(seq 1 80); do printf 'Line %03d: The quick brown fox jumps over the lazy dog.\r\n' "$i"; done; } | head -c 4096 > "$f" ;;
      *m) head -c $(( ${s%m} * 1024 * 1024 )) /dev/urandom > "$f" ;;
    esac
  fi
  case $s in 4k) W=300; N=101;; 10m) W=8; N=9;; *) W=2; N=5;; esac
  echo "== $s"
  while IFS=$'\t' read -r op med mbs; do [ "$op" = mechanism ] || row "$s" ours-warm "$op" "$med"; done \
    < <(java -cp "$CP" "$HERE/InProcessBench.java" "$K" "$f" $W $N)
  while IFS=$'\t' read -r op med mbs; do [ "$op" = mechanism ] || row "$s" ours-warm-bcaes "$op" "$med"; done \
    < <(java -Dsceau.openpgp.jdkCipher=false -cp "$CP" "$HERE/InProcessBench.java" "$K" "$f" $W $N)
  # ciphertexts for the decrypt cases
  "$MOD/target/sceau-sop" encrypt --no-armor --sign-with="$K" "$C" < "$f" > "$T/ours.pgp"
  "${G[@]}" -r "$F" -u "$F" --encrypt --sign -o "$T/gpg.pgp" "$f"
  "${G[@]}" -z 0 -r "$F" -u "$F" --encrypt --sign -o "$T/gpgz0.pgp" "$f"
  sqop encrypt --no-armor --sign-with="$K" "$C" < "$f" > "$T/sqop.pgp"
  row "$s" ours-cli encrypt+sign "$(hf x "$s" e "$MOD/target/sceau-sop encrypt --no-armor --sign-with=$K $C < $f > $T/o1")"
  row "$s" ours-cli decrypt+verify "$(hf x "$s" d "$MOD/target/sceau-sop decrypt --verify-with=$C --verifications-out=$T/v1 $K < $T/ours.pgp > /dev/null")"
  row "$s" gpg encrypt+sign "$(hf x "$s" e "${G[*]} -r $F -u $F --encrypt --sign -o $T/o2 $f")"
  row "$s" gpg decrypt+verify "$(hf x "$s" d "${G[*]} --decrypt -o /dev/null $T/gpg.pgp")"
  row "$s" gpg-z0 encrypt+sign "$(hf x "$s" e "${G[*]} -z 0 -r $F -u $F --encrypt --sign -o $T/o3 $f")"
  row "$s" gpg-z0 decrypt+verify "$(hf x "$s" d "${G[*]} --decrypt -o /dev/null $T/gpgz0.pgp")"
  row "$s" sqop encrypt+sign "$(hf x "$s" e "sqop encrypt --no-armor --sign-with=$K $C < $f > $T/o4")"
  row "$s" sqop decrypt+verify "$(hf x "$s" d "sqop decrypt --verify-with=$C --verifications-out=$T/v4 $K < $T/sqop.pgp > /dev/null")"
done
echo
echo "ratios: other tool's median / ours-warm median (>1 means Sceau's warm helper is faster)"
python3 - "$RES" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter='\t'))
t = {(r['size'], r['tool'], r['op']): r['median_s'] for r in rows}
for (size, tool, op), v in sorted(t.items()):
    if tool == 'ours-warm' or v == 'FAIL': continue
    base = t.get((size, 'ours-warm', op))
    if base and base != 'FAIL':
        print(f"  {size:5} {op:15} {tool:16} / ours-warm = {float(v)/float(base):8.2f}")
PY
echo "load: $(uptime)"
echo "results: $RES"
