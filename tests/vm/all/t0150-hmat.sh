#!/bin/bash
# make check-vm-all: topology hmat on the host's /boot kernel (Debian 12: 6.1) (make check boots the others).
exec "$(dirname "$0")/../run-guest.sh" hmat
