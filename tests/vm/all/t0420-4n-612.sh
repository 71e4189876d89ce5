#!/bin/bash
# make check-vm-all: topology 4n on Debian's Linux 6.12 (make check boots the others).
exec "$(dirname "$0")/../run-guest.sh" 4n 6.12
