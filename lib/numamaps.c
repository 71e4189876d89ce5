/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * numamaps.c - a process's resident pages per NUMA node, from /proc/PID/numa_maps.
 *
 * Terminology:
 *  mapping  one line of numa_maps: "ADDRESS POLICY FIELD...", one per VMA
 *  policy   the VMA's memory policy as mpol_to_str() writes it: "default", "bind:0-1",
 *           "interleave=static:0-3", and since 5.15/6.9 "prefer (many):0-1" and
 *           "weighted interleave:0-1", which hold blanks
 *  field    "key=number" (anon=, dirty=, mapped=, N<node>=, kernelpagesize_kB=, ...),
 *           "file=PATH" (blanks escaped as \040 by the kernel), or a bare word: heap,
 *           stack, huge
 *  kind     anon, file or huge (enum np_page_kind): what backs the mapping's pages
 *
 * The kernel writes N<node>= only for nodes with pages of the mapping, so the node count
 * comes from the highest node seen.  Fields this file does not know are skipped: the kernel
 * has added some over the years (mapmax=, swapcache=, active=, writeback=).
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MAX_NODE 65535

/* the public result and what its pointers point into */
struct maps_impl {
	struct np_numa_maps pub;
	char *text;                       /* the file; policy and file strings point into it */
	unsigned long long *node_pages;   /* nmaps x nnodes */
};

/* one N<node>=<pages> of mapping @map, kept until the node count is known */
struct node_count {
	size_t map;
	unsigned int node;
	unsigned long long pages;
};

struct parse {
	struct maps_impl *m;
	struct node_count *counts;
	size_t ncounts, acounts;
};

/*
 * The largest numa_maps read: a line per mapping, about 150 bytes, and at most max_map_count
 * (65530 by default) mappings make 10 MB; 256 MiB leaves room for a raised limit.
 */
#define NUMA_MAPS_MAX (256u << 20)

/*
 * The per-node table is a row of nnodes counts per mapping: one high node on many short lines
 * ("0 d N65535=1", 13 bytes) would ask 512 KiB a line, 42 GB for a 1 MiB text.  It may be as
 * large as the largest file read, no larger.
 */
#define NODE_PAGES_MAX (NUMA_MAPS_MAX / sizeof(unsigned long long))

/* a decimal number filling all of @s */
static int number(const char *s, unsigned long long *ret)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*ret = strtoull(s, &end, 10);
	return errno || *end ? -EINVAL : 0;
}

/*
 * The end of the policy that starts at @pol: its first blank, past the blank of the two mode
 * names that hold one (mpol_to_str()'s "prefer (many)" and "weighted interleave").
 */
static char *policy_end(char *pol)
{
	static const char *const two_words[] = { "prefer (many)", "weighted interleave" };

	for (size_t i = 0; i < sizeof(two_words) / sizeof(*two_words); i++) {
		size_t n = strlen(two_words[i]);

		if (strncmp(pol, two_words[i], n) == 0)
			return pol + n + strcspn(pol + n, " ");
	}
	return pol + strcspn(pol, " ");
}

static int add_count(struct parse *p, size_t map, const char *t)
{
	unsigned long long node, pages;
	const char *eq = strchr(t, '=');
	char buf[16];

	if (!eq || (size_t)(eq - t - 1) >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, t + 1, (size_t)(eq - t - 1));
	buf[eq - t - 1] = '\0';
	if (number(buf, &node) < 0 || number(eq + 1, &pages) < 0)
		return -EINVAL;
	if (node > MAX_NODE)
		return -ERANGE;
	if (p->ncounts == p->acounts) {
		size_t n = p->acounts ? p->acounts * 2 : 64;
		struct node_count *c = realloc(p->counts, n * sizeof(*c));

		if (!c)
			return -ENOMEM;
		p->counts = c;
		p->acounts = n;
	}
	p->counts[p->ncounts++] = (struct node_count){ map, (unsigned int)node, pages };
	if (node >= p->m->pub.nnodes)
		p->m->pub.nnodes = (unsigned int)node + 1;
	p->m->pub.maps[map].pages += pages;
	return 0;
}

static int field(struct parse *p, size_t map, char *t)
{
	struct np_numa_map *mp = &p->m->pub.maps[map];
	unsigned long long *dst = NULL;
	const char *eq;

	if (strcmp(t, "heap") == 0)
		mp->heap = true;
	else if (strcmp(t, "stack") == 0)
		mp->stack = true;
	else if (strcmp(t, "huge") == 0)
		mp->kind = NP_PAGES_HUGE;
	else if (strncmp(t, "file=", 5) == 0)
		mp->file = t + 5;
	else if (t[0] == 'N' && t[1] >= '0' && t[1] <= '9')
		return add_count(p, map, t);
	else if (strncmp(t, "anon=", 5) == 0)
		dst = &mp->anon;
	else if (strncmp(t, "dirty=", 6) == 0)
		dst = &mp->dirty;
	else if (strncmp(t, "mapped=", 7) == 0)
		dst = &mp->mapped;
	else if (strncmp(t, "kernelpagesize_kB=", 18) == 0)
		dst = &mp->page_kb;
	if (!dst)
		return 0;
	eq = strchr(t, '=');
	return number(eq + 1, dst);
}

/* "ADDRESS POLICY FIELD..." with @line NUL-terminated; strings stay in place */
static int parse_line(struct parse *p, size_t map, char *line)
{
	struct np_numa_map *mp = &p->m->pub.maps[map];
	char *save = NULL, *t, *end, *pol;
	bool more;
	int r;

	if (!isxdigit((unsigned char)*line))
		return -EINVAL;
	errno = 0;
	mp->start = strtoull(line, &end, 16);
	if (errno || *end != ' ' || end[1] == ' ' || !end[1])
		return -EINVAL;
	pol = end + 1;
	end = policy_end(pol);
	more = *end != '\0';
	*end = '\0';
	mp->policy = pol;
	mp->page_kb = 4;
	for (t = more ? strtok_r(end + 1, " ", &save) : NULL; t; t = strtok_r(NULL, " ", &save)) {
		r = field(p, map, t);
		if (r < 0)
			return r;
	}
	if (mp->kind != NP_PAGES_HUGE)
		mp->kind = mp->file && !mp->anon ? NP_PAGES_FILE : NP_PAGES_ANON;
	return 0;
}

/* the per-mapping node arrays and the per-node totals, once the node count is known */
static int totals(struct parse *p)
{
	struct np_numa_maps *pub = &p->m->pub;
	size_t n = pub->nnodes ? pub->nnodes : 1;

	if (pub->nmaps > NODE_PAGES_MAX / n)
		return -EFBIG;
	pub->node = calloc(n, sizeof(*pub->node));
	p->m->node_pages = calloc(pub->nmaps * n + 1, sizeof(*p->m->node_pages));
	if (!pub->node || !p->m->node_pages)
		return -ENOMEM;
	for (size_t i = 0; i < pub->nmaps; i++)
		pub->maps[i].node_pages = p->m->node_pages + i * n;
	for (size_t i = 0; i < p->ncounts; i++) {
		const struct node_count *c = &p->counts[i];
		const struct np_numa_map *mp = &pub->maps[c->map];

		p->m->node_pages[c->map * n + c->node] += c->pages;
		pub->node[c->node].pages[mp->kind] += c->pages;
		pub->node[c->node].kb[mp->kind] += c->pages * mp->page_kb;
	}
	return 0;
}

static int parse(struct maps_impl *m)
{
	struct parse p = { .m = m };
	size_t lines = 0, i = 0;
	char *line, *eol;
	int r = 0;

	/* one mapping per line that is not empty: blank lines cost nothing */
	for (const char *c = m->text; *c; c++)
		lines += *c != '\n' && (c[1] == '\n' || !c[1]);
	m->pub.maps = calloc(lines + 1, sizeof(*m->pub.maps));
	if (!m->pub.maps)
		return -ENOMEM;
	for (line = m->text; r == 0 && line && *line; line = eol ? eol + 1 : NULL) {
		eol = strchr(line, '\n');
		if (eol)
			*eol = '\0';
		if (*line)
			r = parse_line(&p, i++, line);
	}
	m->pub.nmaps = i;
	if (r == 0)
		r = totals(&p);
	free(p.counts);
	return r;
}

void np_numa_maps_free(struct np_numa_maps *pub)
{
	struct maps_impl *m = (struct maps_impl *)pub;

	if (!m)
		return;
	free(m->pub.node);
	free(m->pub.maps);
	free(m->node_pages);
	free(m->text);
	free(m);
}

int np__numa_maps_parse(char *text, struct np_numa_maps **ret)
{
	struct maps_impl *m = calloc(1, sizeof(*m));
	int r;

	if (!m) {
		free(text);
		return -ENOMEM;
	}
	m->text = text;
	r = parse(m);
	if (r < 0) {
		np_numa_maps_free(&m->pub);
		return r;
	}
	*ret = &m->pub;
	return 0;
}

int np_task_numa_maps(const char *sysroot, pid_t pid, struct np_numa_maps **ret)
{
	struct np_sysfs *fs;
	char *text;
	int r;

	if (pid < 0)
		return -EINVAL;
	r = np__sysfs_open(sysroot, &fs);
	if (r < 0)
		return r;
	if (pid == 0)
		r = np__sysfs_read_big(fs, NUMA_MAPS_MAX, &text, NULL, "proc/self/numa_maps");
	else
		r = np__sysfs_read_big(fs, NUMA_MAPS_MAX, &text, NULL, "proc/%d/numa_maps",
				       (int)pid);
	np__sysfs_free(fs);
	/* a process that exits between open and read leaves ESRCH on the read */
	if (r == -ENOENT)
		r = -ESRCH;
	if (r < 0)
		return r;
	return np__numa_maps_parse(text, ret);
}
