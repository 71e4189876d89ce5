# tests/cli/lib.sh - TAP helpers for the shell tests of the numaplace binary (sourced).
#
#   plan N | skip_all REASON | done_testing
#   ok COND-EXIT-STATUS NAME          e.g.  ok $? "name"  or  check "name" cmd args
#   run ARGS...                       runs $NP ARGS: sets $out, $err, $rc (stdout/stderr files too)
#   expect_code N NAME ARGS...        run, then ok when rc == N
#   is GOT WANT NAME                  string equality, diff on failure
#   like GOT REGEX NAME               grep -E match
#   skip N REASON
# Every test gets a scratch directory $TMP, removed at exit.
set -u
NP_BUILDDIR=${NP_BUILDDIR:-$(cd "$(dirname "$0")/../.." && pwd)/build}
NP_SRCDIR=${NP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
NP=${NP:-$NP_BUILDDIR/numaplace}
SHARED=${SHARED:-$(cd "$NP_SRCDIR/.." && pwd)/shared}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/np-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
_t=0
_failed=0

plan() { echo "1..$1"; }
done_testing() { echo "1..$_t"; [ "$_failed" -eq 0 ]; exit $?; }
skip_all() { echo "1..0 # SKIP $*"; exit 0; }
diag() { printf '# %s\n' "$@" >&2; }

ok() {
    local status=$1; shift
    _t=$((_t + 1))
    if [ "$status" -eq 0 ]; then
        echo "ok $_t - $*"
    else
        echo "not ok $_t - $*"
        _failed=$((_failed + 1))
    fi
    return "$status"
}

skip() {
    local n=$1; shift
    while [ "$n" -gt 0 ]; do
        _t=$((_t + 1)); echo "ok $_t # SKIP $*"; n=$((n - 1))
    done
}

run() {
    "$NP" "$@" >"$TMP/out" 2>"$TMP/err"
    rc=$?
    out=$(cat "$TMP/out")
    err=$(cat "$TMP/err")
    return 0
}

# run a command that is not numaplace the same way
run_cmd() {
    "$@" >"$TMP/out" 2>"$TMP/err"
    rc=$?
    out=$(cat "$TMP/out")
    err=$(cat "$TMP/err")
    return 0
}

expect_code() {
    local want=$1 name=$2; shift 2
    run "$@"
    if [ "$rc" -eq "$want" ]; then
        ok 0 "$name"
    else
        ok 1 "$name"
        diag "exit code: got $rc, expected $want" "stdout: $out" "stderr: $err"
        return 1
    fi
}

is() {
    if [ "$1" = "$2" ]; then
        ok 0 "$3"
    else
        ok 1 "$3"
        printf '%s\n' "$2" >"$TMP/want"; printf '%s\n' "$1" >"$TMP/got"
        diff -u "$TMP/want" "$TMP/got" | sed 's/^/# /' >&2
        return 1
    fi
}

like() {
    if printf '%s\n' "$1" | grep -Eq -- "$2"; then
        ok 0 "$3"
    else
        ok 1 "$3"
        diag "got: $1" "expected to match: $2"
        return 1
    fi
}

# make in the source tree with the build directory and knobs (SANITIZE=...) of the test run
np_make() {
    # shellcheck disable=SC2086 # NP_MAKEVARS is a list of words
    make -s -C "$NP_SRCDIR" BUILDDIR="$NP_BUILDDIR" ${NP_MAKEVARS:-} "$@"
}

# extract a shared topology capture into $TMP/<name> and print its path
fixture() {
    local name=$1 dir="$TMP/fx-$1"
    if [ ! -d "$dir" ]; then
        mkdir -p "$dir" && tar xzf "$SHARED/fixtures/topology/$name/fsroot.tar.gz" -C "$dir" || return 1
    fi
    printf '%s\n' "$dir"
}
