#!/bin/sh
# numaplace pin: get and set a process's or a thread's CPUs, every option, and bad inputs.
. "$(dirname "$0")/lib.sh"

ALLOWED=$(sed -n 's/^Cpus_allowed_list:\t//p' /proc/self/status)
FIRST=$(printf '%s\n' "$ALLOWED" | sed 's/[-,].*//')
sleep 300 & VICTIM=$!
trap 'kill $VICTIM 2>/dev/null; rm -rf "$TMP"' EXIT
cpus_of() { sed -n 's/^Cpus_allowed_list:\t//p' "/proc/$1/status"; }

expect_code 0 "pin --help" pin --help
like "$out" "^Usage: numaplace pin" "--help prints usage"

expect_code 0 "get a process's CPUs" pin "$VICTIM"
is "$out" "pid $VICTIM: CPUs $ALLOWED" "get prints the pid and its CPUs"

expect_code 0 "set a process's CPUs" pin "$VICTIM" "$FIRST"
is "$out" "pid $VICTIM: CPUs $ALLOWED -> $FIRST" "set prints before and after"
is "$(cpus_of "$VICTIM")" "$FIRST" "the process now runs on the new CPUs"

expect_code 0 "-a sets every thread" pin -a "$VICTIM" "$ALLOWED"
is "$out" "tid $VICTIM: CPUs $FIRST -> $ALLOWED" "-a prints one line per thread"
is "$(cpus_of "$VICTIM")" "$ALLOWED" "-a applied"

expect_code 0 "--all-tasks get" pin --all-tasks "$VICTIM"
is "$out" "tid $VICTIM: CPUs $ALLOWED" "--all-tasks get lists threads"

# the one set grammar: a taskset mask, all, a location
mask=$(printf '0x%x' $((1 << FIRST)))
expect_code 0 "a taskset mask" pin "$VICTIM" "$mask"
is "$(cpus_of "$VICTIM")" "$FIRST" "... binds to CPU $FIRST ($mask)"
expect_code 0 "all" pin "$VICTIM" all
is "$(cpus_of "$VICTIM")" "$ALLOWED" "... binds to every allowed CPU"

expect_code 0 "--tid" pin --tid "$VICTIM" "$FIRST"
is "$out" "tid $VICTIM: CPUs $ALLOWED -> $FIRST" "--tid names the thread"

expect_code 0 "--json" pin --json "$VICTIM" "$ALLOWED"
like "$out" "\"pid\": $VICTIM" "--json: pid"
like "$out" "\"before\": \"$FIRST\"" "--json: before"
like "$out" "\"after\": \"$ALLOWED\"" "--json: after"
like "$out" "\"changed\": true" "--json: changed"
expect_code 0 "-j get" pin -j "$VICTIM"
like "$out" "\"changed\": false" "--json get: not changed"

# a multi-threaded process: -a binds every thread, without -a only the main one
if command -v python3 >/dev/null; then
    python3 -c 'import threading, time
for _ in range(3): threading.Thread(target=time.sleep, args=(300,), daemon=True).start()
time.sleep(300)' & MT=$!
    n=0; while [ "$(ls /proc/$MT/task 2>/dev/null | wc -l)" -lt 4 ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
    expect_code 0 "pin without -a: main thread only" pin "$MT" "$FIRST"
    is "$(cpus_of "$MT")" "$FIRST" "main thread bound"
    other=$(ls /proc/$MT/task | grep -vx "$MT" | head -1)
    is "$(sed -n 's/^Cpus_allowed_list:\t//p' /proc/$MT/task/$other/status)" "$ALLOWED" "other threads untouched"
    is "$(printf '%s\n' "$out" | grep -c "^tid $MT: CPUs $ALLOWED -> $FIRST\$")" 1 \
        "without -a: the main thread's line says it changed"
    is "$(printf '%s\n' "$out" | grep -c "^tid [0-9]*: CPUs $ALLOWED (unchanged: without -a only the main thread $MT)\$")" 3 \
        "... and the three other threads' lines say they did not"
    expect_code 0 "pin --json without -a" pin --json "$MT" "$FIRST"
    is "$(printf '%s\n' "$out" | python3 -c 'import json,sys; print(sorted(t["changed"] for t in json.load(sys.stdin)["threads"]))')" \
        "[False, False, False, True]" "--json: \"changed\" per thread"
    expect_code 0 "pin PID on threads that differ" pin "$MT"
    if [ "$FIRST" != "$ALLOWED" ]; then
        is "$(printf '%s\n' "$out" | sort)" "$( (echo "tid $MT: CPUs $FIRST"; for t in $(ls /proc/$MT/task | grep -vx "$MT"); do echo "tid $t: CPUs $ALLOWED"; done) | sort)" \
            "... one line per thread, each with its own CPUs"
    else
        skip 1 "one CPU allowed: the threads cannot differ"
    fi
    expect_code 0 "pin -a: every thread" pin -a "$MT" "$FIRST"
    is "$(printf '%s\n' "$out" | grep -c " -> $FIRST\$")" 4 "-a reports all four threads"
    is "$(cat /proc/$MT/task/*/status | grep -c "^Cpus_allowed_list:	$FIRST\$")" 4 "-a bound all four threads"
    kill "$MT"
else
    skip 12 "python3 is not installed (needed for a multi-threaded process)"
fi

# bad inputs
expect_code 1 "unknown pid" pin 999999
is "$err" "numaplace pin: no process with pid '999999'" "unknown pid: one clear line"
expect_code 1 "unknown tid" pin --tid 999999 0
is "$err" "numaplace pin: no thread with tid '999999'" "unknown tid: one clear line"
expect_code 2 "bad pid" pin abc
like "$err" "^numaplace pin: invalid pid 'abc'" "bad pid named"
expect_code 2 "pid 0" pin 0
like "$err" "invalid pid '0'" "pid 0 refused"
expect_code 2 "negative pid" pin -- -5
like "$err" "invalid pid '-5'" "negative pid refused"
expect_code 2 "no pid" pin
like "$err" "no pid given" "missing pid named"
expect_code 2 "too many arguments" pin "$VICTIM" 0 1
like "$err" "unexpected argument '1'" "extra argument named"
expect_code 2 "bad CPU list" pin "$VICTIM" 1-x
like "$err" "invalid CPU set '1-x' for CPUS: unexpected 'x'" "bad set named, the token too"
expect_code 2 "CPU out of range" pin "$VICTIM" 100000
like "$err" "invalid CPU set '100000' for CPUS: no CPU 100000" "out-of-range CPU named"
expect_code 2 "offline CPU" pin "$VICTIM" 63
like "$err" "CPU 63 in '63' is not online|invalid CPU set '63'" "offline CPU named"
expect_code 2 "empty CPU list" pin "$VICTIM" ""
like "$err" "invalid CPU set '' for CPUS: empty" "empty set refused"
expect_code 2 "-a with --tid" pin -a --tid "$VICTIM"
like "$err" "exclude each other" "conflicting options named"
expect_code 2 "unknown option" pin --frobnicate "$VICTIM"
is "$(cpus_of "$VICTIM")" "$ALLOWED" "failed runs changed nothing"

# another user's process: run as nobody against our (root's) process
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null &&
   setpriv --reuid=nobody --regid=nogroup --clear-groups "$NP" --version >/dev/null 2>&1; then
    setpriv --reuid=nobody --regid=nogroup --clear-groups "$NP" pin "$VICTIM" "$FIRST" >"$TMP/out" 2>"$TMP/err"
    is "$?" 1 "another user's process: exit 1"
    like "$(cat "$TMP/err")" "^numaplace pin: cannot set the CPUs of process '$VICTIM' .*Operation not permitted" \
        "another user's process: permission denied, named"
    is "$(cpus_of "$VICTIM")" "$ALLOWED" "and nothing changed"
else
    skip 3 "not root, or nobody cannot run $NP (build directory not world-readable)"
fi
done_testing
