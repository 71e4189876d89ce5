# tests/vm/lib.sh - host side of the QEMU tier (sourced by run-guest.sh and mkinitramfs.sh).
#
#   vm_require_tools            qemu, a kernel in /boot, static busybox: install them as root
#                               (once, under a lock) or print "1..0 # SKIP" and exit
#   vm_kernel                   the newest readable /boot/vmlinuz-*; with NP_VM_KERNEL=SERIES
#                               (6.12) the newest of that series, in /boot or $VM_KCACHE
#   vm_require_kernel           that series: fetched from Debian as root, else "1..0 # SKIP"
#   vm_boot_kernel              what QEMU boots: that kernel's uncompressed vmlinux (cached in
#                               $NP_BUILDDIR/vm), or the vmlinuz itself when it cannot be had
#   vm_conf_* CONF              read a topology file (see topologies/2n.conf for the format)
#   vm_qemu_args CONF           the QEMU options that make that machine, one per line
#
# Terminology: "host" runs prove; "guest" is the QEMU machine booted from our initramfs;
# "topology" is one tests/vm/topologies/NAME.conf.
VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
NP_SRCDIR=${NP_SRCDIR:-$(cd "$VM_DIR/../.." && pwd)}
NP_BUILDDIR=${NP_BUILDDIR:-$NP_SRCDIR/build}
VM_PACKAGES="qemu-system-x86 linux-image-amd64 busybox-static numactl"
VM_INSTALL_CMD="apt-get update && apt-get install -y --no-install-recommends $VM_PACKAGES"
VM_LOCK=${VM_LOCK:-/tmp/numaplace-vm-install.lock}
# where a kernel other than /boot's is kept (NP_VM_KERNEL=6.12): outside the build directory,
# so that make clean keeps it
if [ "$(id -u)" = 0 ]; then VM_KCACHE=${NP_VM_KCACHE:-/var/cache/numaplace-vm}; else VM_KCACHE=${NP_VM_KCACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/numaplace-vm}; fi

vm_kernel() {
    local k series=${NP_VM_KERNEL:-}
    # newest first; Ubuntu keeps its kernels 0600, which only root can boot.  A series
    # (NP_VM_KERNEL=6.12) is looked for in /boot and in the tier's kernel cache
    for k in $(printf '%s\n' /boot/vmlinuz-$series* "$VM_KCACHE"/*/boot/vmlinuz-$series* | sort -rV); do
        [ -n "$series" ] || [ "${k#/boot/}" != "$k" ] || continue
        if [ -r "$k" ]; then
            printf '%s\n' "$k"
            return 0
        fi
    done
    return 1
}

# vm_fetch_kernel SERIES: Debian's newest linux-image-SERIES.*-amd64-unsigned, unpacked (its
# /boot only: the guests load no modules) into $VM_KCACHE/PACKAGE-VERSION; root, once, under
# the lock.  Debian 12 carries 6.12 beside its 6.1.
vm_fetch_kernel() {
    local series=$1 pkg dir
    (
        flock 9
        NP_VM_KERNEL=$series vm_kernel >/dev/null && exit 0
        pkg=$(apt-cache search --names-only "^linux-image-$series\.[0-9.+a-z]*-amd64-unsigned\$" 2>/dev/null |
            awk '{ print $1 }' | sort -V | tail -n 1)
        if [ -z "$pkg" ]; then
            apt-get update >&2 || exit 1
            pkg=$(apt-cache search --names-only "^linux-image-$series\.[0-9.+a-z]*-amd64-unsigned\$" |
                awk '{ print $1 }' | sort -V | tail -n 1)
        fi
        [ -n "$pkg" ] || exit 1
        dir=$VM_KCACHE/$pkg
        mkdir -p "$dir" && cd "$dir" || exit 1
        echo "# fetching $pkg into $dir: apt-get download $pkg && dpkg-deb --fsys-tarfile | tar x ./boot" >&2
        apt-get download "$pkg" >&2 2>/dev/null && dpkg-deb --fsys-tarfile "$dir"/*.deb | tar x ./boot &&
            rm -f "$dir"/*.deb
    ) 9>"$VM_LOCK.kernel"
    NP_VM_KERNEL=$series vm_kernel >/dev/null
}

# vm_require_kernel: for NP_VM_KERNEL=SERIES, that kernel (fetched as root) or "1..0 # SKIP"
vm_require_kernel() {
    local series=${NP_VM_KERNEL:-}
    [ -z "$series" ] && return 0
    vm_kernel >/dev/null && return 0
    local how="as root: apt-get download linux-image-$series.N-amd64-unsigned and unpack its ./boot into $VM_KCACHE/PACKAGE (make check does this)"
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        echo "1..0 # SKIP no Linux $series kernel in /boot or $VM_KCACHE; $how"
        exit 0
    fi
    vm_fetch_kernel "$series" || { echo "1..0 # SKIP Linux $series could not be fetched; $how"; exit 0; }
}

# QEMU boots an ELF vmlinux with a PVH entry note directly: no firmware boot loader and no
# decompression, which under TCG saves about ten seconds a guest (Debian's is xz).  The
# payload is found by its magic and unpacked with the matching tool; anything unexpected
# falls back to the vmlinuz.
vm_boot_kernel() {
    local k out magic off tool
    k=$(vm_kernel) || return 1
    out=$NP_BUILDDIR/vm/vmlinux-$(basename "$k" | sed 's/^vmlinuz-//')
    if [ ! -s "$out" ]; then
        mkdir -p "$NP_BUILDDIR/vm"
        (
            flock 9
            [ -s "$out" ] && exit 0
            for magic in '\xfd7zXZ\x00:xz' '\x28\xb5\x2f\xfd:zstd' '\x1f\x8b\x08:gzip'; do
                tool=${magic##*:}
                command -v "$tool" >/dev/null 2>&1 || continue
                off=$(LC_ALL=C grep -obUaP "${magic%:*}" "$k" 2>/dev/null | head -n 1 | cut -d: -f1)
                [ -n "$off" ] || continue
                tail -c +$((off + 1)) "$k" | "$tool" -dc >"$out.tmp" 2>/dev/null
                if [ "$(head -c 4 "$out.tmp" | od -An -tx1 | tr -d ' ')" = 7f454c46 ] &&
                    LC_ALL=C grep -qa 'Xen' "$out.tmp"; then
                    mv "$out.tmp" "$out"
                    exit 0
                fi
            done
            rm -f "$out.tmp"
        ) 9>"$NP_BUILDDIR/vm/.vmlinux.lock"
    fi
    if [ -s "$out" ]; then printf '%s\n' "$out"; else printf '%s\n' "$k"; fi
}

vm_busybox_ok() {
    [ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1
}

# vm_tools_missing [packages]: what is missing, as tools (default) or as Debian packages
vm_tools_missing() {
    local m="" p=""
    command -v qemu-system-x86_64 >/dev/null 2>&1 || { m="$m qemu-system-x86_64"; p="$p qemu-system-x86"; }
    vm_kernel >/dev/null || { m="$m /boot/vmlinuz-*"; p="$p linux-image-amd64"; }
    vm_busybox_ok || { m="$m static-busybox"; p="$p busybox-static"; }
    command -v numactl >/dev/null 2>&1 || { m="$m numactl"; p="$p numactl"; }
    if [ "${1:-}" = packages ]; then printf '%s' "$p"; else printf '%s' "$m"; fi
}

# Install what is missing, once: every topology's test calls this, and prove may run them in
# parallel, so the check is repeated under the lock before apt runs.
vm_require_tools() {
    local missing
    missing=$(vm_tools_missing)
    [ -z "$missing" ] && return 0
    if [ "$(id -u)" != 0 ]; then
        echo "1..0 # SKIP needs$missing; as root run: $VM_INSTALL_CMD"
        exit 0
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "1..0 # SKIP needs$missing and there is no apt-get: install $VM_PACKAGES"
        exit 0
    fi
    # only the packages of what is missing: a host with its own kernel (Ubuntu's is not
    # linux-image-amd64) still gets qemu
    (
        flock 9
        pkgs=$(vm_tools_missing packages)
        [ -z "$pkgs" ] && exit 0
        echo "# installing$pkgs: apt-get update && apt-get install -y --no-install-recommends$pkgs" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update >&2 && apt-get install -y --no-install-recommends $pkgs >&2
    ) 9>"$VM_LOCK"
    missing=$(vm_tools_missing)
    if [ -n "$missing" ]; then
        echo "1..0 # SKIP still missing after apt-get:$missing; run: $VM_INSTALL_CMD"
        exit 0
    fi
}

# vm_conf_nodes CONF: node ids in order
vm_conf_nodes() { awk '$1 == "node" { print $2 }' "$1"; }
# vm_conf_smp CONF
vm_conf_smp() { awk '$1 == "smp" { print $2 }' "$1"; }
# vm_conf_field CONF NODE cpus|mem
vm_conf_field() { awk -v n="$2" -v k="$3" '$1 == "node" && $2 == n { for (i = 3; i < NF; i++) if ($i == k) print $(i + 1) }' "$1"; }

vm_qemu_args() {
    local conf=$1 total=0 n cpus mem row j v
    for n in $(vm_conf_nodes "$conf"); do
        mem=$(vm_conf_field "$conf" "$n" mem)
        total=$((total + mem))
    done
    local smp
    smp=$(vm_conf_smp "$conf")
    # one package of single-thread cores, spelled out: QEMU's default for a bare -smp N changed
    # in 6.2 (sockets before, cores after), and fixtures record the topology
    # no NIC: nothing here uses one, and its boot ROM costs seconds under TCG
    printf '%s\n' -accel tcg -machine q35 -cpu max -smp "$smp,sockets=1,cores=$smp,threads=1" -m "${total}M" -nic none
    for n in $(vm_conf_nodes "$conf"); do
        cpus=$(vm_conf_field "$conf" "$n" cpus)
        mem=$(vm_conf_field "$conf" "$n" mem)
        local spec="node,nodeid=$n"
        [ "$cpus" != - ] && spec="$spec,cpus=$cpus"
        if [ "$mem" -gt 0 ]; then
            printf '%s\n' -object "memory-backend-ram,id=m$n,size=${mem}M"
            spec="$spec,memdev=m$n"
        fi
        ini=$(vm_conf_field "$conf" "$n" initiator)
        [ -n "$ini" ] && spec="$spec,initiator=$ini"
        printf '%s\n' -numa "$spec"
    done
    # every direction explicitly: QEMU refuses an asymmetric matrix given by halves
    while read -r row; do
        set -- $row
        n=$2; shift 2; j=0
        for v in "$@"; do
            [ "$j" != "$n" ] && printf '%s\n' -numa "dist,src=$n,dst=$j,val=$v"
            j=$((j + 1))
        done
    done < <(awk '$1 == "dist"' "$conf")
    vm_hmat_args "$conf"
}

# vm_hmat_args CONF: the HMAT of the "hmat INIT TARGET rlat NS wlat NS rbw MB wbw MB" lines.
# QEMU takes latency in ns and bandwidth in bytes/s with a binary suffix; the kernel reports
# MB/s as the table holds them, so "M" makes the number the kernel shows the conf's.
vm_hmat_args() {
    local conf=$1 init tgt k v
    grep -q '^hmat ' "$conf" || return 0
    # -machine may be given twice; QEMU merges the properties
    printf '%s\n' -machine hmat=on
    while read -r _ init tgt rest; do
        set -- $rest
        while [ $# -ge 2 ]; do
            k=$1 v=$2
            shift 2
            case $k in
            rlat) printf '%s\n' -numa "hmat-lb,initiator=$init,target=$tgt,hierarchy=memory,data-type=read-latency,latency=$v" ;;
            wlat) printf '%s\n' -numa "hmat-lb,initiator=$init,target=$tgt,hierarchy=memory,data-type=write-latency,latency=$v" ;;
            rbw) printf '%s\n' -numa "hmat-lb,initiator=$init,target=$tgt,hierarchy=memory,data-type=read-bandwidth,bandwidth=${v}M" ;;
            wbw) printf '%s\n' -numa "hmat-lb,initiator=$init,target=$tgt,hierarchy=memory,data-type=write-bandwidth,bandwidth=${v}M" ;;
            esac
        done
    done < <(awk '$1 == "hmat"' "$conf")
}
