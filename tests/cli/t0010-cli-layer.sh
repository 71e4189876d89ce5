#!/bin/sh
# The CLI layer across every verb and bench sub-command: --help and `help VERB` print the
# verb's usage and exit 0; every option the help lists is one the parser accepts; a bad option
# gets "numaplace VERB: ..." and the verb's Try line; misspelt sub-commands and enum values get
# the nearest word.  Verbs are read from `numaplace --help`, so a new verb is checked too.
. "$(dirname "$0")/lib.sh"

# what --zz-sentinel-zz is: an option no verb has; the parser reaches it only when every
# option before it was accepted
SENTINEL=--zz-sentinel-zz

verbs=$("$NP" --help | sed -n '/^Verbs:/,/^$/s/^  \([a-z][a-z0-9-]*\) .*/\1/p' |
	grep -vx -e numactl -e taskset)
subs=$("$NP" bench --help | sed -n '/^Sub-commands:/,/^$/s/^  \([a-z][a-z0-9-]*\) .*/\1/p')
ok $([ -n "$verbs" ] && [ -n "$subs" ]; echo $?) "verbs and bench sub-commands listed by --help"

# every verb, the hidden completion verb and every bench sub-command, one a line
{
	printf '%s\n' $verbs completion
	for s in $subs; do printf 'bench %s\n' "$s"; done
} >"$TMP/verbs"

while read -r verb; do
	# ---- --help and `help VERB` ----
	run $verb --help
	first=$(printf '%s\n' "$out" | head -1)
	case $first in
	"Usage: numaplace $verb "*|"Usage: numaplace $verb") r=0 ;;
	*) r=1 ;;
	esac
	ok $( ([ "$rc" -eq 0 ] && [ -z "$err" ]) && echo $r || echo 1) \
		"$verb --help: exit 0, 'Usage: numaplace $verb' on stdout"
	cp "$TMP/out" "$TMP/help"
	run help $verb
	cmp -s "$TMP/out" "$TMP/help"
	ok $( ([ "$rc" -eq 0 ] && cmp -s "$TMP/out" "$TMP/help") ; echo $?) \
		"help $verb: the same usage, exit 0"

	# ---- a bad option: the verb's prefix and its Try line ----
	run $verb $SENTINEL
	is "$rc $err" "2 numaplace $verb: unknown option '$SENTINEL'
Try 'numaplace $verb --help' for more information." "$verb $SENTINEL: exit 2, the verb's message and Try line"

	# ---- every long option the help lists is accepted ----
	# "--name METAVAR" or "--name[=X]" or "--name": feed --name=x (or --name), then the sentinel
	bad=
	grep -oE -- '^ +(-[a-zA-Z], )?--[a-z][a-z0-9-]*( [A-Z][^ ]*|\[=)?' "$TMP/help" |
		sed 's/^ *\(-., \)\{0,1\}//' >"$TMP/opts"
	while read -r opt mv; do
		name=${opt%%\[*}
		[ "$name" = --help ] && continue
		case "$opt $mv" in
		*"[="*|*" ") arg=$name ;;
		*) arg=$name=x ;;
		esac
		"$NP" $verb "$arg" $SENTINEL </dev/null >/dev/null 2>"$TMP/err"
		if grep -qE -- "unknown option '$name'|option '$name' (is not for|needs|takes no)" "$TMP/err"; then
			bad="$bad $name"
		fi
	done <"$TMP/opts"
	n=$(wc -l <"$TMP/opts")
	ok $([ -z "$bad" ] && [ "$n" -gt 0 ]; echo $?) "$verb: each of the $n options its --help lists is accepted${bad:+ (refused:$bad)}"
done <"$TMP/verbs"

# ---- help on its own, and its mistakes ----
run help
run --help
cp "$TMP/out" "$TMP/main"
run help
ok $( ([ "$rc" -eq 0 ] && cmp -s "$TMP/out" "$TMP/main"); echo $?) "help alone: numaplace --help"
run help tpo
is "$rc $err" "2 numaplace: unknown verb 'tpo'; did you mean 'topo'?
Try 'numaplace --help' for more information." "help VERB misspelt: the nearest verb"
run help run ls
is "$rc $err" "2 numaplace: help: run has no sub-commands
Try 'numaplace --help' for more information." "help run WORD: no command is run"

# ---- the nearest word for sub-commands and enum values ----
run bench memroy
is "$rc $err" "2 numaplace bench: unknown sub-command 'memroy'; did you mean 'memory'?
Try 'numaplace bench --help' for more information." "bench sub-command misspelt: the nearest"
run plan 2 --policy sprad
is "$rc $err" "2 numaplace plan: invalid --policy 'sprad': expected one of spread, close, compact, scatter, per-node; did you mean 'spread'?
Try 'numaplace plan --help' for more information." "enum value misspelt: the choices and the nearest"
run calc --to cor 0-3
is "$rc $err" "2 numaplace calc: invalid --to 'cor': expected one of package, die, cluster, node, l3, l2, llc, core, pu; did you mean 'core'?
Try 'numaplace calc --help' for more information." "... for every verb's choices, with the prefix once"
run run --plan 2 --places frobnicate -- true
is "$rc $(printf '%s\n' "$err" | head -1)" "2 numaplace run: invalid --places 'frobnicate': expected one of cores, threads, ll_caches, numa_domains, sockets" \
	"a word far from every choice: no suggestion"

# ---- one size grammar: run's --length reads as bench memory's --size ----
run run -m 0 --file "$TMP/f" --length 64x
a=$(printf '%s\n' "$err" | head -1 | sed 's/.*: expected/expected/')
run bench memory --size 64x
b=$(printf '%s\n' "$err" | head -1 | sed 's/.*: expected/expected/')
ok $([ -n "$a" ] && [ "$a" = "$b" ]; echo $?) "run --length and bench memory --size: one message ($a)"
done_testing
