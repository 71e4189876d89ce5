/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * topo-print.h - the printers of `numaplace topo` (cli/topo-text.c, cli/topo-json.c).
 */
#ifndef NP_CLI_TOPO_PRINT_H
#define NP_CLI_TOPO_PRINT_H

#include <stdbool.h>

#include "numaplace.h"

/* the whole model as one JSON object on stdout */
void topo_print_json(const struct np_topo *t);
/* the tree as text on stdout; @verbose: every core and its caches */
void topo_print_text(const struct np_topo *t, bool verbose);

struct json;
/* HMAT access classes as a table, memory tiers, demotion, NUMA balancing (cli/topo-memory.c) */
void topo_print_memory_text(const struct np_topo *t);
/* the same as keys of the top-level object: memory_tiers, demotion_enabled, numa_balancing */
void topo_json_memory(struct json *j, const struct np_topo *t);

#endif
