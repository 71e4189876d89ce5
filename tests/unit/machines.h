/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * machines.h - hand-built machine models for t-location.c and t-plan.c, shaped like shared
 * captures (../shared/fixtures/topology) so that expectations can be worked out on paper and
 * then checked again on the captures themselves.
 */
#ifndef NP_TEST_MACHINES_H
#define NP_TEST_MACHINES_H

#include "internal.h"

typedef void (*mach_fn)(unsigned int cpu, long long *raw);

static struct np__mach *mach(unsigned int n, mach_fn f)
{
	struct np__mach_desc *d = calloc(n, sizeof(*d));
	struct np__mach *m = NULL;

	for (unsigned int c = 0; d && c < n; c++) {
		d[c].cpu = c;
		for (int l = 0; l < NP__LVL_COUNT; l++)
			d[c].raw[l] = -1;
		f(c, d[c].raw);
	}
	if (!d || np__mach_build(n, d, n, NULL, 0, &m) < 0)
		m = NULL;
	free(d);
	return m;
}

/* 16em64t-4s2c2t: 4 packages of 2 cores of 2 threads; CPU c on package c%4, sibling c^8; L3 per package */
__attribute__((unused)) static void m_16em64t(unsigned int c, long long *r)
{
	r[NP__LVL_PACKAGE] = c % 4;
	r[NP__LVL_NODE] = 0;
	r[NP__LVL_LLC] = r[NP__LVL_L3] = c % 4;
	r[NP__LVL_CORE] = r[NP__LVL_L2] = c % 8;
}

/* 16amd64-8n2c: 8 packages = 8 nodes of 2 CPUs */
__attribute__((unused)) static void m_16amd64(unsigned int c, long long *r)
{
	r[NP__LVL_PACKAGE] = r[NP__LVL_NODE] = c / 2;
	r[NP__LVL_CORE] = c;
}

/*
 * 64amd64-4s2n4ca2co: 4 packages of 2 nodes of 8 CPUs, L3 per node; the kernel's thread
 * siblings pair CPUs 2k and 2k+1 (Bulldozer modules; the oracle's cores_alt), so 32 "cores"
 */
__attribute__((unused)) static void m_64amd64(unsigned int c, long long *r)
{
	r[NP__LVL_PACKAGE] = c / 16;
	r[NP__LVL_NODE] = r[NP__LVL_LLC] = r[NP__LVL_L3] = c / 8;
	r[NP__LVL_CORE] = c / 2;
}

/* 32intel64-2p8co2t: 2 packages (= nodes, = L3) of 8 cores; CPU c's sibling is c^16 */
__attribute__((unused)) static void m_32intel64(unsigned int c, long long *r)
{
	r[NP__LVL_PACKAGE] = r[NP__LVL_NODE] = r[NP__LVL_LLC] = (c % 16) / 8;
	r[NP__LVL_CORE] = c % 16;
}

/* 48amd64-4pa2n6c-sparse: 4 packages of 2 nodes of 6 CPUs, node ids 0 1 2 33 34 45 72 73 */
__attribute__((unused)) static void m_48amd64(unsigned int c, long long *r)
{
	static const int ids[] = { 0, 1, 2, 33, 34, 45, 72, 73 };

	r[NP__LVL_PACKAGE] = c / 12;
	r[NP__LVL_NODE] = ids[c / 6];
	r[NP__LVL_LLC] = c / 6;
	r[NP__LVL_CORE] = c;
}

/* 256ppc-8n8s4t: 64 one-core "packages" of 4 threads, 8 per node, node ids 0 1 4 5 8 9 12 13 */
__attribute__((unused)) static void m_256ppc(unsigned int c, long long *r)
{
	static const int ids[] = { 0, 1, 4, 5, 8, 9, 12, 13 };

	r[NP__LVL_PACKAGE] = r[NP__LVL_CORE] = r[NP__LVL_LLC] = c / 4;
	r[NP__LVL_NODE] = ids[c / 32];
}

/* 128arm-2pa2n8cluster4co: 2 packages of 2 nodes (= L3) of 8 clusters of 4 cores */
__attribute__((unused)) static void m_128arm(unsigned int c, long long *r)
{
	r[NP__LVL_PACKAGE] = c / 64;
	r[NP__LVL_NODE] = r[NP__LVL_LLC] = r[NP__LVL_L3] = c / 32;
	r[NP__LVL_CLUSTER] = c / 4;
	r[NP__LVL_CORE] = c;
}

#endif
