#!/bin/bash
# One QEMU guest: 4 nodes, asymmetric distances, a memoryless CPU node and a CPU-less memory node. Every check for this topology runs inside it (see run-guest.sh).
exec "$(dirname "$0")/run-guest.sh" 4n
