/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ranks-near.h - `--near gpu|nic --bind MODE` for run and plan (cli/ranks-near.c).
 *
 * Terminology: see ranks-near.c.
 */
#ifndef NP_CLI_RANKS_NEAR_H
#define NP_CLI_RANKS_NEAR_H

#include <stdbool.h>
#include <stdio.h>

#include "cli.h"

/* which option near_option() is given */
enum { NEAR_OPT_NEAR, NEAR_OPT_BIND, NEAR_OPT_NIC, NEAR_OPT_OVERSUB, NEAR_OPT_MEM };
/* --mem: leave the policy (torch's default), bind to the place's nodes, or prefer them */
enum { NEAR_MEM_NONE, NEAR_MEM_BIND, NEAR_MEM_PREFER };

struct near {
	const char *near;         /* --near as given; NULL: not asked */
	struct np_rank_opts o;
	bool nic;                 /* --nic: export the nearest network device */
	int mem;                  /* NEAR_MEM_* */
	const char *first;        /* the first option that needs --near, for the message */
	const char *visible_var;  /* CUDA_VISIBLE_DEVICES or the like, when set */
};

/* parse one of the options (@which: NEAR_OPT_*); usage errors as cli_choice() */
int near_option(struct near *n, int which, const char *arg);
/* after parsing: what --near needs; @ranks: --ranks as given or NULL; @smt: the --smt value */
int near_check(struct near *n, const char *ranks, int smt);
/* np_rank_bind() with its errors worded on stderr */
int near_place(const struct np_topo *t, const struct near *n, unsigned int rank,
	       unsigned int size, struct np_rank_place *p);
/* --mem's policy over @p's nodes with memory, *@ret NULL for none; 0 or -ENOMEM */
int near_policy(const struct np_topo *t, const struct near *n, const struct np_rank_place *p,
		struct np_policy **ret);
/* ranks @first..@last of @size, a line each or one JSON object */
int near_print(FILE *f, bool json, const struct np_topo *t, const struct near *n,
	       unsigned int first, unsigned int last, unsigned int size);

#endif /* NP_CLI_RANKS_NEAR_H */
