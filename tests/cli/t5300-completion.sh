#!/bin/sh
# bash completion: the script is the one the option tables generate, parses, completes verbs,
# each verb's options and values, with or without the bash-completion package.
. "$(dirname "$0")/lib.sh"

command -v bash >/dev/null || skip_all "bash is not installed"
COMP=$NP_SRCDIR/completion/numaplace
bash -n "$COMP"
ok $? "completion/numaplace is valid bash"
"$NP" completion bash >"$TMP/generated"
if cmp -s "$TMP/generated" "$COMP"; then
    ok 0 "completion/numaplace is what the option tables generate"
else
    ok 1 "completion/numaplace is what the option tables generate (make completion)"
    diff -u "$COMP" "$TMP/generated" | head -20 | sed 's/^/# /' >&2
fi
expect_code 2 "completion: only bash" completion zsh

# complete WORDS...: the candidates for the last word, sorted, on one line
complete_words() {
    bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()
             _numaplace; printf "%s\n" "${COMPREPLY[@]}" | sort -u | tr "\n" " "' _ "$COMP" "$@"
}

is "$(complete_words numaplace p)" "pin plan " "verbs by prefix"
like "$(complete_words numaplace '')" "migrate .*numactl .*taskset .*where" "every verb listed"
is "$(complete_words numaplace pin --)" "--all-tasks --help --json --tid " "pin options"
is "$(complete_words numaplace where --)" "--count --help --json --watch " "where options"
is "$(complete_words numaplace migrate --)" "--help --json --move-all --pages --progress " "migrate options"
like "$(complete_words numaplace pin $$ '')" "all" "pin: CPUs after the pid"
like "$(complete_words numaplace where '')" "(^| )$$ " "where: pids"
like "$(complete_words numaplace migrate 1 '')" "^0 " "migrate: nodes after the pid"
is "$(complete_words numaplace numactl --mem)" "--membind= " "numactl long options"
like "$(complete_words numaplace numactl -m '')" "same" "numactl node values"
is "$(complete_words numaplace taskset --c)" "--cpu-list " "taskset options"
is "$(complete_words numaplace plan --policy s)" "scatter spread " "plan policy names"
is "$(complete_words numaplace plan --format p)" "preload " "plan formats: the table's choices"
is "$(complete_words numaplace capture --)" "--help --json --sysroot " "capture options"
like "$(complete_words numaplace capture --sysroot '')" "." "capture --sysroot: directories"
is "$(complete_words numaplace show --)" "--help --json " "show: no --sysroot (it reads this machine)"
like "$(complete_words numaplace where -w 1 '')" "(^| )$$ " "where: an option's value is not an operand"
is "$(complete_words numaplace pin 1 2 '')" " " "pin: nothing after CPUS"
is "$(complete_words numaplace bench '')" "--help affinity c2c local-remote memory " "bench sub-commands"
is "$(complete_words numaplace bench memory --kernel '')" "copy read triad " "bench kernels"
like "$(complete_words numaplace run -m 0 -- sh)" "(^| )sh " "run: the command after --"
like "$(complete_words numaplace run --phys)" "--physcpubind" "run options"

# device names come from the binary itself (`completion devices`), for the --sysroot on the line
D=$NP_SRCDIR/tests/fixtures/sysroots-extras/devices-mixed
"$NP" completion devices --sysroot "$D" | sort | tr '\n' ' ' >"$TMP/devs"
is "$(cat "$TMP/devs")" "eth0 eth1 eth2 eth5 eth9 gpu0 gpu1 gpu2 gpu3 ib0 mlx5_0 nvme0 nvme0n1 sda " \
    "completion devices: the library's device names, without unnamed PCI devices"
is "$(PATH=$NP_BUILDDIR:$PATH complete_words numaplace calc --sysroot "$D" near:g)" \
    "near:gpu0 near:gpu1 near:gpu2 near:gpu3 " "near: completes the capture's device names"
is "$(PATH=$NP_BUILDDIR:$PATH complete_words numaplace plan 2 --sysroot="$D" --within near:m)" \
    "near:mlx5_0 " "... for --within (a location), with --sysroot=DIR"
is "$(complete_words numaplace run --within '')" "core: near: node: package: " \
    "--within: the location expressions' first words"
like "$(complete_words numaplace pin 1 '')" "all core: near: node: package: $" "CPU sets: also locations"
expect_code 2 "completion: --sysroot only for devices" completion bash --sysroot "$D"

# every long option a verb's --help prints is completed, for every verb
for verb in $("$NP" --help | sed -n '/^Verbs:/,/^$/s/^  \([a-z-]*\) .*/\1/p'); do
    [ "$verb" = numactl ] || [ "$verb" = taskset ] && continue
    "$NP" $verb --help | grep -oE -- '--[a-z][a-z-]+' | sort -u >"$TMP/help"
    complete_words numaplace $verb -- | tr ' ' '\n' | grep -- '^--' | sort -u >"$TMP/comp"
    missing=$(comm -23 "$TMP/help" "$TMP/comp" | tr '\n' ' ')
    is "$missing" "" "$verb: every option of --help is completed"
done
done_testing
