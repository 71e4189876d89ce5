#!/bin/bash
# mkinitramfs.sh OUT.cpio.gz - the guests' initramfs (cpio newc, gzip): static busybox, the
# static numaplace and probe from $NP_BUILDDIR, Debian's numactl with its shared libraries
# when the host has it, the guest init and test script, and every topology file.
set -eu
. "$(dirname "$0")/lib.sh"

out=$1
root=$(mktemp -d "${TMPDIR:-/tmp}/np-vm-root.XXXXXX")
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,np/bin,np/topologies}
cp /bin/busybox "$root/bin/busybox"
install -m 755 "$VM_DIR/guest/init" "$root/init"
install -m 644 "$VM_DIR/guest/tests.sh" "$root/np/tests.sh"
install -m 644 "$VM_DIR/guest/stat.sh" "$root/np/stat.sh"
install -m 644 "$VM_DIR/guest/isolate.sh" "$root/np/isolate.sh"
cp "$VM_DIR"/topologies/*.conf "$root/np/topologies/"

for b in numaplace-static:numaplace tests/vm/guest-probe:guest-probe tests/helpers/np-probe-static:np-probe; do
    src=$NP_BUILDDIR/${b%%:*}
    [ -x "$src" ] && install -m 755 "$src" "$root/np/bin/${b##*:}"
done
if [ ! -x "$root/np/bin/numaplace" ] || [ ! -x "$root/np/bin/guest-probe" ]; then
    echo "mkinitramfs: build the static binaries first: make BUILDDIR=$NP_BUILDDIR vm-bins" >&2
    exit 1
fi

# Debian's numactl for the differential checks: the binary and what ld.so loads for it
if nb=$(command -v numactl); then
    for f in "$nb" $(ldd "$nb" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
        mkdir -p "$root$(dirname "$f")"
        cp -L "$f" "$root$f"
    done
    [ "$nb" = /usr/bin/numactl ] || ln -s "$nb" "$root/usr/bin/numactl"
fi

# run --plan on OpenMP (guest/promises.sh): the preload library beside numaplace, and a test
# program per runtime, dynamically linked, with what ld.so loads for it; a missing compiler or
# runtime leaves its program out (the guest skips it)
install -m 644 "$VM_DIR/guest/promises.sh" "$root/np/promises.sh"
if [ -f "$NP_BUILDDIR/libnumaplace-preload.so" ]; then
    install -m 755 "$NP_BUILDDIR/libnumaplace-preload.so" "$root/np/bin/"
    for rt in gomp:gcc:-fopenmp llvm:clang:-fopenmp=libomp; do
        IFS=: read -r name cc flag <<<"$rt"
        prog=$root/np/bin/omp-$name
        command -v "$cc" >/dev/null 2>&1 &&
            "$cc" $flag -O1 -o "$prog" "$NP_SRCDIR/tests/helpers/omp/omp-threads.c" 2>/dev/null || continue
        for f in $(ldd "$prog" "$NP_BUILDDIR/libnumaplace-preload.so" |
                   awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// && $1 !~ /:$/ { print $1 }' | sort -u); do
            mkdir -p "$root$(dirname "$f")"
            cp -L "$f" "$root$f"
        done
    done
fi

if command -v cpio >/dev/null 2>&1; then
    cpio_cmd=(cpio -o -H newc --quiet)
else
    cpio_cmd=(/bin/busybox cpio -o -H newc)
fi
(cd "$root" && find . | LC_ALL=C sort | "${cpio_cmd[@]}") | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
