/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * t-tree.c - the object tree (lib/topo-tree.c): parent, children and cousins agree, logical
 * indexes count in tree order, children's CPUs make up their parent's, and nodes sit above or
 * below packages as the machine says, on every shared capture and on hand-built machines.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "machines.h"
#include "tap.h"
#include "captures.h"

/* one object's links; a message naming what is wrong, or NULL */
static const char *check_obj(const struct np_topo *t, const struct np_obj *o, unsigned int i)
{
	if (o->logical_index != i || np_topo_obj(t, o->type, i) != o)
		return "logical index";
	if ((o->next_cousin && o->next_cousin->prev_cousin != o) ||
	    (o->next_cousin && o->next_cousin->type != o->type) ||
	    (i + 1 < np_topo_obj_count(t, o->type)) != (o->next_cousin != NULL))
		return "cousins";
	if (!o->parent)
		return o == np_topo_root(t) ? NULL : "no parent";
	if (o->parent->children[o->sibling_rank] != o || o->depth != o->parent->depth + 1)
		return "parent's children / depth";
	if (!np_cpuset_subset(o->cpuset, o->parent->cpuset) ||
	    !np_cpuset_subset(o->nodeset, o->parent->nodeset))
		return "not inside its parent";
	if (o->type == NP_OBJ_PU && (o->arity || np_cpuset_weight(o->cpuset) != 1 ||
				     np_topo_obj_of_cpu(t, NP_OBJ_PU, (unsigned int)o->os_index) != o))
		return "PU";
	return NULL;
}

/* the children's CPUs make up the object's */
static bool children_cover(const struct np_obj *o, struct np_cpuset *tmp)
{
	if (!o->arity)
		return true;
	np_cpuset_zero(tmp);
	for (unsigned int k = 0; k < o->arity; k++)
		np_cpuset_or(tmp, tmp, o->children[k]->cpuset);
	return np_cpuset_equal(tmp, o->cpuset);
}

/*
 * The groups of each level are the tree's objects: a CPU's siblings at a level are the very
 * cpuset of its object of that type (the LLC level: where a cache is known).  The type is the
 * one of the level's name, except "cpu", whose objects are the PUs.
 */
static void check_levels(const struct np_topo *t, const char *name)
{
	int bad = -1;

	for (int l = 0; l < NP_LEVEL_COUNT && bad < 0; l++) {
		const char *n = np_topo_level_name(l);
		int ty = l == NP_LEVEL_CPU ? NP_OBJ_PU : np_obj_type_parse(n, strlen(n));

		np_cpuset_foreach(c, np_topo_online_cpus(t)) {
			const struct np_obj *o = ty == NP_OBJ_MACHINE
							 ? np_topo_root(t)
							 : np_topo_obj_of_cpu(t, ty, (unsigned int)c);
			const struct np_cpuset *g = np_topo_cpu_siblings(t, (unsigned int)c, l);
			int i = np_topo_cpu_group(t, (unsigned int)c, l);

			if (l == NP_LEVEL_LLC && !np_topo_cpu_llc(t, (unsigned int)c))
				o = NULL;
			if (g != (o ? o->cpuset : NULL) ||
			    (g && g != np_topo_group(t, l, (unsigned int)i))) {
				bad = l;
				break;
			}
		}
	}
	ok(bad < 0, "%s: each level's groups are the tree's objects%s%s", name,
	   bad < 0 ? "" : ": not at ", bad < 0 ? "" : np_topo_level_name(bad));
}

static void check_tree(const struct np_topo *t, const char *name)
{
	const char *bad = NULL;
	unsigned int nobj = 0, seen = 0;
	struct np_cpuset *tmp;

	np_cpuset_new(np_topo_cpu_size(t), &tmp);
	for (enum np_obj_type ty = 0; ty < NP_OBJ_LLC && !bad; ty++)
		for (unsigned int i = 0; i < np_topo_obj_count(t, ty) && !bad; i++) {
			const struct np_obj *o = np_topo_obj(t, ty, i);

			bad = check_obj(t, o, i);
			if (!bad && !children_cover(o, tmp))
				bad = "children's CPUs";
			nobj++;
			seen += o->arity;
		}
	ok(!bad, "%s: tree consistent%s%s", name, bad ? ": " : "", bad ? bad : "");
	is_int((int)seen, (int)nobj - 1, "%s: every object but the root is someone's child", name);
	is_int((int)np_topo_obj_count(t, NP_OBJ_PU), (int)np_cpuset_weight(np_topo_online_cpus(t)),
	       "%s: one PU per online CPU", name);
	is_int((int)np_topo_obj_count(t, NP_OBJ_NODE), (int)np_topo_node_count(t),
	       "%s: one node object per node, CPU-less ones too", name);
	ok(np_cpuset_equal(np_topo_root(t)->cpuset, np_topo_online_cpus(t)),
	   "%s: the root holds every online CPU", name);
	check_levels(t, name);
	np_cpuset_free(tmp);
}

/* whether every package lies below a node (true) or every node with CPUs below a package */
static int nodes_above(const struct np_topo *t)
{
	bool up = true, down = true;

	for (unsigned int i = 0; i < np_topo_obj_count(t, NP_OBJ_PACKAGE); i++)
		up = up && np_obj_ancestor(np_topo_obj(t, NP_OBJ_PACKAGE, i), NP_OBJ_NODE);
	for (unsigned int i = 0; i < np_topo_obj_count(t, NP_OBJ_NODE); i++) {
		const struct np_obj *n = np_topo_obj(t, NP_OBJ_NODE, i);

		down = down && (np_cpuset_empty(n->cpuset) || np_obj_ancestor(n, NP_OBJ_PACKAGE));
	}
	return up == down ? -1 : up;
}

static void test_captures(void)
{
	static const struct {
		const char *name;
		int nodes_above; /* -1: do not check */
	} caps[] = {
		{ "256ppc-8n8s4t", 1 },	       /* POWER: 8 one-core "packages" per node */
		{ "lscpu-arm-A510-A710-A715-X3", 1 },
		{ "64amd64-4s2n4ca2co", 0 },   /* Magny-Cours: 2 nodes per package */
		{ "48amd64-4pa2n6c-sparse", 0 },
		{ "fakecpuid1f-64intel64-2p4d2n2c2t", 0 },
		{ "128arm-2pa2n8cluster4co", 0 },
		{ "16em64t-4s2c2t", 1 },       /* 4 packages in the one node */
		{ "16amd64-8n2c", 0 },	       /* node = package: the package is the parent */
		{ "20em64t-hybrid-1p6c2t+2ca4co1t", -1 },
		{ "fakeheteromemtiers", 0 },
		{ "lscpu-s390-lpar-drawer", -1 },
		{ "lscpu-armv7", -1 },
	};

	for (size_t i = 0; i < NP_ARRAY_SIZE(caps); i++) {
		struct np_topo *t = capture_load(caps[i].name);

		if (!t) {
			skip(7, "capture not found");
			continue;
		}
		check_tree(t, caps[i].name);
		if (caps[i].nodes_above >= 0)
			is_int(nodes_above(t), caps[i].nodes_above, "%s: nodes %s packages",
			       caps[i].name, caps[i].nodes_above ? "above" : "below");
		else
			ok(1, "%s: nodes and packages not compared", caps[i].name);
		ok(np_cpuset_equal(np_topo_root(t)->nodeset, np_topo_nodes(t)),
		   "%s: the root's nodeset is every node", caps[i].name);
		np_topo_free(t);
	}
}

/* the tree's invariants on every other shared capture */
static void test_all_captures(void)
{
	const char *shared = getenv("SHARED");
	char dir[4200];
	struct dirent *e;
	DIR *d;
	int n = 0;

	snprintf(dir, sizeof(dir), "%s%s/fixtures/topology", shared ? shared : srcdir,
		 shared ? "" : "/../shared");
	d = opendir(dir);
	if (!d) {
		skip(1, "no shared captures");
		return;
	}
	while ((e = readdir(d))) {
		struct np_topo *t;

		if (e->d_name[0] == '.' || strcmp(e->d_name, "README.md") == 0)
			continue;
		t = capture_load(e->d_name);
		if (!t)
			continue;
		check_tree(t, e->d_name);
		np_topo_free(t);
		n++;
	}
	closedir(d);
	ok(n > 0, "%d captures checked", n);
}

/* and on the project's own sysroots (tests/fixtures/sysroots*: directories, not tarballs) */
static void test_own_sysroots(void)
{
	static const char *const dirs[] = { "sysroots", "sysroots-extras" };
	int n = 0;

	for (size_t i = 0; i < NP_ARRAY_SIZE(dirs); i++) {
		char dir[4200], root[4500];
		struct dirent *e;
		DIR *d;

		snprintf(dir, sizeof(dir), "%s/tests/fixtures/%s", srcdir, dirs[i]);
		d = opendir(dir);
		while (d && (e = readdir(d))) {
			struct np_topo *t;

			snprintf(root, sizeof(root), "%s/%s", dir, e->d_name);
			if (e->d_name[0] == '.' || np_topo_load(root, 0, &t) < 0)
				continue;
			check_tree(t, e->d_name);
			np_topo_free(t);
			n++;
		}
		if (d)
			closedir(d);
	}
	ok(n >= 4, "%d own sysroots checked", n);
}

static char *pus(const struct np_topo *t)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);

	for (unsigned int i = 0; i < np_topo_obj_count(t, NP_OBJ_PU); i++)
		fprintf(f, "%s%d", i ? " " : "", np_topo_obj(t, NP_OBJ_PU, i)->os_index);
	fclose(f);
	return s;
}

static void test_synthetic(void)
{
	struct np_topo *a = mach(16, m_16em64t), *f = mach(256, m_256ppc), *c = mach(64, m_64amd64);
	struct np__synth_cpu d[2] = { { 0, 0, 0, -1, -1, -1, -1, -1 },
				      { 1, 0, 0, -1, -1, -1, -1, -1 } };
	const unsigned int extra[] = { 3 };
	struct np_topo *x = NULL;
	const struct np_obj *o;
	char *s;

	if (!a || !f || !c)
		bail_out("cannot build the machines");
	check_tree(a, "16em64t model");
	s = pus(a);
	is_str(s, "0 8 4 12 1 9 5 13 2 10 6 14 3 11 7 15", "16em64t model: PUs in tree order");
	free(s);
	is_int((int)np_topo_obj(a, NP_OBJ_CORE, 1)->depth, 5,
	       "16em64t model: machine > node > package > L3 > L2 > core");
	is_int(np_topo_obj(a, NP_OBJ_CORE, 1)->parent->type, NP_OBJ_L2,
	       "the core's parent is its L2");
	is_int(nodes_above(f), 1, "256ppc model: nodes above packages");
	is_int(nodes_above(c), 0, "64amd64 model: packages above nodes");
	o = np_topo_obj(f, NP_OBJ_NODE, 1);
	is_int(o->os_index, 1, "256ppc model: node logical 1 is node 1");
	is_int((int)o->arity, 8, "and holds 8 packages");
	is_int(np_topo_obj_of_cpu(f, NP_OBJ_NODE, 255)->os_index, 13, "CPU 255 is on node 13");
	is_int(np_topo_obj_of_cpu(f, NP_OBJ_LLC, 5)->type, NP_OBJ_L2,
	       "256ppc model: its LLC is L2");
	ok(np_topo_obj_of_cpu(f, NP_OBJ_PU, 256) == NULL, "no PU past the CPUs");
	is_int(np__topo_synthetic(2, d, 2, extra, 1, &x), 0, "a machine with a CPU-less node");
	o = x ? np_topo_obj(x, NP_OBJ_NODE, 1) : NULL;
	ok(o && o->os_index == 3 && np_cpuset_empty(o->cpuset) && o->parent == np_topo_root(x) &&
		   np_cpuset_isset(o->nodeset, 3) && np_cpuset_weight(o->nodeset) == 1,
	   "node 3: no CPUs, under the machine, nodeset {3}");
	d[1].cpu = 0;
	is_int(np__topo_synthetic(2, d, 2, NULL, 0, &x), -ERANGE, "a CPU twice: -ERANGE");
	np_topo_free(x);
	np_topo_free(a);
	np_topo_free(c);
	np_topo_free(f);
}

static void test_names(void)
{
	for (int ty = 0; ty < NP_OBJ_TYPE_COUNT; ty++) {
		const char *n = np_obj_type_name((enum np_obj_type)ty);

		is_int(np_obj_type_parse(n, strlen(n)), ty, "type name '%s' parses back", n);
	}
	is_int(np_obj_type_parse("socket", 6), NP_OBJ_PACKAGE, "socket is package");
	is_int(np_obj_type_parse("numa:1", 4), NP_OBJ_NODE, "numa is node, length-bounded");
	is_int(np_obj_type_parse("thread", 6), NP_OBJ_PU, "thread is pu");
	is_int(np_obj_type_parse("pack", 4), -EINVAL, "a prefix is not a name: -EINVAL");
	ok(np_obj_type_name(NP_OBJ_TYPE_COUNT) == NULL, "no name past the types");
}

int main(void)
{
	captures_init("t-tree");
	test_names();
	test_synthetic();
	test_captures();
	test_all_captures();
	test_own_sysroots();
	captures_done();
	done_testing();
	return exit_status();
}
