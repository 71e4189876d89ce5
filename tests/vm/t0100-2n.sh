#!/bin/bash
# One QEMU guest: 2 nodes x 2 CPUs, distance 21. Every check for this topology runs inside it (see run-guest.sh).
exec "$(dirname "$0")/run-guest.sh" 2n
