#!/bin/sh
# One set grammar everywhere: the same CPU and node strings through every verb's parser, each
# expected to give the same set or the same message.  calc is checked against hand-derived
# sets on a 64-CPU, 8-node capture (64amd64-4s2n4ca2co: node N = CPUs 8N..8N+7, package P =
# nodes 2P, 2P+1, cores are CPU pairs); the other verbs are checked against calc: run --cpus,
# run -C, plan --within, run -m, run -N on the capture, pin and migrate on the live machine.
# hwloc-calc, where installed, cross-checks what it shares with calc.
#
# A verb not yet wired to cli_parse_cpus/cli_parse_nodes reports its checks as TODO: when a
# verb is wired, add it to WIRED.
. "$(dirname "$0")/lib.sh"

WIRED=${NP_WIRED:-"calc run plan pin migrate"}

SYS=$(fixture 64amd64-4s2n4ca2co) || skip_all "cannot extract the 64amd64-4s2n4ca2co capture"

odd=$(seq -s, 1 2 63)
# what every syntax error message ends with
W="write a list (0-3,8 or 0-15:2), a mask (ff,ffffffff or 0xff), all, !SET, +RANKS or a location"
W="$W (node:1, core:0-3, near:eth0)"
M="for a taskset mask write 0x"
# CPU sets: STRING|EXPECTED, EXPECTED a kernel list or "!" and the message after "for WHAT: "
CPU_ROWS="0|0
0-3,8|0-3,8
0-15:2|0,2,4,6,8,10,12,14
 1, 3|1,3
63|63
0x3|0-1
0xff00|8-15
0xffffffffffffffff|0-63
ff,ffffffff|0-39
ffff0000|16-31
1,00000000|32
ff|0-7
all|0-63
!0-7|8-63
!node:0|8-63
!0x3|2-63
+1-2|1-2
node:1|8-15
node:1-2|8-23
package:1|16-31
core:2-3|4-7
pu:odd|$odd
node:0 & pu:even|0,2,4,6
all~node:0-6|56-63
package:0.core:1|2-3
(node:0,node:7)|0-7,56-63
|!empty; $W
-1|!unexpected '-1'; $W
0-|!it ends too soon; $W
3-1|!'3-1': a range runs low to high; did you mean 1-3?
0,9-3:2|!'9-3:2': a range runs low to high; did you mean 3-9:2?
node:2-1|!'2-1': a range runs low to high; did you mean 1-2?
99999999999|!number too large at '99999999999'
64|!no CPU 64; this machine has CPUs 0-63
0,70-71|!'70-71' names CPUs this machine does not have; it has CPUs 0-63
node:99|!no node 99; this machine has nodes 0-7
core:32|!no core 32; this machine has cores 0-31
x|!unexpected 'x'; $W
,,|!unexpected ','; $W
0x|!it ends too soon; $W
ff,fff|!'fff': the words of a sysfs mask after the first have 8 hex digits (ff,000000ff); $M
0x1ffffffffffffffff|!the mask names CPUs this machine does not have; it has CPUs 0-63
!|!it ends too soon; $W
+64|!rank 64 is past the 64 CPUs this process may use (0-63)
near:eth9|!no device 'eth9' on this machine
node:0 & node:1|!it names no online CPU"

# node sets, the same way
NODE_ROWS="0|0
0-3,6|0-3,6
0-7:2|0,2,4,6
all|0-7
!0|1-7
!0-3|4-7
+1-2|1-2
0x3|0-1
ff|0-7
node:1|1
node:0,node:7|0,7
numa:2-3|2-3
package:1|2-3
pu:8|1
core:0-4|0-1
|!empty; $W
8|!no node 8; this machine has nodes 0-7
16-23|!'16-23' names nodes this machine does not have; it has nodes 0-7
0x100|!the mask names nodes this machine does not have; it has nodes 0-7
+8|!rank 8 is past the 8 nodes this process may use (0-7)
node:8|!no node 8; this machine has nodes 0-7
x|!unexpected 'x'; $W
,,|!unexpected ','; $W
0-|!it ends too soon; $W
5-2|!'5-2': a range runs low to high; did you mean 2-5?
99999999999|!number too large at '99999999999'
!node:0-7|!it names no node"

# the message after "numaplace VERB: invalid CPU set 'S' for WHAT: "
why() {
    printf '%s\n' "$err" | sed -n "1s/^numaplace [a-z]*: invalid [A-Za-z]* set '.*' for [^ ]*: //p"
}

# what one verb made of a set: the set, or "!" and the reason it gave
result() { # JSON-FIELD (empty: stdout is the set)
    if [ "$rc" -ne 0 ]; then
        printf '!%s\n' "$(why)"
    elif [ -z "$1" ]; then
        printf '%s\n' "$out"
    else
        printf '%s\n' "$out" | sed -n "s/^ *\"$1\": \"\\(.*\\)\",*\$/\\1/p" | head -1
    fi
}

wired() { case " $WIRED " in *" $1 "*) return 0 ;; esac; return 1; }

# check VERB NAME GOT WANT: a TODO line while VERB is not wired, silent on its failures
check() {
    if wired "$1"; then
        is "$3" "$4" "$2"
    else
        _t=$((_t + 1))
        if [ "$3" = "$4" ]; then echo "ok $_t - $2 # TODO not wired yet"
        else echo "not ok $_t - $2 # TODO not wired yet"; fi
    fi
}

# "0-2,5" -> "node:0,node:1,node:2,node:5" (node ids are logical indexes on this capture)
nodes_loc() {
    printf '%s\n' "$1" | tr ',' '\n' | while IFS=- read -r a b; do
        seq "$a" "${b:-$a}"
    done | sed 's/^/node:/' | paste -sd, -
}

# ---- CPU sets on the capture ------------------------------------------------------------
while IFS='|' read -r s want; do
    run calc --sysroot "$SYS" -- "$s"
    ref=$(result "")
    is "$ref" "$want" "calc '$s'"

    run run --sysroot "$SYS" --cpus "$s" --dry-run --json -- true
    check run "run --cpus '$s' as calc" "$(result cpus)" "$ref"
    run run --sysroot "$SYS" -C "$s" --dry-run --json -- true
    check run "run -C '$s' as calc" "$(result cpus)" "$ref"
    run plan --sysroot "$SYS" --within "$s" --json 1
    check plan "plan --within '$s' as calc" "$(result eligible)" "$ref"
done <<EOF
$CPU_ROWS
EOF

# a reversed range is a usage error: the whole message, and exit 2 with the Try line
expect_code 2 "calc '1-0' exits 2" calc --sysroot "$SYS" -- 1-0
is "$err" "numaplace calc: invalid CPU set '1-0' for SET: '1-0': a range runs low to high; did you mean 0-1?
Try 'numaplace calc --help' for more information." "calc '1-0': names the range and says what would work"

# ---- node sets on the capture -----------------------------------------------------------
while IFS='|' read -r s want; do
    run calc --sysroot "$SYS" -N -- "$s"
    ref=$(result "")
    is "$ref" "$want" "calc -N '$s'"

    run run --sysroot "$SYS" -m "$s" --dry-run --json -- true
    check run "run -m '$s' as calc -N" "$(result nodes)" "$ref"
    run run --sysroot "$SYS" -N "$s" --dry-run --json -- true
    got=$(result cpus)
    case $ref in
    !*) wantcpus=$ref ;;
    *) run calc --sysroot "$SYS" -- "$(nodes_loc "$ref")"; wantcpus=$out ;;
    esac
    check run "run -N '$s' as the CPUs of calc -N" "$got" "$wantcpus"
done <<EOF
$NODE_ROWS
EOF

# ---- "all", "!" and "+" count over what the process may use (a capture with a cpuset) ----
CS=$(fixture 16amd64-8n2c-cpusets) || CS=
for row in "all|0-3,5-6,12-15" "!0|1-3,5-6,12-15" "+4|5" "+8|14"; do
    s=${row%%|*}
    run calc --sysroot "$CS" -- "$s"
    is "$out" "${row#*|}" "calc '$s' on a capture whose process may use CPUs 0-3,5-6,12-15"
done
run calc --sysroot "$CS" -- +10
is "$(why)" "rank 10 is past the 10 CPUs this process may use (0-3,5-6,12-15)" \
    "calc '+10' on that capture: the rank's message counts the allowed CPUs"
run calc --sysroot "$CS" -N -- all
is "$out" "1-4" "calc -N all on that capture: the nodes of Mems_allowed"

# ---- the live machine: pin and migrate on a sleeping child, against calc without --sysroot -
sleep 300 &
child=$!
trap 'kill $child 2>/dev/null; rm -rf "$TMP"' EXIT
while IFS='|' read -r s want; do
    run calc -- "$s"
    ref=$(result "")
    run pin -j -- "$child" "$s"
    check pin "pin PID '$s' as calc on this machine" "$(result after)" "$ref"
done <<EOF
$CPU_ROWS
EOF
# migrate prints no set: it must accept what calc -N accepts and refuse the rest alike
while IFS='|' read -r s want; do
    run calc -N -- "$s"
    ref=$(result "")
    case $ref in !*) ;; *) ref=accepted ;; esac
    run migrate "$child" "$s" 0
    got=$(result "")
    case $got in !*) ;; *) got=accepted ;; esac
    check migrate "migrate PID '$s' 0 as calc -N on this machine" "$got" "$ref"
    run migrate "$child" 0 "$s"
    got=$(result "")
    case $got in !*) ;; *) got=accepted ;; esac
    check migrate "migrate PID 0 '$s' as calc -N on this machine" "$got" "$ref"
done <<EOF
$NODE_ROWS
EOF
kill "$child" 2>/dev/null

# ---- hwloc-calc, where installed: what both tools mean alike ------------------------------
if ! command -v hwloc-calc >/dev/null 2>&1; then
    skip 13 "hwloc-calc is not installed"
elif [ "$(HWLOC_FSROOT=$SYS hwloc-calc --taskset node:1 2>/dev/null)" != 0xff00 ]; then
    skip 13 "hwloc-calc cannot read the capture through HWLOC_FSROOT"
else
    for s in node:1 node:1-2 package:1 pu:odd node:0,node:7 all; do
        # shellcheck disable=SC2046 # hwloc-calc takes the terms as separate words
        h=$(HWLOC_FSROOT=$SYS hwloc-calc --taskset $(printf '%s' "$s" | tr ',' ' ') 2>/dev/null)
        run calc --sysroot "$SYS" --taskset -- "$s"
        is "$out" "$h" "calc --taskset '$s' as hwloc-calc --taskset"
        # shellcheck disable=SC2046
        h=$(HWLOC_FSROOT=$SYS hwloc-calc -I numa $(printf '%s' "$s" | tr ',' ' ') 2>/dev/null)
        run calc --sysroot "$SYS" -N -- "$h"
        hl=$out
        run calc --sysroot "$SYS" --to node -- "$s"
        is "$out" "$hl" "calc --to node '$s' as hwloc-calc -I numa"
    done
    h=$(HWLOC_FSROOT=$SYS hwloc-calc -N package all 2>/dev/null)
    run calc --sysroot "$SYS" --count --to package all
    is "$out" "$h" "calc --count --to package all as hwloc-calc -N package all"
fi

done_testing
