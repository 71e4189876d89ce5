/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * compat-numactl.h - what the files of the numactl personality share: its state (struct nc),
 * numactl's ways of failing, and the entry points of each part.  compat-numactl.c parses and
 * dispatches; compat-numactl-apply.c parses lists and applies options as libnuma does;
 * compat-numactl-show.c prints --show and --hardware; compat-numactl-shm.c does the shared
 * memory options.  numactl's exact strings live in these files only.
 *
 * Terminology: see compat-numactl.c.
 */
#ifndef NP_CLI_COMPAT_NUMACTL_H
#define NP_CLI_COMPAT_NUMACTL_H

#include <stdbool.h>

#include "cli.h"

#define NC_VERSION "2.0.19"
/* libnuma sizes node masks like the kernel's nodemask_t: MAX_NUMNODES bits (NODES_SHIFT=10) */
#define NC_NODE_BITS 1024

/* --shm/--file and what shapes them (compat-numactl-shm.c) */
struct nc_shm {
	struct np_region_opts o;   /* --length, --offset, --shmmode, --shmid */
	bool huge;                 /* --huge */
	unsigned int mbind_flags;  /* NP_MBIND_STRICT with --strict */
	bool nl_on_stdout;         /* numactl 2.0.16's complain(): the final newline on stdout */
	struct np_region *reg;     /* NULL until --shm/--file */
	int failed;                /* --verify found a page that breaks the policy */
};

struct nc {
	bool old;                        /* 2.0.16 behaviour */
	struct np_topo *topo;
	struct np_cpuset *all_cpus, *possible_cpus;
	struct np_cpuset *all_nodes, *possible_nodes;
	struct np_cpuset *mask;          /* the last node list parsed (for --verify) */
	unsigned int cpu_bits, node_bits;
	unsigned int conf_cpus, conf_nodes;
	int max_node;
	int set_policy;                  /* -1, or the policy the options chose */
	bool parse_all, did_node_cpu_parse, did_cpubind, did_strict, do_dump, balancing;
	bool cpu_compress, do_hardware, shm_attached;
	const char *shmoption;           /* the shm option given, for "not allowed" messages */
	const char *last;                /* the last node list, for "same" */
	struct nc_shm shm;
};


int nc_usage(const struct nc *nc);
int nc_usage_msg(const struct nc *nc, const char *fmt, ...) PRINTF_LIKE(2, 3);
int nc_complain(const struct nc *nc, const char *fmt, ...) PRINTF_LIKE(2, 3);
void nc_warn(const char *fmt, ...) PRINTF_LIKE(1, 2);
void nc_perror(const char *what, int err);
bool nc_numa_available(const struct nc *nc);
int nc_interleave(struct nc *nc, const char *arg, bool weighted);
int nc_cpunodebind(struct nc *nc, const char *arg);
int nc_physcpubind(struct nc *nc, const char *arg);
int nc_membind(struct nc *nc, const char *arg);
int nc_preferred(struct nc *nc, const char *arg, bool many);
int nc_localalloc(struct nc *nc);
int nc_attach(struct nc *nc, const char *arg, bool sysv);
int nc_noshm(struct nc *nc, const char *opt);
int nc_needshm(struct nc *nc, const char *opt);
int nc_verify(struct nc *nc);
int nc_ulong(struct nc *nc, const char *arg, int base, unsigned long *ret);
int nc_show(struct nc *nc);
int nc_hardware(const struct nc *nc);

void nc_shm_init(struct nc_shm *s, bool old);
/* attach (creating when missing) the segment keyed by @path or the file; numactl's messages */
int nc_shm_attach(struct nc_shm *s, const char *path, bool sysv, size_t huge_page_size);
/* fails when the offset is at or beyond the length, naming @opt */
int nc_shm_check_beyond(const struct nc_shm *s, const char *opt);
/* --dump (@nodes false) or --dump-nodes on stdout */
int nc_shm_dump(const struct nc_shm *s, bool nodes);
/* check every page follows @mode over @nodes; mismatches are printed and set s->failed */
int nc_shm_verify(struct nc_shm *s, int mode, const struct np_cpuset *nodes);

#endif /* NP_CLI_COMPAT_NUMACTL_H */
