#!/bin/sh
# The taskset personality against util-linux taskset on this machine: same stdout, stderr
# (pids of the commands themselves masked) and exit codes, through a symlink named taskset.
. "$(dirname "$0")/lib.sh"

REAL=$(command -v taskset)
[ -n "$REAL" ] || skip_all "util-linux taskset is not installed"
mkdir -p "$TMP/bin" "$TMP/real"
ln -s "$NP" "$TMP/bin/taskset"
ln -s "$REAL" "$TMP/real/taskset"

# both run as "taskset" from PATH, so getopt's messages name the program alike; the victim
# gets all CPUs back before each side, as a set changes what the next get sees
reset() { [ -n "${VICTIM:-}" ] && "$REAL" -ap ffffffff "$VICTIM" >/dev/null 2>&1; :; }
same() {
    name=$1; shift
    reset
    (PATH="$TMP/real:$PATH"; taskset "$@") >"$TMP/o1" 2>"$TMP/e1"; r1=$?
    reset
    (PATH="$TMP/bin:$PATH"; taskset "$@") >"$TMP/o2" 2>"$TMP/e2"; r2=$?
    sed -i -e "s/pid [0-9]*'s/pid N's/" "$TMP/e1" "$TMP/e2"
    if [ "$r1" = "$r2" ] && cmp -s "$TMP/o1" "$TMP/o2" && cmp -s "$TMP/e1" "$TMP/e2"; then
        ok 0 "taskset $name"
    else
        ok 1 "taskset $name"
        diag "exit: real $r1, ours $r2"
        diff -u "$TMP/o1" "$TMP/o2" | sed 's/^/# /' >&2
        diff -u "$TMP/e1" "$TMP/e2" | sed 's/^/# /' >&2
    fi
}

sleep 300 & VICTIM=$!
trap 'kill $VICTIM 2>/dev/null; rm -rf "$TMP"' EXIT

same "--help" --help
same "-h" -h
same "--version" --version
same "-V" -V
same "no arguments" 
same "unknown option" -x
same "unknown long option" --frobnicate
same "get mask" -p "$VICTIM"
same "get list" -cp "$VICTIM"
same "get list, long options" --cpu-list --pid "$VICTIM"
same "set mask" -p 3 "$VICTIM"
same "set mask 0x" -p 0x1 "$VICTIM"
same "set list" -pc 0 "$VICTIM"
same "set list range" -pc 0-1 "$VICTIM"
same "set list with stride" -pc 0-1:1 "$VICTIM"
same "list beyond the machine is ignored" -pc 0-1000 "$VICTIM"
same "all tasks get" -ap "$VICTIM"
same "all tasks set" -a -p -c 0,1 "$VICTIM"
same "all tasks of a missing pid" -ap 999999
same "pid taken from the last argument" -p 1 "$VICTIM"
same "too many arguments with -p" -p 1 2 3
same "pid 0" -p 0
same "bad pid" -p abc
same "pid out of range" -p 99999999999
same "negative pid" -p -- -5
same "missing pid" -p
same "unknown pid" -p 999999
same "run a command with a mask" 1 true
same "run a command with a list" -c 0 true
same "run a command, 0x mask" 0x3 sh -c 'exit 3'
same "bad list" -c 1x true
same "bad stride" -c 0-1:0 true
same "reversed range" -c 1-0 true
same "empty list" -c '' true
same "trailing comma" -c 0, true
same "empty mask" '' true
same "mask 0x" 0x true
same "uppercase 0X" 0X1 true
same "mask with comma" 0,1 true
same "mask beyond the machine" 100 true
same "list truncated to 32 bits" -c 4294967296 true
same "command not found" 1 nosuchcommand-np
same "command not executable" 1 /etc/passwd
same "only a mask" 3
same "new affinity is applied" 1 sh -c 'grep Cpus_allowed_list /proc/self/status'

# the exit code of the command is its own
(PATH="$TMP/bin:$PATH"; taskset 3 sh -c 'exit 7'); is "$?" 7 "the command's exit code passes through"
# numaplace taskset is the same personality
run taskset -cp "$VICTIM"
like "$out" "^pid $VICTIM's current affinity list: " "numaplace taskset works without a symlink"
done_testing
