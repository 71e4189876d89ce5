#!/bin/bash
# One QEMU guest: 8 nodes: 6 with one CPU and memory, 2 memory-only, three distance tiers. Every check for this topology runs inside it (see run-guest.sh).
exec "$(dirname "$0")/run-guest.sh" 8n
