#!/bin/sh
# The ABI: lib/libnumaplace.map lists every exported symbol by name, build/libnumaplace.so
# exports exactly those, and every function declared NP_API in the public headers is listed.
# A failure names each symbol that is missing and where it is missing from.
. "$(dirname "$0")/lib.sh"

command -v nm >/dev/null 2>&1 || skip_all "nm missing: apt-get install -y binutils"
command -v perl >/dev/null 2>&1 || skip_all "perl missing"
so=$NP_BUILDDIR/libnumaplace.so
map=$NP_SRCDIR/lib/libnumaplace.map
inc=$NP_SRCDIR/include
[ -e "$so" ] || { echo "Bail out! no $so: run make first"; exit 1; }

# names WHY FILE: each line of FILE (a symbol) as a diagnostic, prefixed by what is wrong
names() {
    sed "s|^|# $1: |" "$2" >&2
}

# the map without comments: its global names, and whether everything else is local
perl -0777 -pe 's{/\*.*?\*/}{}gs' "$map" >"$TMP/map.txt"
perl -0777 -ne 'print "$1\n" while /global:(.*?)local:/gs' "$TMP/map.txt" \
    | tr -s ' \t;' '\n' | grep -v '^$' >"$TMP/map.all"
sort -u "$TMP/map.all" >"$TMP/map"
perl -0777 -ne 'exit !/local:\s*\*\s*;\s*}\s*;\s*$/s' "$TMP/map.txt"
ok $? "lib/libnumaplace.map ends with local: *; (nothing unlisted is exported)"
grep '[][*?]' "$TMP/map" >"$TMP/bad"
test ! -s "$TMP/bad"
ok $? "the map names symbols one by one, no wildcard" \
    || names "a wildcard in lib/libnumaplace.map, list the names instead" "$TMP/bad"
sort "$TMP/map.all" | uniq -d >"$TMP/bad"
test ! -s "$TMP/bad"
ok $? "the map lists each symbol once ($(wc -l <"$TMP/map") symbols)" \
    || names "listed twice in lib/libnumaplace.map" "$TMP/bad"

# what the shared library exports (the version node NUMAPLACE_0 itself is an absolute symbol)
nm -D --defined-only "$so" | awk 'NF == 3 && $2 != "A" { sub(/@.*/, "", $3); print $3 }' \
    | sort -u >"$TMP/so"
test -s "$TMP/so"
ok $? "libnumaplace.so exports symbols ($(wc -l <"$TMP/so") of them)"
comm -23 "$TMP/map" "$TMP/so" >"$TMP/bad"
test ! -s "$TMP/bad"
ok $? "every symbol of the map is exported by libnumaplace.so" \
    || names "in lib/libnumaplace.map but not exported by $so (not defined in lib/, or not declared NP_API)" "$TMP/bad"
comm -13 "$TMP/map" "$TMP/so" >"$TMP/bad"
test ! -s "$TMP/bad"
ok $? "libnumaplace.so exports nothing the map lacks" \
    || names "exported by $so but missing from lib/libnumaplace.map" "$TMP/bad"

# the public headers: "header name" for every function declared NP_API
(cd "$inc" && perl -ne 'print "$ARGV $1\n" if /^\s*NP_API\b[^(]*\b(np_\w+)\s*\(/' \
    numaplace.h numaplace/*.h) | sort -k2 >"$TMP/decl"
test -s "$TMP/decl"
ok $? "the public headers declare NP_API functions ($(wc -l <"$TMP/decl") of them)"
awk 'NR == FNR { listed[$1] = 1; next } !($2 in listed) {
        printf "%s (declared NP_API in include/%s): add it to the /* %s */ group\n", $2, $1, $1 }' \
    "$TMP/map" "$TMP/decl" >"$TMP/bad"
test ! -s "$TMP/bad"
ok $? "every NP_API declaration of include/ is in the map" \
    || names "missing from lib/libnumaplace.map" "$TMP/bad"
awk '{ print $2 }' "$TMP/decl" | sort -u | comm -13 - "$TMP/map" >"$TMP/bad"
test ! -s "$TMP/bad"
ok $? "every symbol of the map is declared NP_API in a public header" \
    || names "in lib/libnumaplace.map but declared NP_API in no header of include/" "$TMP/bad"

# bench is the binary's own internal library, not part of the ABI
grep bench "$TMP/so" >"$TMP/bad"
test ! -s "$TMP/bad"
ok $? "libnumaplace.so exports no bench symbol" \
    || names "a bench symbol exported by $so" "$TMP/bad"
! grep -n 'NP_API' "$NP_SRCDIR/bench/lib/numaplace-bench.h" >"$TMP/bad"
ok $? "bench/lib/numaplace-bench.h declares nothing NP_API" \
    || names "NP_API in bench/lib/numaplace-bench.h" "$TMP/bad"
done_testing
