/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd-topo.c - `numaplace topo`: the machine.  Placeholder until the topology module lands:
 * prints this machine's online CPUs and this process's allowed CPUs.
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

int cmd_topo(int argc, char **argv)
{
	struct np_cpuset *allowed;
	char buf[4096], *s;
	FILE *f;
	int r;

	(void)argc;
	(void)argv;
	f = fopen("/sys/devices/system/cpu/online", "r");
	if (f && fgets(buf, sizeof(buf), f))
		printf("online CPUs:  %s", buf);
	if (f)
		fclose(f);
	r = np_cpuset_new(CPU_SETSIZE, &allowed);
	if (r < 0)
		return r;
	{
		cpu_set_t cs;

		if (sched_getaffinity(0, sizeof(cs), &cs) == 0)
			for (int i = 0; i < CPU_SETSIZE; i++)
				if (CPU_ISSET(i, &cs))
					np_cpuset_set(allowed, (unsigned)i);
	}
	if (np_cpuset_format_list(allowed, 0, &s) == 0) {
		printf("allowed CPUs: %s\n", s);
		free(s);
	}
	np_cpuset_free(allowed);
	return 0;
}
