#!/bin/bash
# run-guest.sh TOPOLOGY [KERNEL] - boot one QEMU guest shaped like tests/vm/topologies/TOPOLOGY.conf,
# pass the TAP it prints on the serial console to prove, and check on the host what it sent
# back (topo --json against the topology file, its capture).
#
# KERNEL is a series (6.12): that kernel instead of /boot's newest, fetched from Debian when
# missing (see vm_require_kernel); its artifacts and fixture are TOPOLOGY-KERNEL.
#
# A guest that does not power off within NP_VM_TIMEOUT seconds (default 240) is killed and
# reported as a failure.  The console log and the files the guest sent stay in
# $NP_BUILDDIR/vm/TOPOLOGY/; with NP_VM_UPDATE_FIXTURES=1 its capture is also unpacked into
# tests/fixtures/vm-TOPOLOGY/ (what `make vm-fixtures` does).
set -u
. "$(dirname "$0")/lib.sh"

topo=$1
export NP_VM_KERNEL=${2:-}
conf=$VM_DIR/topologies/$topo.conf
timeout_s=${NP_VM_TIMEOUT:-240}
name=$topo${NP_VM_KERNEL:+-$NP_VM_KERNEL}
art=$NP_BUILDDIR/vm/$name

[ -f "$conf" ] || { echo "1..0 # SKIP no topology file $conf"; exit 0; }
vm_require_tools
vm_require_kernel
for b in numaplace-static tests/vm/guest-probe; do
    if [ ! -x "$NP_BUILDDIR/$b" ]; then
        echo "1..0 # SKIP $NP_BUILDDIR/$b not built (make vm-bins; sanitizer builds leave the VM tier out)"
        exit 0
    fi
done

rm -rf "$art"
mkdir -p "$art/files"
if ! "$VM_DIR/mkinitramfs.sh" "$art/initrd.gz" 2>"$art/mkinitramfs.err"; then
    echo "1..1"
    echo "not ok 1 - build the initramfs"
    sed 's/^/# /' "$art/mkinitramfs.err"
    exit 1
fi

mapfile -t qargs < <(vm_qemu_args "$conf")
kernel=$(vm_boot_kernel)
# nokaslr keeps the kernel image on node 0; swiotlb=noforce keeps a 64 MiB bounce buffer off
# the top node: both make per-node memory predictable
append="console=ttyS0 panic=-1 quiet nokaslr swiotlb=noforce np.topo=$topo"
printf '%q ' qemu-system-x86_64 "${qargs[@]}" -kernel "$kernel" -initrd "$art/initrd.gz" \
    -append "$append" -nographic -no-reboot >"$art/qemu.cmd"
start=$(date +%s)
timeout -k 5 "$timeout_s" qemu-system-x86_64 "${qargs[@]}" -kernel "$kernel" -initrd "$art/initrd.gz" \
    -append "$append" -nographic -no-reboot </dev/null >"$art/console.log" 2>&1
qrc=$?
echo "# $name: $(basename "$kernel") guest ran $(( $(date +%s) - start )) s (qemu exit $qrc)"

# The console: TAP between the markers is renumbered into ours; each @@NP-FILE@@ section is
# decoded into $art/files; anything else is firmware or kernel noise and stays in the log.
tr -d '\r' <"$art/console.log" | awk -v files="$art/files" '
    /@@NP-TAP-BEGIN/ { intap = 1; next }
    /@@NP-TAP-END/ { intap = 0; print "@@END " $0; next }
    /^@@NP-FILE-END@@/ { close(cmd); infile = 0; next }
    /^@@NP-FILE / { name = $2; sub(/@@$/, "", name); cmd = "base64 -d > \"" files "/" name "\""; infile = 1; next }
    infile { print | cmd; next }
    intap { print }
' >"$art/tap.raw"

n=0
failed=0
emit() { # emit ok|notok DESCRIPTION
    n=$((n + 1))
    if [ "$1" = ok ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}
guest_plan=
guest_tests=0
while IFS= read -r line; do
    case "$line" in
    "ok "* | "not ok "*)
        guest_tests=$((guest_tests + 1))
        n=$((n + 1))
        rest=$(printf '%s\n' "$line" | sed -E 's/^(not )?ok [0-9]+ ?//')
        case "$line" in "not ok"*) echo "not ok $n $rest"; failed=$((failed + 1)) ;; *) echo "ok $n $rest" ;; esac
        ;;
    1..*) guest_plan=${line#1..} ;;
    "#"*) echo "$line" ;;
    @@*) ;;
    *) [ -n "$line" ] && echo "# guest: $line" ;;
    esac
done <"$art/tap.raw"

if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
    emit notok "$name: the guest finished within ${timeout_s} s (killed: hung)"
else
    emit "$([ "$qrc" = 0 ] && echo ok || echo notok)" "$name: the guest powered off (qemu exit $qrc)"
fi
finished=0
if grep -q '^@@END' "$art/tap.raw" && [ "$guest_plan" = "$guest_tests" ]; then
    finished=1
    emit ok "$name: the guest's script ran to its end ($guest_tests tests)"
else
    emit notok "$name: the guest's script ran to its end (plan '${guest_plan}', $guest_tests tests seen)"
fi
if [ "$qrc" != 0 ] || [ $finished = 0 ]; then
    echo "# the last lines on the console (all of it: $art/console.log):"
    tail -n 20 "$art/console.log" | tr -d '\r' | sed 's/^/# console: /'
fi

# The capture, read back here: the host's numaplace must see the guest's machine in it
if [ -f "$art/files/capture.tar.gz" ]; then
    mkdir -p "$art/fsroot"
    tar xzf "$art/files/capture.tar.gz" -C "$art/fsroot" 2>/dev/null &&
        "$NP_BUILDDIR/numaplace-static" topo --sysroot "$art/fsroot" --json >"$art/files/topo-capture.json" 2>"$art/topo-capture.err" ||
        rm -f "$art/files/topo-capture.json"
fi

# Host-side checks of the JSON the guest sent back
if ! command -v python3 >/dev/null 2>&1; then
    echo "ok $((n + 1)) # SKIP no python3 on the host to read the guest's topo --json"
    n=$((n + 1))
else
    python3 "$VM_DIR/check-topo.py" --start $((n + 1)) --conf "$conf" --dir "$art/files" \
        >"$art/host.tap"
    while IFS= read -r line; do
        case "$line" in
        "not ok"*) failed=$((failed + 1)); n=$((n + 1)) ;;
        "ok"*) n=$((n + 1)) ;;
        esac
        echo "$line"
    done <"$art/host.tap"
fi

if [ -f "$art/files/capture.tar.gz" ]; then
    emit ok "$name: capture received ($(stat -c %s "$art/files/capture.tar.gz") bytes)"
    if [ "${NP_VM_UPDATE_FIXTURES:-0}" = 1 ]; then
        fx=$NP_SRCDIR/tests/fixtures/vm-$name
        rm -rf "$fx" && mkdir -p "$fx" && cp "$art/files/capture.tar.gz" "$fx/fsroot.tar.gz" &&
            cp "$conf" "$fx/topology.conf" &&
            python3 "$VM_DIR/check-topo.py" --conf "$conf" --dir "$art/files" --write-expected "$fx/expected.json" &&
            echo "# $name: capture written to $fx"
    fi
else
    echo "ok $((n + 1)) # SKIP the guest sent no capture ($([ $finished = 1 ] && echo "numaplace capture missing or failed" || echo "the guest did not finish"))"
    n=$((n + 1))
fi

echo "1..$n"
[ "$failed" = 0 ]
