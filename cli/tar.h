/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tar.h - reading a tar archive in memory (cli/tar.c), without writing anything: the pure half
 * of unpacking a packed capture (cli/sysroot-tgz.c writes what this hands it).
 */
#ifndef NP_CLI_TAR_H
#define NP_CLI_TAR_H

#include <stddef.h>

#define CLI_TAR_NAME_MAX 4096 /* PATH_MAX: a longer name or link target is refused */

enum cli_tar_type { CLI_TAR_FILE, CLI_TAR_DIR, CLI_TAR_SYMLINK, CLI_TAR_HARDLINK, CLI_TAR_OTHER };

/*
 * struct cli_tar_entry - one member, checked: @name is relative and clean (no leading '/', no
 * empty, '.' or '..' component, no trailing '/'); @link is a symbolic link's target that stays
 * inside the archive's directory ('..' only as a prefix, never above the root) or a hard
 * link's clean name; @data and @size lie inside the buffer.  Pointers are valid during the
 * callback only.
 */
struct cli_tar_entry {
	enum cli_tar_type type;
	const char *name, *link;
	const unsigned char *data;
	size_t size;
};

/* where a walk failed: the offset of the header and its name (non-printables as '?'), if any */
struct cli_tar_where {
	size_t offset;
	char name[256];
};

typedef int (*cli_tar_fn)(const struct cli_tar_entry *e, void *arg);

/*
 * cli_tar_walk() - check every header of the ustar, GNU or pax archive @t of @len bytes in turn
 * and pass each entry (but the root directory itself and the long-name and pax headers that
 * carry the next entry's names) to @fn with @arg, until a zero block or the end of @t.
 * @where: if not NULL, set on failure to the header at fault.
 * Return: 0; what @fn returned when negative; -EINVAL a header whose checksum is wrong (at
 * offset 0, or under 512 bytes there: not a tar archive) or a malformed pax record; -ENODATA
 * an entry or header that runs past the end (truncated); -EFBIG a size in base-256 (over
 * 8 GiB); -ENAMETOOLONG a name or link of CLI_TAR_NAME_MAX bytes or more; -EPERM a name with
 * a '..' component; -EXDEV a symbolic link out of the directory (absolute, or '..' past the
 * root or after a name) or a hard link to a name with '..'.
 */
int cli_tar_walk(const unsigned char *t, size_t len, cli_tar_fn fn, void *arg,
		 struct cli_tar_where *where);

#endif /* NP_CLI_TAR_H */
