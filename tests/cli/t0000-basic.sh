#!/bin/sh
# The command itself: --help, --version, unknown verbs and options, exit codes.
. "$(dirname "$0")/lib.sh"

expect_code 0 "--help exits 0" --help
like "$out" "^Usage: numaplace" "--help prints usage on stdout"
like "$out" "topo" "--help lists the topo verb"
printf '%s\n' "$out" | grep -q "^  completion "
ok $((! $?)) "--help leaves out the hidden completion verb"

expect_code 0 "--version exits 0" --version
like "$out" "^numaplace [0-9]+\.[0-9]+\.[0-9]+$" "--version prints the version"

expect_code 2 "unknown verb exits 2" frobnicate
is "$err" "numaplace: unknown verb 'frobnicate'
Try 'numaplace --help' for more information." "unknown verb: message names it and says what to try"
is "$out" "" "unknown verb prints nothing on stdout"

expect_code 2 "a verb misspelt exits 2" tpo
is "$err" "numaplace: unknown verb 'tpo'; did you mean 'topo'?
Try 'numaplace --help' for more information." "... and the nearest verb is suggested"

expect_code 2 "an option misspelt exits 2" show --jsn
is "$err" "numaplace show: unknown option '--jsn'; did you mean '--json'?
Try 'numaplace show --help' for more information." "... in the verb's name, with the nearest option"

expect_code 2 "--sysroot for a verb of the live machine exits 2" show --sysroot "$TMP"
is "$err" "numaplace show: option '--sysroot' is not for show: it acts on this machine, not on a capture
Try 'numaplace show --help' for more information." "... saying why"

expect_code 0 "VERB --help exits 0" show --help
like "$out" "^Usage: numaplace show " "... with the verb's usage on stdout"

expect_code 2 "a global option misspelt exits 2" --versoin
is "$err" "numaplace: unknown option '--versoin'; did you mean '--version'?
Try 'numaplace --help' for more information." "... before a verb, the plain Try line"

expect_code 2 "no verb exits 2"
like "$err" "Try 'numaplace --help' for more information." "no verb: says what to try"

expect_code 2 "unknown global option exits 2" --frobnicate
like "$err" "Try 'numaplace --help' for more information." "unknown option: says what to try"

if [ -w /dev/full ]; then
    "$NP" --help >/dev/full 2>"$TMP/err"; rc=$?
    is "$rc" 1 "a failed write to stdout is an error"
    like "$(cat "$TMP/err")" "write error" "and says so"
else
    skip 2 "no /dev/full"
fi
done_testing
