#!/bin/sh
# make install: the installed library links a small program through pkg-config and exports
# only np_* symbols.
. "$(dirname "$0")/lib.sh"

command -v pkg-config >/dev/null 2>&1 || skip_all "pkg-config missing: apt-get install -y pkg-config"
command -v nm >/dev/null 2>&1 || skip_all "nm missing: apt-get install -y binutils"
CC=${CC:-cc}

root=$TMP/root
np_make install DESTDIR="$root" prefix=/usr \
    >"$TMP/install.log" 2>&1
ok $? "make install DESTDIR=... prefix=/usr" || sed 's/^/# /' "$TMP/install.log" >&2

for f in usr/bin/numaplace usr/include/numaplace.h usr/lib/libnumaplace.a usr/lib/libnumaplace.so \
         usr/lib/pkgconfig/numaplace.pc usr/lib/numaplace/libnumaplace-preload.so; do
    test -e "$root/$f"
    ok $? "installs /$f"
done
# the umbrella header includes the per-topic headers: every one of them is installed
for h in "$NP_SRCDIR"/include/numaplace/*.h; do
    f=usr/include/numaplace/${h##*/}
    cmp -s "$h" "$root/$f"
    ok $? "installs /$f"
done

# pkg-config reads the .pc inside DESTDIR and prefixes its paths with the sysroot
export PKG_CONFIG_PATH="$root/usr/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$root"
flags=$(pkg-config --cflags --libs numaplace 2>"$TMP/err")
ok $? "pkg-config --cflags --libs numaplace"
like "$flags" "-L$root/usr/lib" "pkg-config points into DESTDIR: $flags"

cat >"$TMP/five.c" <<'EOF'
#include <numaplace.h>
#include <stdio.h>
#include <stdlib.h>
int main(void) { struct np_cpuset *s; char *l; if (np_cpuset_new(64, &s) || np_cpuset_parse_list(s, "0-3,8,10-14:2", NULL) || np_cpuset_format_list(s, NP_FMT_STRIDES, &l)) return 1;
printf("%s %s %u\n", np_version(), l, np_cpuset_weight(s)); free(l); np_cpuset_free(s); return 0; }
EOF
# a library built with SANITIZE= needs its runtime in the program too (make SANITIZE=... check)
san=
if nm -D "$root/usr/lib/libnumaplace.so" | grep -q ' U __asan_'; then san=-fsanitize=address; fi
if nm -D "$root/usr/lib/libnumaplace.so" | grep -q ' U __ubsan_'; then san="$san -fsanitize=undefined"; fi
# shellcheck disable=SC2086 # $flags and $san are lists of words
$CC -o "$TMP/five" "$TMP/five.c" $flags $san >"$TMP/cc.log" 2>&1
ok $? "a 5-line program compiles and links with pkg-config's flags" || sed 's/^/# /' "$TMP/cc.log" >&2

run_cmd env LD_LIBRARY_PATH="$root/usr/lib" "$TMP/five"
is "$rc" 0 "it runs against the installed shared library"
like "$out" '^[0-9]+\.[0-9]+\.[0-9]+ 0-3,8-14:2 8$' "and gets the right answer: $out"
run_cmd env LD_LIBRARY_PATH="$root/usr/lib" ldd "$TMP/five"
like "$out" "libnumaplace.so.0 => $root/usr/lib/libnumaplace.so.0" "it uses the installed libnumaplace.so.0"

# the version script: nothing but the public np_ names leaves the library
nm -D --defined-only "$root/usr/lib/libnumaplace.so" | awk '$2 ~ /^[TDBRVW]$/ { print $3 }' \
    | sed 's/@.*//' >"$TMP/syms"
test -s "$TMP/syms"
ok $? "the shared library exports symbols ($(wc -l <"$TMP/syms") of them)"
grep -v '^np_' "$TMP/syms" | grep -v '^NUMAPLACE_' >"$TMP/bad"
test ! -s "$TMP/bad"
ok $? "every exported symbol is np_*" || sed 's/^/# not np_*: /' "$TMP/bad" >&2
grep '^np__' "$TMP/syms" >"$TMP/bad"
test ! -s "$TMP/bad"
ok $? "no private np__ helper is exported" || sed 's/^/# private: /' "$TMP/bad" >&2
grep -qx np_cpuset_parse_numactl "$TMP/syms"
ok $? "np_cpuset_parse_numactl is exported"

# the preload library (run --plan) exports pthread_create alone, and the installed binary looks
# for it in $(libdir)/numaplace of the install's prefix (it is not beside the binary)
nm -D --defined-only "$root/usr/lib/numaplace/libnumaplace-preload.so" \
    | awk '$2 ~ /^[TDBRVW]$/ { print $3 }' | sed 's/@.*//' >"$TMP/psyms"
is "$(cat "$TMP/psyms")" "pthread_create" "the preload library exports only pthread_create"
if [ -e /usr/lib/numaplace/libnumaplace-preload.so ]; then
    skip 1 "a preload library is installed in /usr/lib/numaplace"
else
    run_cmd "$root/usr/bin/numaplace" run --plan 1 -- true
    like "$err" "neither in '$root/usr/bin' nor in '/usr/lib/numaplace'" \
        "the installed binary looks in prefix/lib/numaplace: $err"
fi

# a second install with another prefix after the same build: the .pc follows the new prefix
# (it once kept the first build's), and a program built with its flags runs
root2=$TMP/root2
np_make install DESTDIR="$root2" prefix=/opt/np >"$TMP/install2.log" 2>&1
ok $? "make install DESTDIR=... prefix=/opt/np after the first install" || sed 's/^/# /' "$TMP/install2.log" >&2
pc2=$root2/opt/np/lib/pkgconfig/numaplace.pc
like "$(grep '^prefix=' "$pc2" 2>&1)" '^prefix=/opt/np$' "the installed numaplace.pc says prefix=/opt/np"
flags2=$(PKG_CONFIG_PATH="$root2/opt/np/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$root2" \
    pkg-config --cflags --libs numaplace 2>"$TMP/err2")
like "$flags2" "-I$root2/opt/np/include .*-L$root2/opt/np/lib" "pkg-config points into /opt/np: $flags2"
# shellcheck disable=SC2086 # $flags2 and $san are lists of words
$CC -o "$TMP/five2" "$TMP/five.c" $flags2 $san >"$TMP/cc2.log" 2>&1
ok $? "the program builds against the /opt/np tree" || sed 's/^/# /' "$TMP/cc2.log" >&2
run_cmd env LD_LIBRARY_PATH="$root2/opt/np/lib" "$TMP/five2"
like "$out" '^[0-9]+\.[0-9]+\.[0-9]+ 0-3,8-14:2 8$' "and runs against it: $out"
run_cmd env LD_LIBRARY_PATH="$root2/opt/np/lib" ldd "$TMP/five2"
like "$out" "libnumaplace.so.0 => $root2/opt/np/lib/libnumaplace.so.0" "it uses /opt/np's libnumaplace.so.0"
np_make uninstall DESTDIR="$root2" prefix=/opt/np >/dev/null 2>&1

np_make uninstall DESTDIR="$root" prefix=/usr >"$TMP/uninstall.log" 2>&1
ok $? "make uninstall" || sed 's/^/# /' "$TMP/uninstall.log" >&2
left=$(cd "$root" && find . ! -type d | sort)
is "$left" "" "uninstall removes every installed file, headers included"
test ! -e "$root/usr/include/numaplace"
ok $? "uninstall removes include/numaplace/"
done_testing
