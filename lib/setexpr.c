/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * setexpr.c - the one grammar of CPU and node arguments: every set syntax the library knows,
 * told apart by the shape of the string, resolved against a machine.
 *
 * Terminology:
 *  shape     which syntax a string is written in, decided from its characters alone, before
 *            any of them is parsed (classify()): taskset mask, "all", complement, rank list,
 *            sysfs mask, kernel list, location expression.  The order of the tests is the
 *            documented disambiguation (numaplace.h, np_topo_parse_cpus()).
 *  universe  what "all", "!" and "+" count over: the CPUs (nodes) this process may use, or
 *            with NP_PARSE_ONLINE every online one.
 *  exists    the members a number may name: the possible CPUs, or the nodes sysfs shows.
 *  node step a location term "node:SEL" (or "numa:SEL") alone or in a ','-union of such
 *            terms: for a node argument it names nodes by logical index, CPU-less ones too.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

enum shape { S_EMPTY, S_TASKSET, S_ALL, S_NOT, S_RANK, S_MASK, S_LIST, S_LOCATION };

struct target {
	const struct np_topo *topo;
	bool nodes;                        /* a node argument */
	unsigned int size;                 /* bits of the result */
	const struct np_cpuset *universe;  /* "all", "!", "+" */
	const struct np_cpuset *exists;    /* what a number may name */
};

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

static bool hexdigit(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool hexletter(char c)
{
	return hexdigit(c) && !(c >= '0' && c <= '9');
}

/* @s up to trailing blanks is exactly @word */
static bool is_word(const char *s, const char *word)
{
	size_t n = strlen(word);

	if (strncmp(s, word, n) != 0)
		return false;
	for (s += n; *s; s++)
		if (!blank(*s))
			return false;
	return true;
}

/*
 * Hex words and commas only (trailing blanks allowed, as sysfs files end with a newline), and
 * either a letter a-f somewhere or at least two words, every one after the first of exactly
 * 8 digits: "ff", "ff,ffffffff", "1,00000000".  "1,2" stays a list.
 */
static bool mask_shape(const char *s)
{
	bool letter = false, full = true;
	size_t words = 1, len = 0;
	const char *p;

	for (p = s; *p && !blank(*p); p++) {
		if (*p == ',') {
			if (words > 1 && len != 8)
				full = false;
			words++;
			len = 0;
		} else if (hexdigit(*p)) {
			letter |= hexletter(*p);
			len++;
		} else {
			return false;
		}
	}
	if (words > 1 && len != 8)
		full = false;
	for (; *p; p++)
		if (!blank(*p))
			return false;
	return letter || (words > 1 && full);
}

static bool list_shape(const char *s)
{
	return s[strspn(s, "0123456789,-: \t\n")] == '\0';
}

static enum shape classify(const char *s)
{
	if (*s == '\0')
		return S_EMPTY;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return S_TASKSET;
	if (is_word(s, "all"))
		return S_ALL;
	if (*s == '!')
		return S_NOT;
	if (*s == '+')
		return S_RANK;
	if (mask_shape(s))
		return S_MASK;
	if (list_shape(s))
		return S_LIST;
	return S_LOCATION;
}

/*
 * The sysfs form, strictly: every word after the first has 8 digits, as the kernel prints
 * them.  np_cpuset_parse_mask() takes shorter words too ("ff,fff"), which a person typing a
 * mask by hand more likely means as a mistake than as 0xff00000fff.
 */
static int mask_words(const char *s, size_t *pos)
{
	const char *w = strchr(s, ',');

	while (w) {
		size_t len = strspn(w + 1, "0123456789abcdefABCDEF");

		if (len != 8) {
			*pos = (size_t)(w + 1 - s);
			return -EINVAL;
		}
		w = strchr(w + 1, ',');
	}
	return 0;
}

/* the offset in @s of the first item of the list @s naming a member outside @exists */
static size_t list_culprit(const char *s, unsigned int size, const struct np_cpuset *exists)
{
	struct np_cpuset *one;
	const char *p = s;

	if (np_cpuset_new(size, &one) < 0)
		return 0;
	while (*p) {
		size_t len = strcspn(p, ",");
		char *item = strndup(p, len);

		if (item && np_cpuset_parse_list(one, item, NULL) == 0 &&
		    !np_cpuset_subset(one, exists)) {
			free(item);
			break;
		}
		free(item);
		p += len;
		if (*p == ',')
			p++;
	}
	np_cpuset_free(one);
	return *p ? (size_t)(p - s) : 0;
}

/* kernel list, sysfs mask or taskset mask; every member must exist */
static int parse_numbers(const struct target *t, enum shape shape, const char *s,
			 struct np_cpuset *out, size_t *pos)
{
	int r;

	*pos = 0;
	if (shape == S_TASKSET) {
		/* "0x" alone is the empty set to taskset; as an argument it is a typo */
		if (!hexdigit(s[2])) {
			*pos = 2;
			return -EINVAL;
		}
		r = np_cpuset_parse_taskset(out, s, pos);
	} else if (shape == S_MASK) {
		r = mask_words(s, pos);
		if (r == 0)
			r = np_cpuset_parse_mask(out, s, pos);
	} else {
		r = np_cpuset_parse_list(out, s, pos);
		if (r == 0 && np_cpuset_empty(out))
			r = -EINVAL; /* only blanks */
	}
	if (r == 0 && !np_cpuset_subset(out, t->exists)) {
		if (shape == S_LIST)
			*pos = list_culprit(s, t->size, t->exists);
		r = -ERANGE;
	}
	return r;
}

static int parse_rank(const struct target *t, const char *s, struct np_cpuset *out, size_t *pos)
{
	*pos = 0;
	/* "+" takes plain numbers only: ranks of masks or of locations mean nothing */
	if (!list_shape(s + 1)) {
		*pos = 1 + strspn(s + 1, "0123456789,-: \t\n");
		return -EINVAL;
	}
	return np_cpuset_parse_numactl(out, s, t->universe, pos);
}

/* the selector of a node step, "N", "N-M", "N-M:S", "all", "even", "odd": the logical indexes */
static int node_selector(const char *sel, size_t len, unsigned int count, struct np_cpuset *idx,
			 size_t *pos)
{
	struct np_cpuset *one = NULL;
	char *text;
	int r;

	if ((len == 3 && strncmp(sel, "all", 3) == 0) ||
	    (len == 4 && strncmp(sel, "even", 4) == 0) ||
	    (len == 3 && strncmp(sel, "odd", 3) == 0)) {
		for (unsigned int i = 0; i < count; i++)
			if (sel[0] == 'a' || (i % 2 == 0) == (sel[0] == 'e'))
				np_cpuset_set(idx, i);
		return 0;
	}
	text = strndup(sel, len);
	r = text ? np_cpuset_new(count, &one) : -ENOMEM;
	/* the parser replaces a set's members: parse alone, then add */
	if (r == 0)
		r = np_cpuset_parse_list(one, text, pos);
	if (r == 0)
		r = np_cpuset_or(idx, idx, one);
	np_cpuset_free(one);
	free(text);
	return r;
}

/*
 * @s is a ','-union of node steps: add the nodes they select to @out and return 0; 1 when @s
 * has any other shape (then @out holds garbage); -ERANGE with *pos at the step past the nodes.
 * @s has been parsed as a location already, so only the shape is looked at here.
 */
/* the length of the selector of the node step at @step, 0 when @step is not one */
static size_t node_step(const char *step)
{
	size_t len;

	if (strncmp(step, "node:", 5) != 0 && strncmp(step, "numa:", 5) != 0)
		return 0;
	len = strcspn(step + 5, ", \t\n");
	/* digits and ranges, or the words all, even, odd (the location parser checked which) */
	if (strspn(step + 5, "0123456789-:") != len && strspn(step + 5, "allevnod") != len)
		return 0;
	return len;
}

static int node_steps(const struct target *t, const char *s, struct np_cpuset *out, size_t *pos)
{
	unsigned int count = np_topo_node_count(t->topo);
	struct np_cpuset *idx;
	const char *p = s;
	int r = np_cpuset_new(count, &idx);

	while (r == 0 && *p) {
		const char *step = p + strspn(p, " \t\n");
		size_t len = node_step(step);

		if (len == 0) {
			r = 1;
			break;
		}
		p = step + 5 + len;
		p += strspn(p, " \t\n");
		if (*p && *p != ',') {
			r = 1;
			break;
		}
		if (node_selector(step + 5, len, count, idx, pos) < 0) {
			*pos = (size_t)(step - s);
			r = -ERANGE;
		}
		if (*p == ',')
			p++;
	}
	if (r == 0)
		np_cpuset_foreach(i, idx)
			np_cpuset_set(out, np_topo_node(t->topo, (unsigned int)i)->id);
	np_cpuset_free(idx);
	return r;
}

static void nodes_of(const struct np_topo *topo, const struct np_cpuset *cpus,
		     struct np_cpuset *out)
{
	np_cpuset_zero(out);
	np_cpuset_foreach(c, cpus) {
		const struct np_cpu *cpu = np_topo_cpu(topo, (unsigned int)c);

		if (cpu && cpu->node >= 0)
			np_cpuset_set(out, (unsigned int)cpu->node);
	}
}

static int parse_location(const struct target *t, const char *s, struct np_cpuset *out,
			  size_t *pos)
{
	struct np_location *loc;
	struct np_cpuset *cpus;
	int r = np_location_parse(s, &loc, pos);

	if (r < 0)
		return r;
	if (t->nodes) {
		np_cpuset_zero(out);
		r = node_steps(t, s, out, pos);
		if (r <= 0)
			goto free_loc;
	}
	r = np_location_eval(loc, t->topo, &cpus, pos);
	if (r == 0) {
		if (t->nodes)
			nodes_of(t->topo, cpus, out);
		else
			r = np_cpuset_copy(out, cpus);
		np_cpuset_free(cpus);
	}
free_loc:
	np_location_free(loc);
	return r;
}

static int parse_shape(const struct target *t, const char *s, bool top, struct np_cpuset *out,
		       size_t *pos)
{
	size_t lead = strspn(s, " \t\n"), inner = 0;
	enum shape shape = classify(s + lead);
	int r;

	s += lead;
	*pos = 0;
	switch (shape) {
	case S_EMPTY:
		r = -EINVAL;
		break;
	case S_ALL:
		r = np_cpuset_copy(out, t->universe);
		break;
	case S_NOT:
		/* one '!' only: "!!0" is more likely a slip than a double negation */
		r = top ? parse_shape(t, s + 1, false, out, &inner) : -EINVAL;
		if (top)
			*pos = 1 + inner;
		if (r == 0)
			r = np_cpuset_andnot(out, t->universe, out);
		break;
	case S_RANK:
		r = parse_rank(t, s, out, pos);
		break;
	case S_LOCATION:
		r = parse_location(t, s, out, pos);
		break;
	default:
		r = parse_numbers(t, shape, s, out, pos);
		break;
	}
	*pos += lead;
	return r;
}

static int parse(const struct target *t, const char *str, struct np_cpuset **ret, size_t *errpos)
{
	struct np_cpuset *out;
	size_t pos = 0;
	int r = np_cpuset_new(t->size, &out);

	if (r < 0)
		return r;
	r = parse_shape(t, str, true, out, &pos);
	if (r < 0) {
		if (errpos && r != -ENOMEM)
			*errpos = pos;
		np_cpuset_free(out);
		return r;
	}
	*ret = out;
	return 0;
}

int np_topo_parse_cpus(const struct np_topo *topo, const char *str, unsigned int flags,
		       struct np_cpuset **ret, size_t *errpos)
{
	const struct target t = {
		.topo = topo,
		.size = np_topo_cpu_size(topo),
		.universe = flags & NP_PARSE_ONLINE ? np_topo_online_cpus(topo)
						     : np_topo_allowed_cpus(topo),
		.exists = np_topo_possible_cpus(topo),
	};

	return parse(&t, str, ret, errpos);
}

int np_topo_parse_nodes(const struct np_topo *topo, const char *str, unsigned int flags,
			struct np_cpuset **ret, size_t *errpos)
{
	const struct target t = {
		.topo = topo,
		.nodes = true,
		.size = np_topo_node_size(topo),
		.universe = flags & NP_PARSE_ONLINE ? np_topo_online_nodes(topo)
						     : np_topo_allowed_nodes(topo),
		.exists = np_topo_nodes(topo),
	};

	return parse(&t, str, ret, errpos);
}
