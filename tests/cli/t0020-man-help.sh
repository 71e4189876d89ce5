#!/bin/sh
# Every long option a verb's --help lists is documented in numaplace(1)'s section for that verb.
. "$(dirname "$0")/lib.sh"

MAN=$NP_SRCDIR/man/numaplace.1
[ -r "$MAN" ] || skip_all "no $MAN"

# The text of '.SS NAME' up to the next .SS or .SH, with groff's '\-' as '-'.  plan's section
# goes on into 'Ranks near devices', which documents its --near family.
section() {
    awk -v s="$1" '$0 == ".SS " s { on = 1; next } on && /^\.S[SH] / { exit } on' "$MAN" |
        sed 's/\\-/-/g'
}
# The long options of the Options rows of a --help: '  -x, --name ARG  text' or '      --name'.
help_opts() {
    "$NP" "$@" --help | grep -E '^ +(-[A-Za-z0-9], )?--[a-z]' |
        sed -E 's/^ +(-[A-Za-z0-9], )?(--[a-z0-9-]+).*/\2/'
}

common=$(section "Common options")
for spec in topo capture run show calc pin where migrate plan stat weights "weights show" \
        "weights set" "weights auto" bench "bench memory" "bench c2c" "bench affinity" \
        "bench local-remote"; do
    verb=${spec%% *}
    text=$(section "$verb")
    [ "$verb" = plan ] && text="$text
$(section "Ranks near devices")"
    opts=$(help_opts $spec)
    [ -n "$text" ] || { ok 1 "numaplace(1) has a section for $verb"; continue; }
    missing=
    for o in $opts; do
        printf '%s\n' "$text" | grep -qE -- "$o([^a-z0-9-]|\$)" && continue
        # --help, --json and --sysroot are documented once, for every verb
        case $o in --help|--json|--sysroot)
            printf '%s\n' "$common" | grep -qE -- "$o([^a-z0-9-]|\$)" && continue ;;
        esac
        missing="$missing $o"
    done
    is "$missing" "" "numaplace $spec: every option of --help is in numaplace(1) under $verb"
done

# and back: each option of a verb's synopsis in the man page exists in its --help
for verb in topo capture run show calc pin where migrate plan stat weights bench; do
    case $verb in
    bench) subs="memory c2c affinity local-remote" ;;
    weights) subs="show set auto" ;;
    *) subs= ;;
    esac
    known=$( { "$NP" $verb --help; for s in $subs; do "$NP" $verb $s --help; done; } |
        grep -oE -- '--[a-z][a-z0-9-]*')
    synopsis=$(awk -v s="$verb" '$0 == ".SS " s { on = 1; next }
        on && (/^\.S[SH] / || /^\.PP/) { exit } on' "$MAN" | sed 's/\\-/-/g')
    extra=
    for o in $(printf '%s\n' "$synopsis" | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u); do
        printf '%s\n' "$known" | grep -qx -- "$o" || extra="$extra $o"
    done
    is "$extra" "" "numaplace(1) synopsis of $verb: every option exists in its --help"
done

done_testing
