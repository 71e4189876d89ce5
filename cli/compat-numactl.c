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

#include "compat-numactl.h"
#include "shm.h"

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

int nc_usage(const struct nc *nc)
{
	fflush(stdout);
	nc_usage_text(nc);
	return CLI_EXIT(1);
}

/* usage_msg(): the message on stderr, its newline on stdout (numactl's putchar), then usage */
int nc_usage_msg(const struct nc *nc, const char *fmt, ...)
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
int nc_complain(const struct nc *nc, const char *fmt, ...)
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
void nc_warn(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "libnuma: Warning: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* perror(): "what: strerror" */
void nc_perror(const char *what, int err)
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
	/* "2.0.x" with x below 19 */
	nc->old = v && strncmp(v, "2.0.", 4) == 0 && atoi(v + 4) < 19;
	nc_shm_init(&nc->shm, nc->old);
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
	/* the policy stays with the segment or file: detaching undoes nothing */
	np_region_detach(nc->shm.reg, false);
}

/* numa_available(): get_mempolicy works (2.0.19 also counts EPERM from a filter as absent) */
bool nc_numa_available(const struct nc *nc)
{
	struct np_policy *p = NULL;
	int r = np_policy_get(&p);

	np_policy_free(p);
	return !(r == -ENOSYS || (!nc->old && r == -EPERM));
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
			nc->shm.o.length = shm_memsize(optarg);
		return r;
	case 'o':
		r = nc_noshm(nc, "--offset");
		if (r == 0)
			nc->shm.o.offset = shm_memsize(optarg);
		return r;
	case 'M':
		r = nc_noshm(nc, "--shmmode");
		if (r == 0 && (r = nc_ulong(nc, optarg, 8, &v)) == 0)
			nc->shm.o.mode = (mode_t)v;
		return r;
	case 'I':
		r = nc_ulong(nc, optarg, 0, &v);
		if (r == 0)
			nc->shm.o.shm_id = (int)v;
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
		if (!nc->shm.reg)
			return nc_complain(nc, "Cannot do %s without shared memory.\n",
					   c == 'd' ? "--dump" : "--dump-nodes");
		nc->do_dump = true;
		return nc_shm_dump(&nc->shm, c == 'D');
	case 'T':
		r = nc_needshm(nc, "--touch");
		if (r == 0)
			np_region_touch(nc->shm.reg);
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
	if (nc->shm.reg)
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
