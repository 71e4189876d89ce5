#!/bin/sh
# numaplace topo --json against 28 real machines: ../shared/conformance/check-topology compares
# it with what hwloc's lstopo and util-linux's lscpu say on the same captures.
. "$(dirname "$0")/lib.sh"

CHECK=$SHARED/conformance/check-topology
[ -x "$CHECK" ] || [ -f "$CHECK" ] || skip_all "no $CHECK"
command -v python3 >/dev/null 2>&1 || skip_all "no python3"

python3 "$CHECK" --bin "$NP" >"$TMP/check" 2>&1
rc=$?
grep -E '^not ok|^#' "$TMP/check" | sed 's/^/# /' >&2
summary=$(tail -n 1 "$TMP/check")
is "$rc" 0 "check-topology exits 0"
like "$summary" "^[0-9]+ passed, 0 failed$" "every capture matches its oracle ($summary)"
done_testing
