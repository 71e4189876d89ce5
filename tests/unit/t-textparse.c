/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * t-textparse.c - the text parsers of lib/procparse.h's second block on buffers: proc/cpuinfo,
 * counter rows, proc/PID/sched, proc/interrupts, the kernel command line, the undo journal,
 * demotion_enabled, the weights' undo file and the NVIDIA driver's GPU information; and, on a scratch sysroot, that proc/interrupts
 * is bounded and a damaged journal is refused whole.  Tables of {expected errno, input,
 * expected result}; each failure also checks the outputs were left alone.  The regression
 * cases of fuzz/fuzz-{cpuinfo,numastat,interrupts,cmdline,journal,tiers,gpuinfo}.c live here.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "tap.h"

static void test_cpuinfo(void)
{
	static const struct {
		const char *text, *name;
	} t[] = {
		{ "processor\t: 0\nmodel name\t: Intel(R) Xeon(R) Gold 6130\n", "Intel(R) Xeon(R) Gold 6130" },
		{ "processor\t: 0\ncpu\t\t: POWER9 (raw), altivec supported\n", "POWER9 (raw), altivec supported" },
		{ "Processor\t: ARMv7 Processor rev 10 (v7l)\n", "ARMv7 Processor rev 10 (v7l)" },
		{ "isa\t\t: rv64imafdc\nuarch\t\t: sifive,u74-mc\n", "sifive,u74-mc" },
		{ "cpu : A\nmodel name : B\n", "B" },
		{ "cpu MHz\t\t: 2000.000\ncpu cores\t: 4\n", NULL },
		{ "model name\t:   \t\n", NULL },
		/* fuzz-cpuinfo: a '\r' after the colon was kept as the name's first character */
		{ "model name\t: \r X\n", "X" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		size_t len = 0;
		const char *v = np__cpuinfo_model(t[i].text, &len);
		char *got = v ? strndup(v, len) : NULL;

		if (t[i].name)
			is_str(got ? got : "(none)", t[i].name, "cpuinfo %zu: '%s'", i, t[i].name);
		else
			ok(got == NULL, "cpuinfo %zu: no name", i);
		free(got);
	}
}

static void test_stat_rows(void)
{
	static const char *const vm[] = { "numa_", NULL };
	struct np_stat_value sentinel, *v = &sentinel;
	char text[128];
	size_t n = 7;

	snprintf(text, sizeof(text), "numa_hit 5\npgfault 3\nnuma_miss 0\n");
	is_int(np__stat_rows(text, vm, &v, &n), 0, "vmstat rows parse");
	ok(n == 2 && !strcmp(v[0].name, "numa_hit") && v[0].value == 5 &&
	   !strcmp(v[1].name, "numa_miss"), "  numa_ rows only");
	free(v);
	v = &sentinel;
	snprintf(text, sizeof(text), "\nNode 0 MemTotal:  16 kB\nNode 0 HugePages_Free: 3\n");
	is_int(np__stat_rows(text, NULL, &v, &n), 0, "meminfo rows parse");
	ok(n == 2 && !strcmp(v[0].name, "MemTotal") && v[0].value == 16 && v[1].value == 3,
	   "  names without 'Node 0', values in kB or pages");
	free(v);
	v = &sentinel;
	n = 7;
	snprintf(text, sizeof(text), "numa_hit 5\nnuma_miss -1\n");
	is_int(np__stat_rows(text, NULL, &v, &n), -EINVAL, "'numa_miss -1': -EINVAL");
	ok(v == &sentinel && n == 7, "  outputs left alone");
	snprintf(text, sizeof(text), "Node 0 MemTotal: 99999999999999999999999 kB\n");
	is_int(np__stat_rows(text, NULL, &v, &n), -EINVAL, "MemTotal beyond 2^64: -EINVAL");
	ok(v == &sentinel && n == 7, "  outputs left alone");
}

static void test_sched(void)
{
	static const struct {
		int err;
		const char *text;
	} bad[] = {
		/* fuzz-numastat: cast to int, 4294967296 read as node 0 */
		{ -EINVAL, "numa_preferred_nid :  4294967296\n" },
		{ -EINVAL, "numa_preferred_nid :  -2\n" },
		/* sscanf's %llu took -1 as 18446744073709551615 faults */
		{ -EINVAL, "numa_faults node=0 task_private=-1 task_shared=0 group_private=0 group_shared=0\n" },
		{ -EINVAL, "numa_faults node=-1 task_private=1 task_shared=0 group_private=0 group_shared=0\n" },
		{ -ERANGE, "numa_faults node=65536 task_private=1 task_shared=0 group_private=0 group_shared=0\n" },
		{ -EINVAL, "total_numa_faults :  12abc\n" },
	};
	struct np_task_numastat *sentinel = (struct np_task_numastat *)&sentinel, *t = sentinel;
	char text[256];

	snprintf(text, sizeof(text), "se.exec_start : 5.3\nnuma_pages_migrated : 7\n"
		 "numa_preferred_nid : -1\ntotal_numa_faults : 16\nnuma_faults node=1 "
		 "task_private=12 task_shared=3 group_private=0 group_shared=1\n");
	is_int(np__sched_parse(text, &t), 0, "sched parses");
	ok(t != sentinel && t->balancing && t->pages_migrated == 7 && t->preferred_node == -1 &&
	   t->total_faults == 16 && t->nnodes == 2 && t->faults[1].task_private == 12 &&
	   t->faults[1].group_shared == 1 && t->faults[0].task_private == 0, "  its values");
	if (t != sentinel)
		np_task_numastat_free(t);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		t = sentinel;
		snprintf(text, sizeof(text), "%s", bad[i].text);
		is_int(np__sched_parse(text, &t), bad[i].err, "sched '%.*s': %d",
		       (int)strcspn(bad[i].text, "\n"), bad[i].text, bad[i].err);
		ok(t == sentinel, "  *ret left alone");
	}
}

static void test_irq_text(void)
{
	static const unsigned int cpus[] = { 0, 2 };
	unsigned int *hc = NULL, nh = 0;
	struct np_irq q = { .irq = 77 };
	char line[128];

	snprintf(line, sizeof(line), "CPU0 CPU+1");
	is_int(np__irq_header(line, &hc, &nh), -EINVAL, "header 'CPU0 CPU+1': -EINVAL");
	ok(hc == NULL && nh == 0, "  outputs left alone");
	snprintf(line, sizeof(line), "  24:  5  9  PCI-MSIX-0000:00:03.0  0-edge  virtio0-input.0");
	is_int(np__irq_line(line, cpus, 2, &q), 0, "an MSI-X line parses");
	ok(q.irq == 24 && q.ncounts == 3 && q.counts[0] == 5 && q.counts[1] == 0 &&
	   q.counts[2] == 9 && !strcmp(q.hwirq, "0-edge") && !strcmp(q.actions, "virtio0-input.0") &&
	   q.device && !strcmp(q.device, "0000:00:03.0"), "  counts by CPU, device, handlers");
	free((void *)q.counts);
	free((void *)q.device);
	q.irq = 77;
	snprintf(line, sizeof(line), " 24:  -1  9  IO-APIC 2-edge timer");
	is_int(np__irq_line(line, cpus, 2, &q), -EINVAL, "a count of -1: -EINVAL");
	/* strtoul's 4294967320 was IRQ 24 once cut to unsigned int */
	snprintf(line, sizeof(line), " 4294967320:  1  9  IO-APIC 2-edge timer");
	is_int(np__irq_line(line, cpus, 2, &q), -EINVAL, "IRQ 4294967320: -EINVAL");
	snprintf(line, sizeof(line), "NMI:  1  9  Non-maskable interrupts");
	is_int(np__irq_line(line, cpus, 2, &q), 1, "NMI: a line without a number, skipped");
	ok(q.irq == 77, "  the entry left alone");
}

static void test_cmdline(void)
{
	const char *cmd = "ro xisolcpus=9 isolcpus=managed_irq,domain,2-5 nohz_full=2-5\n";
	char *v;

	v = np__cmdline_value(cmd, "isolcpus");
	is_str(v ? v : "(none)", "managed_irq,domain,2-5", "isolcpus= with its flags");
	free(v);
	v = np__cmdline_value(cmd, "nohz_full");
	is_str(v ? v : "(none)", "2-5", "nohz_full= up to the newline");
	free(v);
	ok(np__cmdline_value("isolcpus rcu_nocbs", "isolcpus") == NULL, "isolcpus without '=': none");
}

static void test_journal_check(void)
{
	static const struct {
		int want;
		const char *text;
	} t[] = {
		{ 0, "" },
		{ 3, "d\tsys/fs/cgroup/numaplace-rt\nw\tproc/irq/24/smp_affinity_list\t0-3\\n\n"
		     "c\tsys/fs/cgroup/numaplace-rt/cpuset.cpus\n" },
		{ 1, "w\tsys/a\t\n" },
		/* openat() ignores the sysroot's fd for an absolute path */
		{ -EINVAL, "w\t/etc/passwd\tx\n" },
		{ -EINVAL, "w\tsys/../../etc/passwd\tx\n" },
		{ -EINVAL, "w\trun/numaplace/isolate/other\tx\n" },
		{ -EINVAL, "w\tsys/a\tB\\n\nw\tproc/b\ttorn" },
		{ -EINVAL, "w\tsys/a\tbad\\q\n" },
		{ -EINVAL, "w\tsys/a\tends in \\\n" },
		{ -EINVAL, "c\tsys/a\told\n" },
		{ -EINVAL, "w\tsys/a\n" },
		{ -EINVAL, "x\tsys/a\n" },
		{ -EINVAL, "d\tsys//a\n" },
		{ -EINVAL, "d\tsys/a/\n" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		is_int(np__journal_check(t[i].text), t[i].want, "journal %zu: %d", i, t[i].want);
}

static int put(int root, const char *path, const char *v)
{
	int fd = openat(root, path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ssize_t n = fd < 0 ? -1 : write(fd, v, strlen(v));

	if (fd >= 0)
		close(fd);
	return n == (ssize_t)strlen(v) ? 0 : -1;
}

static bool holds(int root, const char *path, const char *v)
{
	char buf[64] = "";
	int fd = openat(root, path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	return n >= 0 && (buf[n] = '\0', strcmp(buf, v) == 0);
}

/* A torn journal (its newest line cut) and one that names a file outside sys/ and proc/. */
static void test_journal_undo(int root, struct np_sysfs *fs, const char *dir)
{
	char text[600];

	if (mkdirat(root, "sys", 0755) < 0 || mkdirat(root, "run", 0755) < 0 ||
	    mkdirat(root, "run/numaplace", 0755) < 0 ||
	    mkdirat(root, "run/numaplace/isolate", 0755) < 0 || put(root, "sys/a", "A\n") < 0 ||
	    put(root, "outside", "O\n") < 0 ||
	    put(root, "run/numaplace/isolate/torn", "w\tsys/a\tOLD\\n\nw\tsys/a\tto") < 0) {
		skip(4, "no scratch sysroot");
		return;
	}
	is_int(np__journal_undo(fs, "torn"), -EINVAL, "a torn journal is refused");
	ok(holds(root, "sys/a", "A\n") && faccessat(root, "run/numaplace/isolate/torn", F_OK, 0) == 0,
	   "  nothing undone, the journal kept");
	snprintf(text, sizeof(text), "w\tsys/a\tOLD\\n\nw\t%s/outside\tX\n", dir);
	put(root, "run/numaplace/isolate/abs", text);
	is_int(np__journal_undo(fs, "abs"), -EINVAL, "a journal naming an absolute path is refused");
	ok(holds(root, "outside", "O\n") && holds(root, "sys/a", "A\n"), "  nothing written");
}

/* fuzz-interrupts: a header naming CPU8191 made each 5-byte line cost 64 KiB of counts */
static void test_irq_cells(int root, const char *dir)
{
	char *text = malloc(8 + 600 * 5 + 1), *p = text;
	struct np_irqs *irqs = NULL;

	if (!text || mkdirat(root, "proc", 0755) < 0)
		bail_out("no scratch proc");
	p += sprintf(p, "CPU8191\n");
	for (int i = 0; i < 600; i++)
		p += sprintf(p, "0: 0\n");
	put(root, "proc/interrupts", text);
	is_int(np_irq_list(dir, &irqs), -EFBIG, "600 lines under 'CPU8191': -EFBIG, not 39 MiB");
	ok(irqs == NULL, "  *ret left alone");
	sprintf(text, "CPU8191\n0: 0\n1: 4\n");
	put(root, "proc/interrupts", text);
	is_int(np_irq_list(dir, &irqs), 0, "two lines under 'CPU8191' parse");
	ok(irqs && np_irqs_count(irqs) == 2 && np_irqs_get(irqs, 1)->counts[8191] == 4,
	   "  the count lands on CPU 8191");
	np_irqs_free(irqs);
	free(text);
}

static void test_scratch(void)
{
	const char *tmp = getenv("TMPDIR");
	char dir[256], cmd[300];
	struct np_sysfs *fs;
	int root;

	snprintf(dir, sizeof(dir), "%s/t-textparse-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir) || np__sysfs_open(dir, &fs) < 0)
		bail_out("no scratch sysroot");
	root = fs->rootfd;
	test_journal_undo(root, fs, dir);
	test_irq_cells(root, dir);
	np__sysfs_free(fs);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		diag("could not remove %s", dir);
}

static void test_nvidia_uuid(void)
{
	/* strstr() took the "GPU UUID:" inside the model's name for the UUID line */
	const char *text = "Model: \t\t Fake GPU UUID: GPU-0000\nGPU UUID: \t GPU-8f0c-11 \r\n";
	size_t len = 0;
	const char *v = np__nvidia_uuid(text, &len);

	ok(v && len == 11 && strncmp(v, "GPU-8f0c-11", len) == 0, "the UUID line's value, trimmed");
	ok(np__nvidia_uuid("GPU UUID: \t \nModel: x\n", &len) == NULL, "a blank UUID: none");
	/* fuzz-gpuinfo: a '\r' after the colon began the value */
	v = np__nvidia_uuid(" EI \nGPU UUID:\r A H10  \t3", &len);
	ok(v && len == 9 && strncmp(v, "A H10  \t3", len) == 0, "'\\r A H10': the value from 'A'");
}

static void test_tiers_weights(void)
{
	unsigned int w[NP_WEIGHT_NODES];

	is_int(np__demotion_parse("true"), 1, "demotion 'true'");
	is_int(np__demotion_parse("0"), 0, "demotion '0'");
	is_int(np__demotion_parse("yes"), -ENOENT, "demotion 'yes': unknown");
	is_int(np__weights_undo_parse("0 3\n4 255\n", w), 0, "undo '0 3' '4 255'");
	ok(w[0] == 3 && w[4] == 255 && w[1] == 0, "  the weights");
	w[0] = 9;
	/* sscanf's %u read -4294967295 as 1 */
	is_int(np__weights_undo_parse("0 -4294967295\n", w), -EINVAL, "weight -4294967295: -EINVAL");
	ok(w[0] == 9, "  weights left alone");
	/* fuzz-tiers: two pairs on a line were both taken */
	is_int(np__weights_undo_parse("0 5 50 3\n1 1\n3 1\n4 55", w), -EINVAL,
	       "'0 5 50 3' (two pairs a line): -EINVAL");
	is_int(np__weights_undo_parse("1024 1\n", w), -EINVAL, "node 1024: -EINVAL");
	is_int(np__weights_undo_parse("0 256\n", w), -EINVAL, "weight 256: -EINVAL");
	is_int(np__weights_undo_parse("0 99999999999999999999\n", w), -EINVAL, "weight 2^66: -EINVAL");
}

int main(void)
{
	test_cpuinfo();
	test_stat_rows();
	test_sched();
	test_irq_text();
	test_cmdline();
	test_journal_check();
	test_scratch();
	test_nvidia_uuid();
	test_tiers_weights();
	done_testing();
	return exit_status();
}
