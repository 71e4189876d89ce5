#!/bin/sh
# The numaplace Python module (python/numaplace, ctypes over the build's libnumaplace.so) under
# Debian's python3-pytest: tests/python/test_numaplace.py.  As root, a missing python3-pytest is
# installed with apt-get (as tests/vm/lib.sh installs qemu); otherwise the test says SKIP.
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then TMPDIR=/dev/shm; export TMPDIR; fi
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3) || skip_all "no python3"
if ! "$PY" -c 'import pytest' 2>/dev/null; then
    [ "$(id -u)" = 0 ] || skip_all "needs python3-pytest; as root run: apt-get install -y python3-pytest"
    command -v apt-get >/dev/null 2>&1 || skip_all "needs python3-pytest and there is no apt-get"
    (
        flock 9
        "$PY" -c 'import pytest' 2>/dev/null && exit 0
        echo "# installing python3-pytest: apt-get update && apt-get install -y --no-install-recommends python3-pytest" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update >&2 && apt-get install -y --no-install-recommends python3-pytest >&2
    ) 9>/tmp/numaplace-pytest-install.lock
    "$PY" -c 'import pytest' 2>/dev/null || skip_all "python3-pytest still missing after apt-get"
fi

lib=$(ls "$NP_BUILDDIR"/libnumaplace.so.*.*.* 2>/dev/null | head -n 1)
[ -n "$lib" ] || skip_all "no libnumaplace.so in $NP_BUILDDIR"
# a sanitized library needs its runtime loaded first, which python3 does not do
nm -D "$lib" 2>/dev/null | grep -q ' U __[a-z]*san_' &&
    skip_all "libnumaplace.so is built with sanitizers (their runtime must come first)"
NUMAPLACE_LIB=$lib PYTHONPATH=$NP_SRCDIR/python${PYTHONPATH:+:$PYTHONPATH} \
    PYTHONDONTWRITEBYTECODE=1 \
    "$PY" -m pytest -q -p no:cacheprovider --basetemp="$TMP/pytest" \
    "$NP_SRCDIR/tests/python" >"$TMP/pytest.out" 2>&1
rc=$?
sed 's/^/# /' "$TMP/pytest.out" >&2
is "$rc" 0 "pytest tests/python: $(tail -n 1 "$TMP/pytest.out")"
"$PY" -c 'import ast, sys; ast.parse(open(sys.argv[1]).read())' \
    "$NP_SRCDIR/examples/python/serving_numa.py" 2>/dev/null
ok $? "examples/python/serving_numa.py parses"
done_testing
