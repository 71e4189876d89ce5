/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * plan-threads.c - test helper for the preload library: the main thread and N created threads
 * (default 4, created one after another) each report the CPUs they may run on, in order:
 *   thread 0: 0,8
 *   thread 1: 4,12
 * Knows nothing of numaplace: whatever pinning it sees came from outside.
 */
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

static void report(unsigned int k)
{
	cpu_set_t cs;
	bool first = true;

	if (sched_getaffinity(0, sizeof(cs), &cs) < 0) {
		printf("thread %u: ?\n", k);
		return;
	}
	printf("thread %u: ", k);
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &cs)) {
			printf("%s%d", first ? "" : ",", c);
			first = false;
		}
	printf("\n");
	fflush(stdout);
}

static void *run(void *arg)
{
	report((unsigned int)(unsigned long)arg);
	return NULL;
}

int main(int argc, char **argv)
{
	unsigned int n = argc > 1 ? (unsigned int)atoi(argv[1]) : 4;

	report(0);
	/* one at a time, so that the output order is the creation order */
	for (unsigned int k = 1; k <= n; k++) {
		pthread_t t;

		if (pthread_create(&t, NULL, run, (void *)(unsigned long)k) != 0)
			return 1;
		pthread_join(t, NULL);
	}
	return 0;
}
