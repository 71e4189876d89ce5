/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * t-rankbind.c - accelerator-local ranks (lib/rankbind.c, lib/rankdev.c) on captured machines:
 * the shared nvidiagpunumanodes (6 GPUs without numa_node, 4 cores of 4 threads per node, two
 * L3 per node) and the hwloc captures of tests/fixtures/ranks (NICs).  Expectations are worked
 * out by hand from the captures' sysfs files; tests/cli/t3100-ranks.sh covers more machines.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "extras.h"

static struct np_topo *load(const char *dir)
{
	struct np_topo *t = NULL;

	/* the capture's process limits are not this test's subject */
	if (np_topo_load(dir, NP_TOPO_NO_LIMITS | NP_TOPO_NO_HMAT, &t) < 0)
		bail_out("cannot load a capture");
	return t;
}

static void test_devices(const struct np_topo *t)
{
	const struct np_device **d = (const struct np_device **)(uintptr_t)1;
	unsigned int n = 99;
	size_t pos = 0;

	is_int(np_rank_devices(t, NP_NEAR_GPU, NULL, &d, &n, NULL), 0, "devices: all GPUs");
	is_int(n, 6, "six GPUs");
	is_int(np_rank_device_node(t, d[0]), 0, "gpu0: node 0 from its local CPUs 0-15");
	is_int(np_rank_device_node(t, d[3]), 8, "gpu3: node 8 from its local CPUs 88-103");
	free(d);
	is_int(np_rank_devices(t, NP_NEAR_GPU, "5,0", &d, &n, NULL), 0, "visible 5,0");
	is_int(n, 2, "two visible");
	is_str(np_device_name(d[0]), "gpu5", "entry 0 is gpu5");
	is_str(np_device_name(d[1]), "gpu0", "entry 1 is gpu0");
	free(d);
	d = NULL;
	n = 77;
	is_int(np_rank_devices(t, NP_NEAR_GPU, "1,6", &d, &n, &pos), -ENODEV, "index past the GPUs");
	is_int(pos, 2, "errpos: the bad entry");
	ok(d == NULL && n == 77, "outputs untouched on failure");
	is_int(np_rank_devices(t, NP_NEAR_GPU, "0,MIG-1", &d, &n, &pos), -ENODEV, "MIG entry");
	is_int(np_rank_devices(t, NP_NEAR_GPU, "GPU-1234", &d, &n, &pos), -ENODEV,
	       "a UUID the capture cannot map (no driver file)");
	is_int(np_rank_devices(t, NP_NEAR_GPU, "", &d, &n, NULL), 0, "empty list");
	is_int(n, 0, "empty list: no GPU visible");
	free(d);
	is_int(np_rank_devices(t, (enum np_rank_near)7, NULL, &d, &n, NULL), -EINVAL, "bad near");
}

/* rank @rank of @size in @mode, as "cpus/nodes/share/shares/shared" or "E<errno>" */
static const char *bind(const struct np_topo *t, enum np_rank_mode mode, unsigned int rank,
			unsigned int size, const char *visible, bool avoid)
{
	static char buf[256];
	struct np_rank_opts o = { .mode = mode, .visible = visible, .smt_avoid = avoid };
	struct np_rank_place p;
	int r = np_rank_bind(t, rank, size, &o, &p);

	if (r < 0) {
		snprintf(buf, sizeof(buf), "E%d", -r);
		return buf;
	}
	snprintf(buf, sizeof(buf), "%s", list(p.cpus));
	snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "/%s/%u/%u/%d", list(p.nodes),
		 p.share, p.shares, p.shared);
	np_rank_place_release(&p);
	return buf;
}

static void test_modes(const struct np_topo *t)
{
	is_str(bind(t, NP_RANK_NODE, 0, 6, NULL, false), "0-15/0/0/3/1", "node: rank 0");
	is_str(bind(t, NP_RANK_NODE, 4, 6, NULL, false), "88-103/8/1/3/1", "node: rank 4");
	is_str(bind(t, NP_RANK_SOCKET, 5, 6, NULL, false), "88-103/8/2/3/1", "socket: rank 5");
	is_str(bind(t, NP_RANK_EXCLUSIVE, 0, 6, NULL, false), "0-7/0/0/3/0", "exclusive: 2 cores");
	is_str(bind(t, NP_RANK_EXCLUSIVE, 1, 6, NULL, false), "8-11/0/1/3/0", "exclusive: 1 core");
	is_str(bind(t, NP_RANK_EXCLUSIVE, 2, 6, NULL, true), "12/0/2/3/0", "exclusive, smt avoid");
	is_str(bind(t, NP_RANK_EXCLUSIVE, 3, 4, NULL, false), "88-103/8/0/1/0",
	       "exclusive: alone on node 8");
	is_str(bind(t, NP_RANK_CORE_COMPLEX, 1, 6, NULL, false), "8-15/0/1/3/1", "core-complex: L3 1");
	is_str(bind(t, NP_RANK_CORE_COMPLEX, 2, 6, NULL, false), "0-7/0/2/3/1",
	       "core-complex: wraps round");
	is_str(bind(t, NP_RANK_CORE_COMPLEX, 0, 2, NULL, false), "0-7/0/0/2/0",
	       "core-complex: two ranks, two L3");
	is_str(bind(t, NP_RANK_NODE, 0, 2, "4,1", false), "88-103/8/0/1/0", "visible 4,1: rank 0");
	is_str(bind(t, NP_RANK_EXCLUSIVE, 4, 5, "0,1,2,0,1", false), "E16",
	       "exclusive: 5 ranks on 4 cores -EBUSY");
	is_str(bind(t, NP_RANK_NODE, 6, 7, NULL, false), "E34", "rank 6: no seventh GPU -ERANGE");
	is_str(bind(t, NP_RANK_NODE, 6, 7, "0,1,2,3,4,5,0", false), "0-15/0/3/4/1",
	       "a list longer than the GPUs: gpu0 twice, rank 6 the 4th peer on node 0");
	is_str(bind(t, NP_RANK_NODE, 0, 1, "x", false), "E19", "bad visible -ENODEV");
	is_str(bind(t, NP_RANK_NODE, 2, 2, NULL, false), "E22", "rank >= size -EINVAL");
	is_str(bind(t, (enum np_rank_mode)9, 0, 1, NULL, false), "E22", "bad mode -EINVAL");
}

/* the shares of exclusive are disjoint and cover the node's CPUs, for every count of ranks */
static void test_cover(const struct np_topo *t)
{
	static const char *const vis[] = { "0", "0,1", "0,1,2", "0,1,2,0" };

	for (unsigned int k = 0; k < 4; k++) {
		struct np_rank_opts o = { .mode = NP_RANK_EXCLUSIVE, .visible = vis[k] };
		struct np_cpuset *all = NULL;
		bool disjoint = true;

		np_cpuset_new(np_topo_cpu_size(t), &all);
		for (unsigned int r = 0; r <= k; r++) {
			struct np_rank_place p;

			if (np_rank_bind(t, r, k + 1, &o, &p) < 0) {
				disjoint = false;
				break;
			}
			disjoint &= !np_cpuset_intersects(all, p.cpus);
			np_cpuset_or(all, all, p.cpus);
			np_rank_place_release(&p);
		}
		ok(disjoint, "exclusive, %u ranks on node 0: disjoint", k + 1);
		is_str(list(all), "0-15", "exclusive, %u ranks on node 0: cover the node", k + 1);
		np_cpuset_free(all);
	}
}

static void test_names(void)
{
	for (int m = NP_RANK_NODE; m <= NP_RANK_CORE_COMPLEX; m++)
		is_int(np_rank_mode_parse(np_rank_mode_name((enum np_rank_mode)m)), m, "mode %s",
		       np_rank_mode_name((enum np_rank_mode)m));
	is_int(np_rank_mode_parse("sockets"), -EINVAL, "bad mode name");
	ok(np_rank_mode_name((enum np_rank_mode)4) == NULL, "no name past the enum");
	np_rank_place_release(NULL);
	ok(1, "np_rank_place_release(NULL) is a no-op");
}

/* in a child: export @name's device with NCCL_IB_HCA preset; print what the child sees */
static void test_nic(const struct np_topo *t, const char *name, const char *want)
{
	int fd[2], st = 0;
	char buf[512] = "";
	ssize_t len;
	pid_t pid;

	if (pipe(fd) < 0)
		bail_out("pipe");
	pid = fork();
	if (pid == 0) {
		const struct np_device *d = np_topo_device_find(t, name);
		int r;

		setenv("NCCL_IB_HCA", "mlx5_9", 1);
		unsetenv("UCX_NET_DEVICES");
		unsetenv("NCCL_SOCKET_IFNAME");
		r = np_rank_nic_setenv(d);
		dprintf(fd[1], "%d %s %s %s", r, getenv("NCCL_IB_HCA"),
			getenv("UCX_NET_DEVICES") ? getenv("UCX_NET_DEVICES") : "-",
			getenv("NCCL_SOCKET_IFNAME") ? getenv("NCCL_SOCKET_IFNAME") : "-");
		_exit(0);
	}
	close(fd[1]);
	len = read(fd[0], buf, sizeof(buf) - 1);
	buf[len > 0 ? len : 0] = '\0';
	close(fd[0]);
	waitpid(pid, &st, 0);
	is_str(buf, want, "nic %s: NCCL and UCX variables, the user's kept", name);
}

static void test_nics(void)
{
	char dir[] = "/tmp/t-rankbind.XXXXXX", cmd[8192];
	struct np_rank_place p;
	struct np_rank_opts o = { .near = NP_NEAR_NIC };
	struct np_topo *t;

	if (!mkdtemp(dir))
		bail_out("mkdtemp");
	snprintf(cmd, sizeof(cmd), "tar xzf '%s/tests/fixtures/ranks/fakepcilocalities/fsroot.tar.gz'"
		 " -C '%s'", srcdir, dir);
	if (system(cmd) != 0)
		bail_out("cannot extract fakepcilocalities");
	t = load(dir);
	is_int(np_rank_bind(t, 0, 1, &o, &p), 0, "fakepcilocalities: --near nic rank 0");
	is_str(np_device_name(p.dev), "qib0", "InfiniBand before net");
	is_str(list(p.cpus), "1,5,9,13,17,21,25,29,33,37", "node 1's CPUs");
	ok(p.nic == p.dev, "the NIC is the device");
	np_rank_place_release(&p);
	test_nic(t, "qib0", "0 mlx5_9 qib0:1 -");
	test_nic(t, "eth2", "0 mlx5_9 eth2 eth2");
	test_nic(t, "sda", "-22 mlx5_9 - -");
	np_topo_free(t);
	remove_dir(dir);
}

int main(void)
{
	char dir[] = "/tmp/t-rankbind.XXXXXX";
	struct np_topo *t;

	extras_init();
	if (extract_capture("nvidiagpunumanodes", dir) < 0) {
		printf("1..0 # SKIP shared capture nvidiagpunumanodes not found\n");
		return 0;
	}
	t = load(dir);
	test_devices(t);
	test_modes(t);
	test_cover(t);
	np_topo_free(t);
	remove_dir(dir);
	test_names();
	test_nics();
	done_testing();
	return exit_status();
}
