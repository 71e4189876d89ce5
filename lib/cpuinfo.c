/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cpuinfo.c - the CPU model's name, from proc/cpuinfo of the topology's sysroot.
 *
 * Terminology:
 *  model name  what /proc/cpuinfo calls the processor: "model name" on x86, "cpu" on POWER,
 *              "Processor" on older ARM kernels, "uarch" on RISC-V.  The first CPU's line is
 *              taken: a hybrid machine names one model for every kind of core.
 *
 * Read on demand and not at np_topo_load(): /proc/cpuinfo is a block of lines per CPU (several
 * hundred KiB on a big machine), and only the text view of topo shows the name.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *const model_keys[] = { "model name", "cpu", "Processor", "uarch", NULL };

/* the value of "@key<spaces/tabs>: value" at line start in @text, or NULL */
static const char *find_key(const char *text, const char *key, size_t *len)
{
	size_t klen = strlen(key);

	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		const char *p = l + klen, *end;

		if (strncmp(l, key, klen) != 0)
			continue;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != ':')
			continue;
		/* trimmed at both ends alike: a '\r' or '\v' is no more a name's than a blank */
		for (p++; *p != '\n' && isspace((unsigned char)*p); p++)
			;
		end = strchrnul(p, '\n');
		while (end > p && isspace((unsigned char)end[-1]))
			end--;
		if (end == p)
			continue;
		*len = (size_t)(end - p);
		return p;
	}
	return NULL;
}

const char *np__cpuinfo_model(const char *text, size_t *len)
{
	const char *v = NULL;

	for (unsigned int i = 0; model_keys[i] && !v; i++)
		v = find_key(text, model_keys[i], len);
	return v;
}

int np_topo_cpu_model(const struct np_topo *topo, char **ret)
{
	struct np_sysfs *fs = NULL;
	char *text = NULL, *name = NULL;
	const char *v = NULL;
	size_t len = 0;
	int r;

	if (!topo || !ret)
		return -EINVAL;
	r = np__sysfs_open(topo->sysroot, &fs);
	if (r < 0)
		return r;
	r = np__sysfs_read_alloc(fs, &text, NULL, "proc/cpuinfo");
	np__sysfs_free(fs);
	if (r < 0)
		return r;
	v = np__cpuinfo_model(text, &len);
	if (!v)
		r = -ENOENT;
	else if (!(name = strndup(v, len)))
		r = -ENOMEM;
	free(text);
	if (r == 0)
		*ret = name;
	return r;
}
