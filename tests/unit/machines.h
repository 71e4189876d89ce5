/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * machines.h - hand-built machines for t-location.c, t-plan.c and t-tree.c, shaped like shared
 * captures (../shared/fixtures/topology) so that expectations can be worked out on paper and
 * then checked again on the captures themselves.  Each becomes a struct np_topo through
 * np__topo_synthetic(), the same groups and object tree as a loaded machine.
 */
#ifndef NP_TEST_MACHINES_H
#define NP_TEST_MACHINES_H

#include <stdlib.h>

#include "internal.h"

typedef void (*mach_fn)(unsigned int cpu, struct np__synth_cpu *d);

static struct np_topo *mach(unsigned int n, mach_fn f)
{
	struct np__synth_cpu *d = calloc(n, sizeof(*d));
	struct np_topo *t = NULL;

	for (unsigned int c = 0; d && c < n; c++) {
		d[c] = (struct np__synth_cpu){ .cpu = c, .package = -1, .node = -1, .die = -1,
					       .cluster = -1, .core = -1, .l3 = -1, .l2 = -1 };
		f(c, &d[c]);
	}
	if (!d || np__topo_synthetic(n, d, n, NULL, 0, &t) < 0)
		t = NULL;
	free(d);
	return t;
}

/*
 * 16em64t-4s2c2t: 4 packages of 2 cores of 2 threads; CPU c on package c%4, sibling c^8;
 * L3 per package
 */
__attribute__((unused)) static void m_16em64t(unsigned int c, struct np__synth_cpu *d)
{
	d->package = d->l3 = c % 4;
	d->node = 0;
	d->core = d->l2 = c % 8;
}

/* 16amd64-8n2c: 8 packages = 8 nodes of 2 CPUs, no cache known */
__attribute__((unused)) static void m_16amd64(unsigned int c, struct np__synth_cpu *d)
{
	d->package = d->node = c / 2;
	d->core = c;
}

/*
 * 64amd64-4s2n4ca2co: 4 packages of 2 nodes of 8 CPUs, L3 per node; the kernel's thread
 * siblings pair CPUs 2k and 2k+1 (Bulldozer modules; the oracle's cores_alt), so 32 "cores"
 */
__attribute__((unused)) static void m_64amd64(unsigned int c, struct np__synth_cpu *d)
{
	d->package = c / 16;
	d->node = d->l3 = c / 8;
	d->core = c / 2;
}

/* 32intel64-2p8co2t: 2 packages (= nodes, = L3) of 8 cores; CPU c's sibling is c^16 */
__attribute__((unused)) static void m_32intel64(unsigned int c, struct np__synth_cpu *d)
{
	d->package = d->node = d->l3 = (c % 16) / 8;
	d->core = c % 16;
}

/* 48amd64-4pa2n6c-sparse: 4 packages of 2 nodes of 6 CPUs, node ids 0 1 2 33 34 45 72 73 */
__attribute__((unused)) static void m_48amd64(unsigned int c, struct np__synth_cpu *d)
{
	static const int ids[] = { 0, 1, 2, 33, 34, 45, 72, 73 };

	d->package = c / 12;
	d->node = ids[c / 6];
	d->l3 = c / 6;
	d->core = c;
}

/* 256ppc-8n8s4t: 64 one-core "packages" of 4 threads, 8 per node, node ids 0 1 4 5 8 9 12 13;
 * the last-level cache is the core's L2 */
__attribute__((unused)) static void m_256ppc(unsigned int c, struct np__synth_cpu *d)
{
	static const int ids[] = { 0, 1, 4, 5, 8, 9, 12, 13 };

	d->package = d->core = d->l2 = c / 4;
	d->node = ids[c / 32];
}

/* 128arm-2pa2n8cluster4co: 2 packages of 2 nodes (= L3) of 8 clusters of 4 cores */
__attribute__((unused)) static void m_128arm(unsigned int c, struct np__synth_cpu *d)
{
	d->package = c / 64;
	d->node = d->l3 = c / 32;
	d->cluster = c / 4;
	d->core = c;
}

#endif
