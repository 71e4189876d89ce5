/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * t-args.c - the CLI's value parsers (cli/args.c) as tables of {expected result, input,
 * expected value}: every failure leaves the output untouched and prints one message naming
 * the option and the value; the launcher variables the CLI names are the library's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../cli/args.c"
#include "../../cli/messages.c"
#include "tap.h"

#define UNTOUCHED 0xdeadULL

/* cli_topo_error() asks cli/sysroot-tgz.c first, which this test does not compile in */
bool cli_sysroot_error(const char *sysroot, int err)
{
	(void)sysroot;
	(void)err;
	return false;
}

static char msg[512];

/* stderr of the last call, first line, in msg */
static int saved_fd = -1;
static FILE *capture_f;

static void capture_begin(void)
{
	fflush(stderr);
	saved_fd = dup(2);
	capture_f = tmpfile();
	dup2(fileno(capture_f), 2);
}

static void capture_end(void)
{
	fflush(stderr);
	dup2(saved_fd, 2);
	close(saved_fd);
	rewind(capture_f);
	if (!fgets(msg, sizeof(msg), capture_f))
		msg[0] = '\0';
	msg[strcspn(msg, "\n")] = '\0';
	fclose(capture_f);
}

static const struct {
	int err;
	const char *in;
	unsigned long long want;
} sizes[] = {
	{ 0, "0", 0 },
	{ 0, "4096", 4096 },
	{ 0, "4k", 4096 },
	{ 0, "4K", 4096 },
	{ 0, "4KB", 4096 },
	{ 0, "4kib", 4096 },
	{ 0, "64m", 64ULL << 20 },
	{ 0, "64MiB", 64ULL << 20 },
	{ 0, "2g", 2ULL << 30 },
	{ 0, "3T", 3ULL << 40 },
	{ 0, "1p", 1ULL << 50 },
	{ 0, "16383p", 16383ULL << 50 },
	{ 0, "18446744073709551615", 18446744073709551615ULL },
	{ CLI_USAGE, "16384p", 0 },
	{ CLI_USAGE, "17179869185g", 0 },
	{ CLI_USAGE, "18446744073709551616", 0 },
	{ CLI_USAGE, "99999999999999999999k", 0 },
	{ CLI_USAGE, "", 0 },
	{ CLI_USAGE, "k", 0 },
	{ CLI_USAGE, "-4k", 0 },
	{ CLI_USAGE, "+4k", 0 },
	{ CLI_USAGE, " 4k", 0 },
	{ CLI_USAGE, "0x10", 0 },
	{ CLI_USAGE, "4kk", 0 },
	{ CLI_USAGE, "4kbb", 0 },
	{ CLI_USAGE, "4q", 0 },
	{ CLI_USAGE, "1.5g", 0 },
	{ CLI_USAGE, "4 k", 0 },
};

static void test_sizes(void)
{
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		unsigned long long v = UNTOUCHED;
		int r;

		capture_begin();
		r = cli_parse_size("--length", sizes[i].in, true, &v);
		capture_end();
		is_int(r, sizes[i].err, "size '%s'", sizes[i].in);
		is_int(v, sizes[i].err ? UNTOUCHED : sizes[i].want, "... value");
		if (sizes[i].err)
			ok(strncmp(msg, "numaplace: invalid --length '", 29) == 0, "... message: %s", msg);
	}
	{
		unsigned long long v = UNTOUCHED;

		capture_begin();
		is_int(cli_parse_size("--size", "0", false, &v), CLI_USAGE, "0 refused unless allowed");
		capture_end();
		is_str(msg, "numaplace: invalid --size '0': expected a size above 0", "... saying so");
		capture_begin();
		cli_parse_size("--length", "17179869185g", true, &v);
		capture_end();
		is_str(msg, "numaplace: invalid --length '17179869185g': too large", "overflow: too large");
		is_int(v, UNTOUCHED, "... and never wraps");
	}
}

static const struct {
	int err;
	const char *in;
	unsigned long long want;
} counts[] = {
	{ 0, "1", 1 }, { 0, "64", 64 }, { CLI_USAGE, "0", 0 }, { CLI_USAGE, "65", 0 },
	{ CLI_USAGE, "-1", 0 }, { CLI_USAGE, "4x", 0 }, { CLI_USAGE, "", 0 }, { CLI_USAGE, "0x4", 0 },
	{ CLI_USAGE, "99999999999999999999999", 0 },
};

static void test_counts(void)
{
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		unsigned long long v = UNTOUCHED;
		int r;

		capture_begin();
		r = cli_parse_count("--count", counts[i].in, 1, 64, &v);
		capture_end();
		is_int(r, counts[i].err, "count '%s'", counts[i].in);
		is_int(v, counts[i].err ? UNTOUCHED : counts[i].want, "... value");
	}
	is_str(msg, "numaplace: invalid --count '99999999999999999999999': expected a number from 1 to 64",
	       "count: one message with the range");
}

static const struct {
	int err;
	const char *in;
	unsigned long long want;
} hexes[] = {
	{ 0, "0", 0 }, { 0, "1f", 0x1f }, { 0, "0x1F", 0x1f }, { 0, "0X7f0000000000", 0x7f0000000000ULL },
	{ 0, "ffffffffffffffff", ~0ULL }, { 0, "0x00000000000000000001", 1 },
	{ CLI_USAGE, "0x10000000000000000", 0 }, { CLI_USAGE, "0x", 0 }, { CLI_USAGE, "", 0 },
	{ CLI_USAGE, "0xg", 0 }, { CLI_USAGE, "-1", 0 }, { CLI_USAGE, " 1", 0 }, { CLI_USAGE, "1 ", 0 },
	{ CLI_USAGE, "+1", 0 },
};

static void test_hexes(void)
{
	for (size_t i = 0; i < sizeof(hexes) / sizeof(hexes[0]); i++) {
		unsigned long long v = UNTOUCHED;
		int r;

		capture_begin();
		r = cli_parse_hex("--skip", hexes[i].in, &v);
		capture_end();
		is_int(r, hexes[i].err, "hex '%s'", hexes[i].in);
		is_int(v, hexes[i].err ? UNTOUCHED : hexes[i].want, "... value");
	}
	is_str(msg, "numaplace: invalid --skip '+1': expected a hexadecimal number, such as 0x1f",
	       "hex: one message");
	capture_begin();
	cli_parse_hex("address", "0x10000000000000000", &(unsigned long long){ 0 });
	capture_end();
	is_str(msg, "numaplace: invalid address '0x10000000000000000': too large", "hex: too large");
}

static const struct {
	int err;
	const char *in;
	mode_t want;
} modes[] = {
	{ 0, "0", 0 }, { 0, "600", 0600 }, { 0, "0600", 0600 }, { 0, "1777", 01777 },
	{ 0, "07777", 07777 }, { 0, "000007777", 07777 },
	{ CLI_USAGE, "10000", 0 }, { CLI_USAGE, "8", 0 }, { CLI_USAGE, "0x1ff", 0 },
	{ CLI_USAGE, "-1", 0 }, { CLI_USAGE, " 600", 0 }, { CLI_USAGE, "600 ", 0 }, { CLI_USAGE, "", 0 },
	{ CLI_USAGE, "77777777777777777777777", 0 }, { CLI_USAGE, "rw", 0 },
};

static void test_modes(void)
{
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		mode_t v = 0xdead;
		int r;

		capture_begin();
		r = cli_parse_mode("--shmmode", modes[i].in, &v);
		capture_end();
		is_int(r, modes[i].err, "mode '%s'", modes[i].in);
		is_int(v, modes[i].err ? 0xdead : modes[i].want, "... value");
	}
	is_str(msg, "numaplace: invalid --shmmode 'rw': expected an octal mode from 0 to 07777",
	       "mode: one message with the range");
}

static const struct {
	int err;
	const char *in;
	double want;
} durations[] = {
	{ 0, "10", 10 }, { 0, "1.5s", 1.5 }, { 0, "200ms", 0.2 }, { 0, "2m", 120 }, { 0, "1h", 3600 },
	{ 0, "250us", 250e-6 }, { 0, ".5", 0.5 }, { 0, "0", 0 },
	{ CLI_USAGE, "", 0 }, { CLI_USAGE, ".", 0 }, { CLI_USAGE, "-1", 0 }, { CLI_USAGE, "1e3", 0 },
	{ CLI_USAGE, "inf", 0 }, { CLI_USAGE, "nan", 0 }, { CLI_USAGE, "10x", 0 }, { CLI_USAGE, "1.5.2", 0 },
	{ CLI_USAGE, " 1", 0 }, { CLI_USAGE, "0x10", 0 }, { CLI_USAGE, "s", 0 },
};

static void test_durations(void)
{
	for (size_t i = 0; i < sizeof(durations) / sizeof(durations[0]); i++) {
		double v = -7;
		int r;

		capture_begin();
		r = cli_parse_duration("--interval", durations[i].in, &v);
		capture_end();
		is_int(r, durations[i].err, "duration '%s'", durations[i].in);
		ok(durations[i].err ? v == -7 : (v - durations[i].want < 1e-12 && durations[i].want - v < 1e-12),
		   "... value %g", v);
	}
	is_str(msg, "numaplace: invalid --interval 's': expected seconds, or a number with a unit: us, "
		    "ms, s, m or h (such as 1.5s)", "duration: one message");
}

static const struct {
	int err;
	const char *in;
	pid_t want;
} pids[] = {
	{ 0, "1", 1 }, { 0, "4194304", 4194304 }, { CLI_USAGE, "0", 0 }, { CLI_USAGE, "4194305", 0 },
	{ CLI_USAGE, "-1", 0 }, { CLI_USAGE, "abc", 0 }, { CLI_USAGE, "12 ", 0 }, { CLI_USAGE, "", 0 },
};

static void test_pids(void)
{
	for (size_t i = 0; i < sizeof(pids) / sizeof(pids[0]); i++) {
		pid_t v = 0xdead;
		int r;

		capture_begin();
		r = cli_parse_pid("pid", pids[i].in, &v);
		capture_end();
		is_int(r, pids[i].err, "pid '%s'", pids[i].in);
		is_int(v, pids[i].err ? 0xdead : pids[i].want, "... value");
	}
	is_str(msg, "numaplace: invalid pid '': expected a process id, a number from 1 to 4194304",
	       "pid: one message");
}

static const struct {
	int err;
	const char *in;
	unsigned int rank, size;
} ranks[] = {
	{ 0, "0/1", 0, 1 }, { 0, "3/4", 3, 4 }, { CLI_USAGE, "2/2", 0, 0 }, { CLI_USAGE, "0/0", 0, 0 },
	{ CLI_USAGE, "1", 0, 0 }, { CLI_USAGE, "1/2x", 0, 0 }, { CLI_USAGE, "0/99999999999", 0, 0 },
	{ CLI_USAGE, "-1/2", 0, 0 }, { CLI_USAGE, "/2", 0, 0 }, { CLI_USAGE, "1/", 0, 0 },
};

static void unset_launcher(void)
{
	for (size_t i = 0; cli_launcher_vars[i]; i++)
		unsetenv(cli_launcher_vars[i]);
	unsetenv("SLURM_NTASKS_PER_NODE");
}

static void test_ranks(void)
{
	unsigned int r, n;

	for (size_t i = 0; i < sizeof(ranks) / sizeof(ranks[0]); i++) {
		r = n = 0xdead;
		capture_begin();
		is_int(cli_parse_ranks("--ranks", ranks[i].in, &r, &n), ranks[i].err, "ranks '%s'",
		       ranks[i].in);
		capture_end();
		ok(ranks[i].err ? r == 0xdead && n == 0xdead : r == ranks[i].rank && n == ranks[i].size,
		   "... value %u/%u", r, n);
	}
	is_str(msg, "numaplace: invalid --ranks '1/': expected auto or R/N with R < N", "ranks: one message");
	unset_launcher();
	capture_begin();
	is_int(cli_parse_ranks("--ranks", "auto", &r, &n), -ENOENT, "auto outside a launcher");
	capture_end();
	is_str(msg, "numaplace: invalid --ranks 'auto': no launcher variable found (OMPI_COMM_WORLD_LOCAL_RANK, "
		    "MPI_LOCALRANKID, PMI_LOCAL_RANK, PALS_LOCAL_RANKID, SLURM_LOCALID, LOCAL_RANK); use --ranks R/N",
	       "... names every launcher variable");
	/* the CLI's list is the library's: each variable alone is read by np_local_rank() */
	for (size_t i = 0; cli_launcher_vars[i]; i++) {
		unset_launcher();
		setenv(cli_launcher_vars[i], "7", 1);
		ok(np_local_rank(&r, &n) != -ENOENT, "np_local_rank() reads %s", cli_launcher_vars[i]);
	}
	unset_launcher();
}

int main(void)
{
	test_sizes();
	test_counts();
	test_modes();
	test_hexes();
	test_durations();
	test_pids();
	test_ranks();
	printf("1..%d\n", tap_run);
	return tap_failed != 0;
}
