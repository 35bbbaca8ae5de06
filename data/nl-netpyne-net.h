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

G_END_DECLS
