#!/usr/bin/env bash
# Checks the release library against the header: it exports exactly the functions the
# header declares (both ways), and it needs no Swift or Foundation shared library.
set -euo pipefail
cd "$(dirname "$0")/.."
LIB=.build/release/libspotifymon.so
HDR=Include/spotifymon.h

declared=$(cc -E -P -std=c11 "$HDR" | tr '\n' ' ' | grep -oE '\bsmon_[A-Za-z0-9_]+[[:space:]]*\(' | tr -d ' (' | sort -u)
exported=$(nm -D -g --defined-only "$LIB" | awk '$2 == "T" || $2 == "W" || $2 == "D" || $2 == "B" { print $3 }' | sort -u)

status=0
missing=$(comm -23 <(echo "$declared") <(echo "$exported"))
extra=$(comm -13 <(echo "$declared") <(echo "$exported"))
if [ -n "$missing" ]; then echo "declared in $HDR but not exported:"; echo "$missing" | sed 's/^/  /'; status=1; fi
if [ -n "$extra" ]; then echo "exported but not declared in $HDR:"; echo "$extra" | sed 's/^/  /'; status=1; fi

if ldd "$LIB" | grep -Ei 'libswift|libFoundation|libdispatch|libBlocksRuntime'; then
  echo "$LIB depends on a Swift shared library"; status=1
fi
n=$(echo "$declared" | wc -l)
[ $status = 0 ] && echo "check_library: $n functions declared = exported; no Swift shared library needed"
exit $status
