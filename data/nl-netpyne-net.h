/* nl-netpyne-net.h — a built network in NetPyNE's saved layout, for NetPyNE-aware tools. */
#pragma once

#include <nl-network.h>
#include <nl-spec.h>

G_BEGIN_DECLS

/* Writes {"net": {"cells": […], "pops": {…}, "params": netParams}, "simConfig": …} as
 * sim.saveData() does (cells with gid, tags, conns {preGid, sec, loc, synMech, weight,
 * delay, label}, stims). Streams, so the file may be larger than memory; written to a
 * temporary name and renamed; ".gz" compresses. */
gboolean nl_netpyne_write_net (NlSpec      *spec,
                               NlNetwork   *net,
                               const char  *filename,
                               GError     **error);

/* NetPyNE's net.cells array ([{gid, tags, conns, stims}, …]) appended to `buf`; `flush` is
 * called with a size limit as the text grows (write out buf when it is longer). */
typedef void (*NlNetFlush) (gpointer data, gsize limit);
void     nl_netpyne_net_append_cells (NlNetwork   *net,
                                      GString     *buf,
                                      NlNetFlush   flush,
                                      gpointer     data);

G_END_DECLS
