#!/bin/bash
# make check-vm-all: topology 2n on Debian's Linux 6.12 (make check boots the others).
exec "$(dirname "$0")/../run-guest.sh" 2n 6.12
