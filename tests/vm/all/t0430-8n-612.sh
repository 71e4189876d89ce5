#!/bin/bash
# make check-vm-all: topology 8n on Debian's Linux 6.12 (make check boots the others).
exec "$(dirname "$0")/../run-guest.sh" 8n 6.12
