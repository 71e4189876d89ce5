#!/bin/bash
# One QEMU guest on Debian's Linux 6.12: two CPU nodes and a slower memory-only node with an
# HMAT (topologies/hmat.conf): the whole policy matrix, weighted interleave with weights,
# the weights verb, HMAT access classes and memory tiers as the firmware made them.
exec "$(dirname "$0")/run-guest.sh" hmat 6.12
