/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * compat-numactl.c - the numactl personality: invoked as "numactl" (a symlink to numaplace) or
 * as `numaplace numactl`, the binary behaves as numactl(8) 2.0.19: the same options, the same
 * --hardware and --show output, messages (libnuma's warnings included) and exit codes.
 *
 * numactl applies each option as it reads it, and so does this: a later bad option fails after
 * earlier ones took effect, in this process only, which then exits without running anything.
 *
 * NUMAPLACE_NUMACTL_VERSION=2.0.16 (or any 2.0.x below 2.0.19) selects the older release's
 * differences, for machines that compare with an older numactl (Debian 12 ships 2.0.16): its
 * usage text, the narrower distance table, the blank line of complain() on stdout, -H acting
 * at once, no -w/--weighted-interleave, --cpu-compress or --version, and only nodes with
 * memory counted as configured.
 *
 * Terminology (libnuma's, as its variables are named):
 *  all cpus        the CPUs this process may use when it starts (Cpus_allowed), within the
 *                  configured ones; what a CPU list may name without --all
 *  all nodes       the nodes it may allocate from (Mems_allowed); what a node list may name
 *  possible        every configured CPU (0 .. NPROCESSORS_CONF-1) or node (0 .. highest node
 *                  directory in sysfs): what lists may name with --all
 *  configured nodes  the node count "!" inverts over: nodes with memory (2.0.16), every node
 *                  directory (2.0.19)
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "shm.h"

#define NC_VERSION "2.0.19"
/* libnuma sizes node masks like the kernel's nodemask_t: MAX_NUMNODES bits (NODES_SHIFT=10) */
#define NC_NODE_BITS 1024

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
	struct shm_region shm;
};

/* ---- numactl's ways of failing ---- */

static void nc_usage_text(const struct nc *nc)
{
	if (nc->old)
		fputs("usage: numactl [--all | -a] [--balancing | -b] [--interleave= | -i <nodes>]\n"
		      "\t\t[--preferred= | -p <node>] [--preferred-many= | -P <nodes>]\n", stderr);
	else
		fputs("usage: numactl [--all | -a] [--balancing | -b]\n"
		      "               [--interleave= | -i <nodes>] [--weighted-interleave= | -w <nodes>]\n"
		      "               [--preferred= | -p <node>] [--preferred-many= | -P <nodes>]\n",
		      stderr);
	fputs("               [--physcpubind= | -C <cpus>] [--cpunodebind= | -N <nodes>]\n"
	      "               [--membind= | -m <nodes>] [--localalloc | -l] command args ...\n"
	      "               [--localalloc | -l] command args ...\n"
	      "       numactl [--show | -s]\n", stderr);
	if (nc->old)
		fputs("       numactl [--hardware | -H]\n", stderr);
	else
		fputs("       numactl [--hardware | -H] [--cpu-compress]\n"
		      "       numactl [--version]\n", stderr);
	fputs("       numactl [--length | -L <length>] [--offset | -o <offset>] [--shmmode | -M <shmmode>]\n"
	      "               [--strict | -t]\n"
	      "               [--shmid | -I <id>] --shm | -S <shmkeyfile>\n"
	      "               [--shmid | -I <id>] --file | -f <tmpfsfile>\n"
	      "               [--huge | -u] [--touch | -T] \n"
	      "               memory policy [--dump | -d] [--dump-nodes | -D]\n"
	      "\n", stderr);
	if (nc->old)
		fputs("memory policy is --interleave | -i, --preferred | -p, --membind | -m, --localalloc | -l\n",
		      stderr);
	else
		fputs("memory policy is --preferred | -p, --membind | -m, --localalloc | -l,\n"
		      "                 --interleave | -i, --weighted-interleave | -w\n", stderr);
	fputs("<nodes> is a comma delimited list of node numbers or A-B ranges or all.\n"
	      "Instead of a number a node can also be:\n"
	      "  netdev:DEV the node connected to network device DEV\n"
	      "  file:PATH  the node the block device of path is connected to\n"
	      "  ip:HOST    the node of the network device host routes through\n"
	      "  block:PATH the node of block device path\n"
	      "  pci:[seg:]bus:dev[:func] The node of a PCI device\n"
	      "<cpus> is a comma delimited list of cpu numbers or A-B ranges or all\n"
	      "all ranges can be inverted with !\n"
	      "all numbers and ranges can be made cpuset-relative with +\n"
	      "the old --cpubind argument is deprecated.\n"
	      "use --cpunodebind or --physcpubind instead\n"
	      "use --balancing | -b to enable Linux kernel NUMA balancing\n"
	      "for the process if it is supported by kernel\n"
	      "<length> can have g (GB), m (MB) or k (KB) suffixes\n", stderr);
}

static int nc_usage(const struct nc *nc)
{
	fflush(stdout);
	nc_usage_text(nc);
	return CLI_EXIT(1);
}

/* usage_msg(): the message on stderr, its newline on stdout (numactl's putchar), then usage */
static int nc_usage_msg(const struct nc *nc, const char *fmt, ...) PRINTF_LIKE(2, 3);
static int nc_usage_msg(const struct nc *nc, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "numactl: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	putchar('\n');
	return nc_usage(nc);
}

/* complain(): 2.0.16 ends the message with a newline on stdout, 2.0.19 on stderr */
static int nc_complain(const struct nc *nc, const char *fmt, ...) PRINTF_LIKE(2, 3);
static int nc_complain(const struct nc *nc, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "numactl: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (nc->old)
		putchar('\n');
	else
		fputc('\n', stderr);
	fflush(stdout);
	return CLI_EXIT(1);
}

/* libnuma's numa_warn() */
static void nc_warn(const char *fmt, ...) PRINTF_LIKE(1, 2);
static void nc_warn(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "libnuma: Warning: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* perror(): "what: strerror" */
static void nc_perror(const char *what, int err)
{
	fprintf(stderr, "%s: %s\n", what, strerror(err));
}

/* ---- the machine as libnuma sees it when numactl starts ---- */

static int nc_range(unsigned int nbits, unsigned int upto, struct np_cpuset **ret)
{
	int r = np_cpuset_new(nbits, ret);

	for (unsigned int i = 0; r == 0 && i < upto && i < nbits; i++)
		r = np_cpuset_set(*ret, i);
	return r;
}

static int nc_init(struct nc *nc)
{
	const char *v = getenv("NUMAPLACE_NUMACTL_VERSION");
	struct np_cpuset *aff = NULL, *mems = NULL;
	long conf;
	int r;

	nc->set_policy = -1;
	shm_region_init(&nc->shm);
	/* "2.0.x" with x below 19 */
	nc->old = v && strncmp(v, "2.0.", 4) == 0 && atoi(v + 4) < 19;
	nc->shm.nl_on_stdout = nc->old;
	r = np_topo_load(NULL, 0, &nc->topo);
	if (r < 0)
		return r;
	r = np_affinity_cpu_bits();
	if (r < 0)
		return r;
	nc->cpu_bits = (unsigned int)r;
	conf = sysconf(_SC_NPROCESSORS_CONF);
	nc->conf_cpus = conf > 0 ? (unsigned int)conf : 1;
	if (nc->cpu_bits < nc->conf_cpus)
		nc->cpu_bits = nc->conf_cpus;
	nc->node_bits = NC_NODE_BITS;
	if ((unsigned int)np_mpol_node_bits() > nc->node_bits)
		nc->node_bits = (unsigned int)np_mpol_node_bits();
	nc->max_node = np_cpuset_last(np_topo_nodes(nc->topo));
	if (nc->max_node < 0)
		nc->max_node = 0;
	nc->conf_nodes = np_cpuset_weight(nc->old ? np_topo_memory_nodes(nc->topo) :
						    np_topo_nodes(nc->topo));

	r = nc_range(nc->cpu_bits, nc->conf_cpus, &nc->possible_cpus);
	if (r == 0)
		r = nc_range(nc->node_bits, (unsigned int)nc->max_node + 1, &nc->possible_nodes);
	if (r == 0)
		r = np_cpuset_new(nc->cpu_bits, &nc->all_cpus);
	if (r == 0)
		r = np_cpuset_new(nc->node_bits, &nc->all_nodes);
	if (r < 0)
		return r;
	if (np_affinity_get(0, &aff) == 0)
		np_cpuset_and(nc->all_cpus, aff, nc->possible_cpus);
	else
		np_cpuset_copy(nc->all_cpus, nc->possible_cpus);
	/* without a readable Mems_allowed libnuma takes every configured node */
	if (np_mpol_mems_allowed(&mems) == 0)
		np_cpuset_and(nc->all_nodes, mems, nc->possible_nodes);
	else
		np_cpuset_copy(nc->all_nodes, nc->possible_nodes);
	np_cpuset_free(aff);
	np_cpuset_free(mems);
	return 0;
}

static void nc_release(struct nc *nc)
{
	np_cpuset_free(nc->all_cpus);
	np_cpuset_free(nc->possible_cpus);
	np_cpuset_free(nc->all_nodes);
	np_cpuset_free(nc->possible_nodes);
	np_cpuset_free(nc->mask);
	np_topo_free(nc->topo);
}

/* numa_available(): get_mempolicy works (2.0.19 also counts EPERM from a filter as absent) */
static bool nc_numa_available(const struct nc *nc)
{
	struct np_policy *p = NULL;
	int r = np_policy_get(&p);

	np_policy_free(p);
	return !(r == -ENOSYS || (!nc->old && r == -EPERM));
}

/* ---- libnuma's list parsers, with their messages ---- */

/*
 * A number as libnuma's get_nr() reads it: strtoul(s, 0), or with "+" the rank among @allowed
 * (a rank past them gives the set's size, which no set holds).
 */
static unsigned long nc_number(const char *s, char **end, const struct np_cpuset *allowed,
			       bool relative)
{
	unsigned long nr = strtoul(s, end, 0);
	unsigned int i, size = np_cpuset_size(allowed);

	if (!relative || *end == s)
		return nr;
	for (i = 0; i < size; i++)
		if (np_cpuset_isset(allowed, i) && nr-- == 0)
			return i;
	return size;
}

static bool nc_allowed(const struct np_cpuset *allowed, unsigned long n)
{
	return n <= UINT_MAX && np_cpuset_isset(allowed, (unsigned int)n);
}

/* numactl's netdev:, block: and pci: node names, from the topology's devices */
static int nc_device_node(struct nc *nc, const char *s, struct np_cpuset *mask)
{
	static const struct { const char *prefix, *cls; } kinds[] = {
		{ "netdev:", "net" }, { "block:", "block" }, { "pci:", "" },
		{ "ip:", NULL }, { "file:", NULL },
	};
	const struct np_device *dev;

	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		size_t len = strlen(kinds[k].prefix);
		const char *name = s + len;

		if (strncmp(s, kinds[k].prefix, len) != 0)
			continue;
		if (!kinds[k].cls) {
			nc_warn("node lookup by `%s' is not supported by numaplace; give the node number",
				s);
			return -1;
		}
		while (isspace((unsigned char)*name))
			name++;
		dev = np_topo_device_find(nc->topo, name);
		if (!dev) {
			nc_warn("Cannot read node mask for %s device `%s'", kinds[k].cls, name);
			return -1;
		}
		if (np_device_node(dev) < 0) {
			nc_warn("Kernel does not know node mask for%s%s device `%s'",
				*kinds[k].cls ? " " : "", kinds[k].cls, name);
			nc_warn("Kernel does not know node for %s\n", name);
			return -1;
		}
		np_cpuset_set(mask, (unsigned int)np_device_node(dev));
		return 1;
	}
	return 0;
}

/* a number's end must be in @allowed: libnuma's two messages (a number, or the rest of a CPU list) */
static bool nc_check(const struct np_cpuset *allowed, unsigned long n, const char *s, bool cpus,
		     const char *how)
{
	if (nc_allowed(allowed, n))
		return true;
	if (cpus)
		nc_warn("cpu argument %s %sout of range\n", s, how);
	else
		nc_warn("node argument %d %sout of range\n", (int)n, how);
	return false;
}

/*
 * One item of a list at *@sp: "all", a device name, "a" or "a-b"; *@sp is left after it.
 * Returns 0 for a number or range, 1 when the item ends the list ("all", a device), -1 after
 * a warning.
 */
static int nc_parse_item(struct nc *nc, const char **sp, struct np_cpuset *mask,
			 const struct np_cpuset *allowed, bool cpus, bool relative)
{
	const char *s = *sp, *what = cpus ? "cpu" : "node";
	unsigned long a, b;
	char *end;
	int n;

	if ((cpus || isalpha((unsigned char)*s)) && strcmp(s, "all") == 0) {
		np_cpuset_copy(mask, allowed);
		*sp = s + 4;
		return 1;
	}
	if (!cpus && isalpha((unsigned char)*s) && (n = nc_device_node(nc, s, mask)) != 0) {
		*sp = s + strlen(s) + 1;
		return n < 0 ? -1 : 1;
	}
	a = nc_number(s, &end, allowed, relative);
	if (end == s) {
		nc_warn("unparseable %s description `%s'\n", what, s);
		return -1;
	}
	if (!nc_check(allowed, a, s, cpus, "is "))
		return -1;
	np_cpuset_set(mask, (unsigned int)a);
	s = end;
	if (*s == '-') {
		b = nc_number(++s, &end, allowed, relative);
		if (end == s) {
			nc_warn("missing %s argument %s\n", what, s);
			return -1;
		}
		if (!nc_check(allowed, b, s, cpus, ""))
			return -1;
		for (; a <= b; a++)
			if (nc_allowed(allowed, a))
				np_cpuset_set(mask, (unsigned int)a);
		s = end;
	}
	*sp = s;
	return 0;
}

/*
 * libnuma's __numa_parse_nodestring() and __numa_parse_cpustring(): "[!][+]item,...".  A range
 * keeps its allowed members; its ends must be allowed.  "!" inverts over the configured nodes
 * or CPUs.  Returns NULL after printing the warning (or silently, for a stray character, as
 * libnuma does).
 */
static struct np_cpuset *nc_parse(struct nc *nc, const char *s, bool cpus)
{
	const struct np_cpuset *allowed =
		cpus ? (nc->parse_all ? nc->possible_cpus : nc->all_cpus) :
		       (nc->parse_all ? nc->possible_nodes : nc->all_nodes);
	unsigned int conf = cpus ? nc->conf_cpus : nc->conf_nodes;
	bool invert = false, relative = false;
	struct np_cpuset *mask;
	int r;

	if (np_cpuset_new(cpus ? nc->cpu_bits : nc->node_bits, &mask) < 0)
		return NULL;
	if (*s == '\0')
		return mask;
	if (*s == '!') {
		invert = true;
		s++;
	}
	if (*s == '+') {
		relative = true;
		s++;
	}
	do {
		r = nc_parse_item(nc, &s, mask, allowed, cpus, relative);
		if (r < 0)
			goto fail;
	} while (r == 0 && *s++ == ',');
	if (s[-1] != '\0')
		goto fail;
	if (invert)
		for (unsigned int i = 0; i < conf; i++)
			np_cpuset_isset(mask, i) ? np_cpuset_clear(mask, i) : np_cpuset_set(mask, i);
	return mask;
fail:
	np_cpuset_free(mask);
	return NULL;
}

/* numactl_parse_nodestring(): "same" repeats the previous node list */
static int nc_parse_nodes(struct nc *nc, const char *arg, struct np_cpuset **ret)
{
	const char *s = arg;

	if (strcmp(s, "same") == 0) {
		if (!nc->last)
			return nc_usage_msg(nc, "same needs previous node specification");
		s = nc->last;
	} else {
		nc->last = s;
	}
	*ret = nc_parse(nc, s, false);
	if (!*ret) {
		printf("<%s> is invalid\n", arg);
		return nc_usage(nc);
	}
	np_cpuset_free(nc->mask);
	nc->mask = NULL;
	return np_cpuset_dup(*ret, &nc->mask) < 0 ? CLI_EXIT(1) : 0;
}

/* ---- --show and --hardware ---- */

static void nc_printmask(const char *name, const struct np_cpuset *set)
{
	printf("%s: ", name);
	if (set)
		np_cpuset_foreach(i, set)
			printf("%d ", i);
	putchar('\n');
}

static int nc_show_physcpubind(void)
{
	struct np_cpuset *cpus;
	int r = np_affinity_get(0, &cpus);

	if (r < 0) {
		fprintf(stderr, "numactl: sched_get_affinity: %s\n", strerror(-r));
		return CLI_EXIT(1);
	}
	nc_printmask("physcpubind", cpus);
	np_cpuset_free(cpus);
	return 0;
}

/* numa_get_run_node_mask(): allowed nodes whose CPUs meet this thread's affinity */
static struct np_cpuset *nc_run_nodes(const struct nc *nc)
{
	struct np_cpuset *nodes = NULL, *aff = NULL;

	if (np_cpuset_new(nc->cpu_bits, &nodes) < 0)
		return NULL;
	if (np_affinity_get(0, &aff) < 0)
		return nodes;
	for (int i = 0; i <= nc->max_node; i++) {
		const struct np_node *n = np_topo_node_by_id(nc->topo, (unsigned int)i);

		if (n && np_cpuset_isset(nc->all_nodes, (unsigned int)i) &&
		    np_cpuset_intersects(n->cpus, aff))
			np_cpuset_set(nodes, (unsigned int)i);
	}
	np_cpuset_free(aff);
	return nodes;
}

static int nc_show(struct nc *nc)
{
	struct np_policy *pol = NULL;
	const struct np_cpuset *membind, *pref;
	struct np_cpuset *run;
	int policy = 0, cur = 0, r;
	char buf[32];

	if (!nc_numa_available(nc)) {
		r = nc_show_physcpubind();
		if (r)
			return r;
		printf("No NUMA support available on this system.\n");
		return CLI_EXIT(1);
	}
	run = nc_run_nodes(nc);
	if (np_mpol_interleave_next(&cur) < 0)
		cur = 0;
	r = np_policy_get(&pol);
	if (r < 0)
		nc_perror("get_mempolicy", -r);
	else
		policy = np_policy_mode(pol) | (int)np_policy_flags(pol);
	pref = pol ? np_policy_nodes(pol) : NULL;
	membind = pol && np_policy_mode(pol) == NP_MPOL_BIND && !np_policy_flags(pol) ? pref :
										      nc->all_nodes;
	printf("policy: %s\n", shm_policy_name(policy, buf));
	printf("preferred node: ");
	switch (policy) {
	case NP_MPOL_PREFERRED:
		printf("%d\n", pref && !np_cpuset_empty(pref) ? np_cpuset_first(pref) : 0);
		break;
	case NP_MPOL_DEFAULT:
		printf("current\n");
		break;
	case NP_MPOL_INTERLEAVE:
		printf("%d (interleave next)\n", cur);
		break;
	case NP_MPOL_BIND:
		printf("%d\n", np_cpuset_first(membind));
		break;
	case NP_MPOL_PREFERRED_MANY:
		printf("%d (preferred-many)\n", cur);
		break;
	}
	if (policy == NP_MPOL_INTERLEAVE) {
		nc_printmask("interleavemask", pref);
		printf("interleavenode: %d\n", cur);
	}
	r = nc_show_physcpubind();
	if (r == 0) {
		nc_printmask("cpubind", run);
		nc_printmask("nodebind", run);
		nc_printmask("membind", membind);
		nc_printmask("preferred", pref);
	}
	np_cpuset_free(run);
	np_policy_free(pol);
	return r;
}

static void nc_fmt_mem(long long bytes, char buf[64])
{
	if (bytes < 0)
		snprintf(buf, 64, "<not available>");
	else
		snprintf(buf, 64, "%llu MB", (unsigned long long)bytes >> 20);
}

static void nc_print_node_cpus(const struct nc *nc, const struct np_node *n)
{
	unsigned int count = 0;
	bool first = true;

	if (!nc->cpu_compress) {
		np_cpuset_foreach(c, n->cpus)
			printf(" %d", c);
		putchar('\n');
		return;
	}
	for (int c = np_cpuset_first(n->cpus); c >= 0;) {
		int e = c;

		while (np_cpuset_isset(n->cpus, (unsigned int)e + 1))
			e++;
		printf("%s %d", first ? "" : ",", c);
		if (e > c)
			printf("-%d", e);
		count += (unsigned int)(e - c + 1);
		first = false;
		c = np_cpuset_next(n->cpus, e);
	}
	printf(" (%u)\n", count);
}

/* numa_distance(): 0 when unknown */
static int nc_distance(const struct nc *nc, int a, int b)
{
	int d = np_topo_distance(nc->topo, (unsigned int)a, (unsigned int)b);

	return d < 0 ? 0 : d;
}

static void nc_print_distances(const struct nc *nc)
{
	const struct np_cpuset *nodes = np_topo_nodes(nc->topo);
	int fst = np_cpuset_first(nodes), w = nc->old ? 3 : 4;

	if (nc_distance(nc, nc->max_node, fst < 0 ? 0 : fst) == 0) {
		printf("No distance information available.\n");
		return;
	}
	printf("node distances:\n");
	printf(nc->old ? "node " : "node  ");
	np_cpuset_foreach(i, nodes)
		printf("%*d ", w, i);
	printf("\n");
	np_cpuset_foreach(i, nodes) {
		printf("%*d: ", w, i);
		np_cpuset_foreach(k, nodes)
			printf("%*d ", w, nc_distance(nc, i, k));
		printf("\n");
	}
}

/* the node list of "available:" as numactl writes it: runs of consecutive nodes as a-b */
static void nc_print_available(const struct nc *nc)
{
	const struct np_cpuset *nodes = np_topo_nodes(nc->topo);
	int prev = -1;
	bool run = false;

	printf("available: %u nodes (", np_cpuset_weight(nodes));
	np_cpuset_foreach(i, nodes) {
		if (prev == -1) {
			printf("%d", i);
		} else if (i > prev + 1) {
			if (run)
				printf("%d", prev);
			run = false;
			printf(",%d", i);
		} else if (!run) {
			printf("-");
			run = true;
		}
		prev = i;
		if (i == nc->max_node && run)
			printf("%d", prev);
	}
	printf(")\n");
}

static int nc_hardware(const struct nc *nc)
{
	char buf[64];

	if (!nc_numa_available(nc)) {
		printf("No NUMA available on this system\n");
		return CLI_EXIT(1);
	}
	nc_print_available(nc);
	for (unsigned int i = 0; i < np_topo_node_count(nc->topo); i++) {
		const struct np_node *n = np_topo_node(nc->topo, i);
		long long fr = n->mem_free;

		/* 2.0.19 reads a missing MemFree as 0 */
		if (fr < 0 && !nc->old && n->mem_total >= 0)
			fr = 0;
		printf("node %u cpus:", n->id);
		nc_print_node_cpus(nc, n);
		nc_fmt_mem(n->mem_total, buf);
		printf("node %u size: %s\n", n->id, buf);
		nc_fmt_mem(fr, buf);
		printf("node %u free: %s\n", n->id, buf);
	}
	nc_print_distances(nc);
	return 0;
}

/* ---- applying what the options ask ---- */

static int nc_setpolicy(struct nc *nc, int pol)
{
	if (nc->set_policy != -1)
		return nc_usage_msg(nc, "Conflicting policies");
	nc->set_policy = pol;
	return 0;
}

/* errno-style result of applying @mode over @nodes to the process or to the shm region */
static int nc_apply(struct nc *nc, int mode, const struct np_cpuset *nodes, unsigned int flags)
{
	struct np_policy *pol;
	int r;

	r = np_policy_new(mode, nodes, flags, &pol);
	if (r < 0)
		return r; /* an empty node list: the kernel's EINVAL, as numactl gets it */
	r = nc->shm.fd >= 0 ? shm_apply(&nc->shm, pol) : np_policy_apply(pol);
	np_policy_free(pol);
	return r;
}

/* libnuma's numa_error() for the syscall, then numactl's checkerror() for the option */
static int nc_apply_checked(struct nc *nc, int mode, const struct np_cpuset *nodes,
			    unsigned int flags, const char *what)
{
	int r = nc_apply(nc, mode, nodes, flags);

	if (r == 0)
		return 0;
	nc_perror(nc->shm.fd >= 0 ? "mbind" : "set_mempolicy", -r);
	nc_perror(what, -r);
	return CLI_EXIT(1);
}

static int nc_interleave(struct nc *nc, const char *arg, bool weighted)
{
	struct np_cpuset *mask;
	int mode = weighted ? NP_MPOL_WEIGHTED_INTERLEAVE : NP_MPOL_INTERLEAVE;
	int r;

	if (!nc_numa_available(nc))
		return nc_complain(nc, "This system does not support NUMA policy");
	r = nc_parse_nodes(nc, arg, &mask);
	if (r)
		return r;
	nc->did_node_cpu_parse = true;
	r = nc_setpolicy(nc, mode);
	/* an empty list resets the policy to default, as numa_set_interleave_mask() does */
	if (r == 0 && nc->shm.fd < 0 && np_cpuset_empty(mask))
		r = nc_apply_checked(nc, NP_MPOL_DEFAULT, NULL, 0, "setting interleave mask");
	else if (r == 0 && !(nc->shm.fd >= 0 && np_cpuset_empty(mask)))
		r = nc_apply_checked(nc, mode, mask, 0, "setting interleave mask");
	np_cpuset_free(mask);
	return r;
}

static int nc_setaffinity(const struct np_cpuset *cpus, bool from_nodes)
{
	int r = np_affinity_set(0, cpus);

	if (r == 0)
		return 0;
	if (from_nodes)
		nc_perror("numa_sched_setaffinity_v2_int() failed", -r);
	nc_perror("sched_setaffinity", -r);
	return CLI_EXIT(1);
}

static int nc_cpunodebind(struct nc *nc, const char *arg)
{
	struct np_cpuset *mask, *cpus;
	int r;

	if (nc->shmoption)
		return nc_usage_msg(nc, "%s shm option is not allowed before %s", nc->shmoption,
				    "-c/--cpubind/--cpunodebind");
	if (!nc_numa_available(nc))
		return nc_complain(nc, "This system does not support NUMA policy");
	r = nc_parse_nodes(nc, arg, &mask);
	if (r)
		return r;
	nc->did_cpubind = nc->did_node_cpu_parse = true;
	r = np_cpuset_new(nc->cpu_bits, &cpus);
	if (r < 0) {
		np_cpuset_free(mask);
		return CLI_EXIT(1);
	}
	np_cpuset_foreach(i, mask) {
		const struct np_node *n = np_topo_node_by_id(nc->topo, (unsigned int)i);

		if (!np_cpuset_isset(nc->possible_nodes, (unsigned int)i))
			nc_warn("node %d not allowed", i);
		else if (!n)
			nc_warn("Cannot read node cpumask from sysfs");
		else
			np_cpuset_or(cpus, cpus, n->cpus);
	}
	r = nc_setaffinity(cpus, true);
	np_cpuset_free(cpus);
	np_cpuset_free(mask);
	return r;
}

static int nc_physcpubind(struct nc *nc, const char *arg)
{
	struct np_cpuset *cpus;
	int r;

	if (nc->shmoption)
		return nc_usage_msg(nc, "%s shm option is not allowed before %s", nc->shmoption,
				    "-C/--physcpubind");
	cpus = nc_parse(nc, arg, true);
	if (!cpus) {
		printf("<%s> is invalid\n", arg);
		return nc_usage(nc);
	}
	nc->did_cpubind = nc->did_node_cpu_parse = true;
	r = nc_setaffinity(cpus, false);
	np_cpuset_free(cpus);
	return r;
}

static int nc_membind(struct nc *nc, const char *arg)
{
	struct np_cpuset *mask;
	int r;

	if (!nc_numa_available(nc))
		return nc_complain(nc, "This system does not support NUMA policy");
	r = nc_setpolicy(nc, NP_MPOL_BIND);
	if (r == 0)
		r = nc_parse_nodes(nc, arg, &mask);
	if (r)
		return r;
	nc->did_node_cpu_parse = true;
	/* -b: balancing if the kernel has it, plain bind if it answers EINVAL */
	if (nc->balancing && nc->shm.fd < 0 &&
	    nc_apply(nc, NP_MPOL_BIND, mask, NP_MPOL_F_NUMA_BALANCING) == 0)
		r = 0;
	else
		r = nc_apply_checked(nc, NP_MPOL_BIND, mask, 0, "setting membind");
	np_cpuset_free(mask);
	return r;
}

static int nc_preferred(struct nc *nc, const char *arg, bool many)
{
	struct np_cpuset *mask, *one = NULL;
	struct np_mpol_caps caps;
	bool has_many = np_mpol_probe(&caps) == 0 && caps.mode[NP_MPOL_PREFERRED_MANY];
	int r;

	if (many && !has_many)
		return nc_complain(nc, "preferred-many requested without kernel support");
	if (!nc_numa_available(nc))
		return nc_complain(nc, "This system does not support NUMA policy");
	r = nc_parse_nodes(nc, arg, &mask);
	if (r)
		return r;
	nc->did_node_cpu_parse = true;
	if (nc->shm.fd >= 0) {
		/* the region gets the first node (numa_tonode_memory under the non-strict policy) */
		r = np_cpuset_new(nc->node_bits, &one);
		if (r == 0 && !np_cpuset_empty(mask))
			np_cpuset_set(one, (unsigned int)np_cpuset_first(mask));
		r = nc_apply_checked(nc, has_many ? NP_MPOL_PREFERRED_MANY : NP_MPOL_PREFERRED, one, 0,
				     "setting preferred node");
		if (r == 0)
			r = nc_setpolicy(nc, has_many ? NP_MPOL_PREFERRED_MANY : NP_MPOL_PREFERRED);
	} else if (!many) {
		if (np_cpuset_weight(mask) != 1)
			r = nc_usage(nc);
		else if ((r = nc_setpolicy(nc, NP_MPOL_PREFERRED)) == 0)
			r = nc_apply_checked(nc, NP_MPOL_PREFERRED, mask, 0, "setting preferred node");
	} else if ((r = nc_setpolicy(nc, NP_MPOL_PREFERRED_MANY)) == 0) {
		r = nc_apply_checked(nc, NP_MPOL_PREFERRED_MANY, mask, 0, "setting preferred node");
	}
	np_cpuset_free(one);
	np_cpuset_free(mask);
	return r;
}

static int nc_localalloc(struct nc *nc)
{
	int r;

	if (!nc_numa_available(nc))
		return nc_complain(nc, "This system does not support NUMA policy");
	r = nc_setpolicy(nc, NP_MPOL_LOCAL);
	if (r == 0)
		r = nc_apply_checked(nc, NP_MPOL_LOCAL, NULL, 0, "local allocation");
	return r;
}

static int nc_attach(struct nc *nc, const char *arg, bool sysv)
{
	int r;

	if (nc->did_cpubind)
		return nc_usage_msg(nc, "cannot do --cpubind on shared memory\n");
	if (nc->set_policy >= 0)
		return nc_usage_msg(nc, "specify policy after --shm/--file");
	r = sysv ? shm_attach_sysv(&nc->shm, arg, "--shm") : shm_attach_file(&nc->shm, arg, "--file");
	nc->shm_attached = true;
	return r;
}

/* an option that shapes the region: only before --shm/--file, and only with one */
static int nc_noshm(struct nc *nc, const char *opt)
{
	if (nc->shm_attached)
		return nc_usage_msg(nc, "%s must be before shared memory specification", opt);
	nc->shmoption = opt;
	return 0;
}

static int nc_needshm(struct nc *nc, const char *opt)
{
	if (!nc->shm_attached)
		return nc_usage_msg(nc, "%s must be after shared memory specification", opt);
	return shm_check_beyond(&nc->shm, opt);
}

static int nc_verify(struct nc *nc)
{
	int r = nc_needshm(nc, "--verify");

	if (r)
		return r;
	if (nc->set_policy < 0)
		return nc_complain(nc, "Need a policy first to verify");
	shm_touch(&nc->shm);
	if (!nc->mask)
		return nc_complain(nc, "Need a mask to verify");
	return shm_verify(&nc->shm, nc->set_policy, nc->mask);
}

/* strtoul(arg, base) of the whole argument, or usage() */
static int nc_ulong(struct nc *nc, const char *arg, int base, unsigned long *ret)
{
	char *end;

	*ret = strtoul(arg, &end, base);
	return end == arg || *end ? nc_usage(nc) : 0;
}

enum { NC_CPU_COMPRESS = 300, NC_VERSION_OPT };

static const struct option nc_opts[] = {
	{ "all", no_argument, NULL, 'a' },
	{ "interleave", required_argument, NULL, 'i' },
	{ "weighted-interleave", required_argument, NULL, 'w' },
	{ "preferred", required_argument, NULL, 'p' },
	{ "preferred-many", required_argument, NULL, 'P' },
	{ "cpubind", required_argument, NULL, 'c' },
	{ "cpunodebind", required_argument, NULL, 'N' },
	{ "physcpubind", required_argument, NULL, 'C' },
	{ "membind", required_argument, NULL, 'm' },
	{ "show", no_argument, NULL, 's' },
	{ "localalloc", no_argument, NULL, 'l' },
	{ "balancing", no_argument, NULL, 'b' },
	{ "hardware", no_argument, NULL, 'H' },
	{ "shm", required_argument, NULL, 'S' },
	{ "file", required_argument, NULL, 'f' },
	{ "offset", required_argument, NULL, 'o' },
	{ "length", required_argument, NULL, 'L' },
	{ "strict", no_argument, NULL, 't' },
	{ "shmmode", required_argument, NULL, 'M' },
	{ "dump", no_argument, NULL, 'd' },
	{ "dump-nodes", no_argument, NULL, 'D' },
	{ "shmid", required_argument, NULL, 'I' },
	{ "huge", no_argument, NULL, 'u' },
	{ "touch", no_argument, NULL, 'T' },
	{ "cpu-compress", no_argument, NULL, NC_CPU_COMPRESS },
	{ "verify", no_argument, NULL, 'V' }, /* undocumented, as in numactl */
	{ "version", no_argument, NULL, NC_VERSION_OPT },
	{ 0 },
};

/* the options of the release chosen: 2.0.16 lacks -w, --cpu-compress and --version */
static void nc_options(const struct nc *nc, struct option *opts, char *shortopts)
{
	size_t n = 0;

	*shortopts++ = '+';
	for (const struct option *o = nc_opts; o->name; o++) {
		if (nc->old && (o->val == 'w' || o->val == NC_CPU_COMPRESS || o->val == NC_VERSION_OPT))
			continue;
		opts[n++] = *o;
		if (o->val < 256) {
			*shortopts++ = (char)o->val;
			if (o->has_arg)
				*shortopts++ = ':';
		}
	}
	memset(&opts[n], 0, sizeof(opts[n]));
	*shortopts = '\0';
}

/* the options that shape or inspect a shared memory region */
static int nc_shm_option(struct nc *nc, int c)
{
	unsigned long v;
	int r = 0;

	switch (c) {
	case 'S':
	case 'f':
		return nc_attach(nc, optarg, c == 'S');
	case 'L':
		r = nc_noshm(nc, "--length");
		if (r == 0)
			nc->shm.length = shm_memsize(optarg);
		return r;
	case 'o':
		r = nc_noshm(nc, "--offset");
		if (r == 0)
			nc->shm.offset = shm_memsize(optarg);
		return r;
	case 'M':
		r = nc_noshm(nc, "--shmmode");
		if (r == 0 && (r = nc_ulong(nc, optarg, 8, &v)) == 0)
			nc->shm.mode = (mode_t)v;
		return r;
	case 'I':
		r = nc_ulong(nc, optarg, 0, &v);
		if (r == 0)
			nc->shm.id = (long)v;
		return r;
	case 'u':
		r = nc_noshm(nc, "--huge");
		if (r == 0)
			nc->shm.huge = true;
		return r;
	case 't':
		nc->did_strict = true;
		nc->shm.mbind_flags |= NP_MBIND_STRICT;
		return 0;
	case 'd':
	case 'D':
		if (nc->shm.fd < 0)
			return nc_complain(nc, "Cannot do %s without shared memory.\n",
					   c == 'd' ? "--dump" : "--dump-nodes");
		nc->do_dump = true;
		return c == 'd' ? shm_dump(&nc->shm) : shm_dump_nodes(&nc->shm);
	case 'T':
		r = nc_needshm(nc, "--touch");
		if (r == 0)
			shm_touch(&nc->shm);
		return r;
	default: /* 'V' */
		return nc_verify(nc);
	}
}

static int nc_option(struct nc *nc, int c)
{
	switch (c) {
	case 'H':
		if (nc->set_policy >= 0)
			return nc_usage_msg(nc, "specify policy after --shm/--file");
		if (nc->old)
			return nc_hardware(nc) ? CLI_EXIT(1) : CLI_EXIT(0);
		nc->do_hardware = true;
		return 0;
	case 'b':
		if (nc->set_policy >= 0)
			return nc_usage_msg(nc, "specify policy after --shm/--file");
		nc->balancing = true;
		return 0;
	case 'w':
	case 'i':
		return nc_interleave(nc, optarg, c == 'w');
	case 'N':
	case 'c':
		return nc_cpunodebind(nc, optarg);
	case 'C':
		return nc_physcpubind(nc, optarg);
	case 'm':
		return nc_membind(nc, optarg);
	case 'P':
	case 'p':
		return nc_preferred(nc, optarg, c == 'P');
	case 'l':
		return nc_localalloc(nc);
	case 'a':
		if (nc->did_node_cpu_parse)
			return nc_usage_msg(nc, "--all/-a option must be before all cpu/node specifications");
		nc->parse_all = true;
		return 0;
	case NC_CPU_COMPRESS:
		nc->cpu_compress = true;
		return 0;
	case NC_VERSION_OPT:
		if (nc->set_policy >= 0)
			return nc_usage_msg(nc, "specify policy after --shm/--file");
		printf("%s\n", NC_VERSION);
		return CLI_EXIT(0);
	default:
		if (c > 0 && c < 256 && strchr("SfLoMIutdDTV", c))
			return nc_shm_option(nc, c);
		return nc_usage(nc);
	}
}

/* after the options: the region's verdict, or the command to run */
static int nc_finish(struct nc *nc, int argc, char **argv)
{
	int e;

	if (nc->do_hardware)
		return nc_hardware(nc);
	argv += optind;
	argc -= optind;
	if (nc->shm.fd >= 0)
		return argc > 0 ? nc_usage(nc) : (nc->shm.failed ? CLI_EXIT(1) : 0);
	if (nc->did_strict)
		fprintf(stderr, "numactl: warning. Strict flag for process ignored.\n");
	if (nc->do_dump)
		return nc_usage_msg(nc, "cannot do --dump|--dump-shm for process");
	if (nc->shmoption)
		return nc_usage_msg(nc, "shm related option %s for process", nc->shmoption);
	if (argc == 0)
		return nc_usage(nc);
	fflush(stdout);
	execvp(argv[0], argv);
	e = errno;
	return nc_complain(nc, "execution of `%s': %s\n", argv[0], strerror(e));
}

int compat_numactl(int argc, char **argv)
{
	struct option opts[sizeof(nc_opts) / sizeof(nc_opts[0])];
	char shortopts[2 * sizeof(nc_opts) / sizeof(nc_opts[0]) + 2];
	struct nc nc = { 0 };
	int c, r;

	program_name = "numactl";
	r = nc_init(&nc);
	if (r < 0) {
		fprintf(stderr, "numactl: cannot read the machine's topology: %s\n", strerror(-r));
		nc_release(&nc);
		return CLI_EXIT(1);
	}
	nc_options(&nc, opts, shortopts);
	r = 0;
	while (r == 0 && (c = getopt_long(argc, argv, shortopts, opts, NULL)) != -1) {
		if (c == 's') {
			r = nc_show(&nc);
			if (r == 0)
				r = CLI_EXIT(0);
			break;
		}
		r = nc_option(&nc, c);
	}
	if (r == 0)
		r = nc_finish(&nc, argc, argv);
	nc_release(&nc);
	return r == CLI_EXIT(0) ? 0 : r;
}

int cmd_numactl(int argc, char **argv)
{
	return compat_numactl(argc, argv);
}
