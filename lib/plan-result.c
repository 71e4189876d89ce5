/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * plan-result.c - what a plan holds once made (lib/plan.c makes it): each worker's CPUs, nodes
 * and whether it shares CPUs with another worker, and freeing it.
 *
 * Terminology:
 *  worker   one of the N threads or processes placed, by index from 0.
 *  shared   a worker whose CPUs overlap another worker's: the plan oversubscribes them.
 */
#include <errno.h>
#include <stdlib.h>

#include "internal.h"

void np_plan_free(struct np_plan *plan)
{
	if (!plan)
		return;
	for (unsigned int i = 0; i < plan->n; i++) {
		if (plan->cpus)
			np_cpuset_free(plan->cpus[i]);
		if (plan->nodes)
			np_cpuset_free(plan->nodes[i]);
	}
	free(plan->cpus);
	free(plan->nodes);
	free(plan->node);
	free(plan->shared);
	np_cpuset_free(plan->eligible);
	free(plan);
}

unsigned int np_plan_count(const struct np_plan *plan)
{
	return plan->n;
}

const struct np_cpuset *np_plan_cpus(const struct np_plan *plan, unsigned int i)
{
	return i < plan->n ? plan->cpus[i] : NULL;
}

const struct np_cpuset *np_plan_nodes(const struct np_plan *plan, unsigned int i)
{
	return i < plan->n ? plan->nodes[i] : NULL;
}

int np_plan_node(const struct np_plan *plan, unsigned int i)
{
	return i < plan->n ? plan->node[i] : -1;
}

bool np_plan_shared(const struct np_plan *plan, unsigned int i)
{
	return i < plan->n && plan->shared[i];
}

unsigned int np_plan_shared_count(const struct np_plan *plan)
{
	return plan->nshared;
}

const struct np_cpuset *np_plan_eligible(const struct np_plan *plan)
{
	return plan->eligible;
}

/*
 * Oversubscription: more workers than places (plan 40 on 32 cores with --smt avoid) wraps round,
 * and per-node or whole-node places overlap; either way two workers share a CPU, which the
 * caller must be able to tell and refuse.  A count per CPU keeps this linear in the workers.
 */
int np__plan_mark_shared(const struct np_topo *t, struct np_plan *p)
{
	unsigned int *uses = calloc(t->ncpus ? t->ncpus : 1, sizeof(*uses));

	if (!uses)
		return -ENOMEM;
	for (unsigned int i = 0; i < p->n; i++)
		for (int c = np_cpuset_first(p->cpus[i]); c >= 0; c = np_cpuset_next(p->cpus[i], c))
			if ((unsigned int)c < t->ncpus)
				uses[c]++;
	for (unsigned int i = 0; i < p->n; i++) {
		for (int c = np_cpuset_first(p->cpus[i]); c >= 0 && !p->shared[i];
		     c = np_cpuset_next(p->cpus[i], c))
			p->shared[i] = (unsigned int)c < t->ncpus && uses[c] > 1;
		p->nshared += p->shared[i];
	}
	free(uses);
	return 0;
}
