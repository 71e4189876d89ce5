/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * worker_pool.c - a pthread pool placed the way MindSpore's cache server places its workers:
 * np_pool_plan() gives worker i the CPUs of NUMA node (i mod nodes) and local memory, and each
 * worker applies its own host policy before it touches any data.
 *
 *   worker_pool [N] [--unpinned]
 *
 * Each worker allocates and fills 4 MiB, then reports where it ran and where the memory went:
 *   worker 0: cpus 0-1  node 0  memory on node 0
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <numaplace.h>

#define BUF_SIZE (4u << 20)

struct worker {
	unsigned int id;
	const struct np_hostpolicy *hp;
	const struct np_topo *topo;
	int err;
	struct np_cpuset *ran_on; /* the affinity it ended up with */
	int mem_node;             /* where its buffer's first page is */
};

static void *work(void *arg)
{
	struct worker *w = arg;
	char *buf;

	/* before the first allocation: memory policy is per thread, first touch decides */
	w->err = np_hostpolicy_apply(w->hp, w->topo);
	if (w->err < 0)
		return NULL;
	w->err = np_affinity_get(0, &w->ran_on);
	if (w->err < 0)
		return NULL;
	buf = malloc(BUF_SIZE);
	if (!buf) {
		w->err = -12;
		return NULL;
	}
	memset(buf, (int)w->id, BUF_SIZE);
	if (np_mem_node_of(buf + BUF_SIZE / 2, &w->mem_node) < 0)
		w->mem_node = -1;
	free(buf);
	return NULL;
}

static void report(const struct worker *w)
{
	char *cpus = NULL;

	if (w->err < 0) {
		fprintf(stderr, "worker_pool: worker %u: %s\n", w->id, np_strerror(w->err));
		return;
	}
	np_cpuset_format_list(w->ran_on, 0, &cpus);
	printf("worker %u: cpus %s  node %d  memory on node %d\n", w->id, cpus ? cpus : "?",
	       w->hp->numa_node, w->mem_node);
	free(cpus);
}

int main(int argc, char **argv)
{
	unsigned int n = argc > 1 ? (unsigned int)strtoul(argv[1], NULL, 10) : 4;
	unsigned int flags = argc > 2 && strcmp(argv[2], "--unpinned") == 0 ? NP_POOL_UNPINNED : 0;
	struct np_hostpolicy *hps;
	struct worker *ws;
	pthread_t *tids;
	struct np_topo *topo;
	int r, status = 0;

	if (n == 0 || n > 1024) {
		fprintf(stderr, "usage: worker_pool [N (1-1024)] [--unpinned]\n");
		return 2;
	}
	r = np_topo_load(NULL, 0, &topo);
	if (r == 0)
		r = np_pool_plan(topo, n, flags, &hps);
	if (r < 0) {
		fprintf(stderr, "worker_pool: cannot plan %u workers: %s\n", n, np_strerror(r));
		return 1;
	}
	ws = calloc(n, sizeof(*ws));
	tids = calloc(n, sizeof(*tids));
	if (!ws || !tids)
		return 1;
	for (unsigned int i = 0; i < n; i++) {
		ws[i] = (struct worker){ .id = i, .hp = &hps[i], .topo = topo, .mem_node = -1 };
		if (pthread_create(&tids[i], NULL, work, &ws[i]) != 0) {
			ws[i].err = -11;
			tids[i] = 0;
		}
	}
	for (unsigned int i = 0; i < n; i++) {
		if (tids[i])
			pthread_join(tids[i], NULL);
		report(&ws[i]);
		status |= ws[i].err < 0;
		np_cpuset_free(ws[i].ran_on);
	}
	np_pool_free(hps, n);
	np_topo_free(topo);
	free(ws);
	free(tids);
	return status;
}
