/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * topo-kinds.c - what each online CPU is: its frequencies and, on hybrid machines, whether it
 * is a performance or an efficiency core.
 *
 * Terminology:
 *  policy     a cpufreq policy: the CPUs that share one clock (cpufreq/related_cpus).
 *  kind       performance or efficiency core (enum np_cpu_kind); unknown on machines whose
 *             cores are all alike.
 *
 * Runs after lib/topo-cpus.c has found the cores (core_index) and capacities.
 */
#include <errno.h>
#include <stddef.h>

#include "internal.h"

static unsigned long khz(const struct np_sysfs *cpufs, unsigned int cpu, const char *file)
{
	long long v;

	if (np__sysfs_read_ll(cpufs, &v, "cpu%u/cpufreq/%s", cpu, file) < 0 || v <= 0)
		return 0;
	return (unsigned long)v;
}

/*
 * cpufreq's related_cpus into @set: CPU numbers separated by blanks ("0 1 2 3", the kernel's
 * cpufreq_show_cpus()), not a cpulist.  Return: as np__sysfs_read_list().
 */
static int read_related(const struct np_sysfs *cpufs, struct np_cpuset *set, int cpu)
{
	char buf[4096];
	ssize_t n = np__sysfs_read(cpufs, buf, sizeof(buf), "cpu%d/cpufreq/related_cpus", cpu);
	int r;

	if (n < 0)
		return (int)n;
	for (char *p = buf; *p; p++)
		if (*p == ' ')
			*p = ',';
	r = np_cpuset_parse_list(set, buf, NULL);
	if (r < 0 && r != -ENOMEM)
		np__sysfs_bad(cpufs, -r, np__set_reason(r, false), "cpu%d/cpufreq/related_cpus", cpu);
	return r;
}

/*
 * Frequencies, read once per cpufreq policy (related_cpus) and per core: the threads of one
 * core share a clock.
 */
void np__topo_cpu_freqs(struct np_topo *t, const struct np_sysfs *cpufs, struct np_cpuset *tmp)
{
	bool have_base = true, have_related = true;

	np_cpuset_foreach(c, t->online) {
		struct np_cpu *cpu = &t->cpus[c];
		int ret;

		if (cpu->max_khz)
			continue;
		cpu->max_khz = khz(cpufs, (unsigned int)c, "cpuinfo_max_freq");
		if (!cpu->max_khz)
			return; /* no cpufreq on this machine */
		cpu->min_khz = khz(cpufs, (unsigned int)c, "cpuinfo_min_freq");
		if (have_base) {
			cpu->base_khz = khz(cpufs, (unsigned int)c, "base_frequency");
			have_base = cpu->base_khz != 0;
		}
		/* related_cpus is as old as cpufreq's sysfs: the first CPU without it speaks for all */
		ret = have_related ? read_related(cpufs, tmp, c) : -ENOENT;
		have_related = ret != -ENOENT;
		if (ret < 0)
			np_cpuset_zero(tmp);
		np_cpuset_foreach(s, t->online) {
			struct np_cpu *o = &t->cpus[s];

			if (o->max_khz || !(np_cpuset_isset(tmp, (unsigned int)s) ||
					    o->core_index == cpu->core_index))
				continue;
			o->max_khz = cpu->max_khz;
			o->min_khz = cpu->min_khz;
			o->base_khz = cpu->base_khz;
		}
	}
}

/* Mark the CPUs whose @value is below the highest as efficiency cores, the others performance. */
static bool kinds_by(struct np_topo *t, size_t off, bool is_long)
{
	unsigned long max = 0, min = ~0ul;

	np_cpuset_foreach(c, t->online) {
		unsigned long v = is_long ? *(unsigned long *)((char *)&t->cpus[c] + off)
					  : *(unsigned int *)((char *)&t->cpus[c] + off);

		if (!v)
			return false;
		max = v > max ? v : max;
		min = v < min ? v : min;
	}
	if (max == 0 || min == max)
		return false;
	np_cpuset_foreach(c, t->online) {
		unsigned long v = is_long ? *(unsigned long *)((char *)&t->cpus[c] + off)
					  : *(unsigned int *)((char *)&t->cpus[c] + off);

		t->cpus[c].kind = v == max ? NP_CPU_KIND_PERFORMANCE : NP_CPU_KIND_EFFICIENCY;
	}
	return true;
}

/*
 * Hybrid kinds: Intel's PMU devices cpu_core / cpu_atom list their CPUs; elsewhere a
 * cpu_capacity below the highest (arm64 big.LITTLE), or a lower base frequency (Intel hybrids
 * on kernels without the PMU devices), marks an efficiency core.
 */
void np__topo_cpu_kinds(struct np_topo *t, const struct np_sysfs *fs, struct np_cpuset *tmp)
{
	bool intel = false;

	if (np__sysfs_read_list(fs, tmp, "sys/devices/cpu_core/cpus") == 0) {
		intel = true;
		np_cpuset_foreach(c, tmp)
			t->cpus[c].kind = NP_CPU_KIND_PERFORMANCE;
	}
	if (np__sysfs_read_list(fs, tmp, "sys/devices/cpu_atom/cpus") == 0) {
		intel = true;
		np_cpuset_foreach(c, tmp)
			t->cpus[c].kind = NP_CPU_KIND_EFFICIENCY;
	}
	if (!intel && !kinds_by(t, offsetof(struct np_cpu, capacity), false))
		kinds_by(t, offsetof(struct np_cpu, base_khz), true);
}
