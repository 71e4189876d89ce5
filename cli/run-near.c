/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * run-near.c - `numaplace run --ranks auto --near gpu|nic --bind MODE`: the command bound to
 * the CPUs near its local rank's device, memory as --mem says, and with --nic (or --near nic)
 * the nearest network device exported for NCCL and UCX.
 *
 * Terminology: see ranks-near.c; "place" is struct np_rank_place, the rank's device, CPUs,
 * nodes and NIC.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "run.h"

/* after parsing: --near's needs, and --plan-mem against --mem */
int run_near_args(struct run *r)
{
	int e = near_check(&r->pl.near, r->pl.ranks, (int)r->pl.opts.smt);

	if (e < 0 || !r->pl.near.near)
		return e;
	if (r->pl.workers)
		return cli_usage("--near places whole processes: give --plan to a separate run "
				 "inside it");
	if (r->pl.mem != PMEM_UNSET)
		return cli_usage("--plan-mem does not apply with --near: use --mem none|bind|prefer");
	if (r->mode >= 0 && r->pl.near.mem != NEAR_MEM_NONE)
		return cli_usage("conflicting memory policies '%s' and '--mem': give one", r->mode_opt);
	if (r->pl.near.nic && r->pl.near.o.near == NP_NEAR_NIC)
		return cli_usage("--nic goes with --near gpu (--near nic exports its device already)");
	/* the policy is --mem's, set below; run's own --ranks policy would override it */
	r->pl.mem = PMEM_NONE;
	return 0;
}

/* bind to the place; --mem's policy unless a memory policy option gave one */
int run_near_resolve(struct run *r)
{
	struct np_policy *pol = NULL;
	int e;

	r->pl.near.o.within = r->pl.opts.within;
	e = near_place(r->topo, &r->pl.near, r->pl.rank, r->pl.nranks, &r->pl.place);
	r->pl.near.o.within = NULL;

	if (e < 0)
		return e;
	np_cpuset_free(r->bind);
	r->bind = NULL;
	e = np_cpuset_dup(r->pl.place.cpus, &r->bind);
	if (e == 0 && !r->pol)
		e = near_policy(r->topo, &r->pl.near, &r->pl.place, &pol);
	if (e < 0) {
		cli_error_errno(e, "cannot place local rank %u", r->pl.rank);
		return e;
	}
	if (pol) {
		r->pol = pol;
		r->mode = r->pl.near.mem == NEAR_MEM_BIND ? NP_MPOL_BIND : NP_MPOL_PREFERRED;
		r->mode_opt = "--mem";
	}
	return 0;
}

/* --nic and --near nic: NCCL_IB_HCA / NCCL_SOCKET_IFNAME and UCX_NET_DEVICES, unless set */
int run_near_setenv(const struct run *r)
{
	int e;

	if (!r->pl.near.near || !r->pl.place.nic)
		return 0;
	if (!r->pl.near.nic && r->pl.near.o.near != NP_NEAR_NIC)
		return 0;
	/* a function no driver named has no interface name to give NCCL or UCX */
	if (strcmp(np_device_class(r->pl.place.nic), "pci") == 0)
		return 0;
	e = np_rank_nic_setenv(r->pl.place.nic);
	if (e < 0)
		cli_error_errno(e, "cannot export network device '%s'",
				np_device_name(r->pl.place.nic));
	return e;
}
