#!/bin/sh
# numaplace irq: the listing joined with devices and nodes, set, near and --undo on a copy of
# the hand-made sysroot tests/fixtures/sysroots-extras/isolate-4cpu; --undo leaves every file
# byte for byte as it was.
. "$(dirname "$0")/lib.sh"

SRC=$NP_SRCDIR/tests/fixtures/sysroots-extras/isolate-4cpu
S=$TMP/irq
O=$TMP/orig
cp -a "$SRC" "$S" && cp -a "$SRC" "$O" || skip_all "cannot copy $SRC"

expect_code 0 "irq: the listing" irq --sysroot "$S"
is "$out" " IRQ  DEVICE            NODE  AFFINITY   EFFECTIVE  KIND      COUNTS CPU:N  NAME
   1  IO-APIC           0     0-3        2          movable   2:52  timer
   9  IO-APIC           0     0          0          movable   0:7  acpi
  24  0000:00:03.0      1     0-3        3          movable   3:3  virtio0-config
  25  0000:00:03.0      1     2          2          managed   2:1200  virtio0-input.0
  26  0000:00:03.0      1     3          3          managed   3:900  virtio0-input.1
   5  -                 0     0-3        ?          unknown    " \
    "irq: device, node, affinity, effective affinity, kind, counts, handler"
expect_code 0 "irq --json" irq --json --sysroot "$S"
like "$(printf '%s\n' "$out" | tr -d ' \n')" '\{"irq":25,"chip":"PCI-MSIX-0000:00:03.0","name":"virtio0-input.0","device":"0000:00:03.0","node":1,"affinity":"2","effective":"2","kind":"managed","counts":\[0,0,1200,0\]\}' \
    "irq --json: every field, counts per CPU"

expect_code 0 "irq set 1 0" irq set 1 0 --sysroot "$S"
is "$out" "irq 1: 0" "irq set: says what it did"
is "$(cat "$S/proc/irq/1/smp_affinity_list")" 0 "irq set: written"
expect_code 0 "irq set eth0 node:0" irq set eth0 node:0 --sysroot "$S"
is "$out" "irq 24: 0-1
irq 25: left (managed: the kernel places it)
irq 26: left (managed: the kernel places it)" "irq set DEVICE: every IRQ of it, managed ones left"
expect_code 0 "irq near eth0" irq near eth0 --sysroot "$S"
is "$out" "irq 24: 2
irq 25: left (managed: the kernel places it)
irq 26: left (managed: the kernel places it)" "irq near: the device's node's CPUs"
expect_code 0 "irq --undo" irq --undo --sysroot "$S"
diff -r "$O" "$S" >&2
ok $? "irq --undo: every file as it was"
expect_code 1 "irq --undo twice" irq --undo --sysroot "$S"
like "$err" "^numaplace irq: nothing to undo" "... says so"

expect_code 1 "irq set 99 0: no such IRQ" irq set 99 0 --sysroot "$S"
is "$err" "numaplace irq set: no IRQ 99 in /proc/interrupts" "... says so"
expect_code 1 "irq set nope0 0: no such device" irq set nope0 0 --sysroot "$S"
like "$err" "no IRQ of device 'nope0'" "... says so"
expect_code 2 "irq set 1: no CPUS" irq set 1 --sysroot "$S"
expect_code 2 "irq set 1 9: no CPU 9" irq set 1 9 --sysroot "$S"
expect_code 2 "irq near: no device" irq near --sysroot "$S"
expect_code 2 "irq sett: misspelt" irq sett --sysroot "$S"
like "$err" "did you mean 'set'" "... the nearest word"
diff -r "$O" "$S" >&2
ok $? "errors: nothing changed"

done_testing
