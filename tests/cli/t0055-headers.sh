#!/bin/sh
# Every public header compiles on its own: a program may include any one of them first and
# alone, as strict ISO C (no _GNU_SOURCE) and as C++, and including it twice is harmless.
. "$(dirname "$0")/lib.sh"

CC=${CC:-cc}
CXX=${CXX:-c++}
command -v "$CC" >/dev/null 2>&1 || skip_all "no C compiler ($CC)"
have_cxx=0
command -v "$CXX" >/dev/null 2>&1 && have_cxx=1

cd "$NP_SRCDIR/include" || { echo "Bail out! no include/ in $NP_SRCDIR"; exit 1; }
headers="numaplace.h $(ls numaplace/*.h)"
for h in $headers; do
    printf '#include <%s>\n#include <%s>\nint main(void) { return 0; }\n' "$h" "$h" >"$TMP/one.c"
    $CC -std=c11 -pedantic -Wall -Wextra -Wstrict-prototypes -Werror -I. -fsyntax-only \
        "$TMP/one.c" >"$TMP/cc.log" 2>&1
    ok $? "$h compiles alone as C11" || sed 's/^/# /' "$TMP/cc.log" >&2
    if [ "$have_cxx" -eq 1 ]; then
        cp "$TMP/one.c" "$TMP/one.cc"
        $CXX -std=c++11 -Wall -Wextra -Werror -I. -fsyntax-only "$TMP/one.cc" >"$TMP/cc.log" 2>&1
        ok $? "$h compiles alone as C++11" || sed 's/^/# /' "$TMP/cc.log" >&2
    else
        skip 1 "no C++ compiler ($CXX)"
    fi
done

# the umbrella is the sum of the parts: each part is included by it
for h in numaplace/*.h; do
    grep -q "^#include <$h>" numaplace.h
    ok $? "numaplace.h includes $h"
done
# the object tree moved to numaplace/tree.h; a program that includes numaplace/topo.h alone
# still has it
cat >"$TMP/tree.c" <<'EOF'
#include <numaplace/topo.h>
unsigned int depth_of(const struct np_topo *t);
unsigned int depth_of(const struct np_topo *t) { return np_topo_root(t)->arity + np_topo_obj(t, NP_OBJ_PU, 0)->depth; }
EOF
$CC -std=c11 -pedantic -Wall -Wextra -Werror -I. -fsyntax-only "$TMP/tree.c" >"$TMP/cc.log" 2>&1
ok $? "numaplace/topo.h alone declares the object tree (np_topo_root, struct np_obj)" ||
    sed 's/^/# /' "$TMP/cc.log" >&2
grep -q "^#include <numaplace/tree.h>" numaplace/topo.h
ok $? "numaplace/topo.h includes numaplace/tree.h"
done_testing
