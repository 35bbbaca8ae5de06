/* nl-h5-private.h — what the native .h5 writer and reader share: the libhdf5 set-up and
 * the translation of its error stack into a message. */
#pragma once

#include <glib.h>
#include <hdf5.h>

#include "nl-h5.h"

G_BEGIN_DECLS

/* Silences libhdf5's error printing and forbids filter plugins (a file must not make the
 * reader load code). Idempotent. */
void  nl_h5_init             (void);
/* The innermost message on libhdf5's error stack ("No space left on device"), or NULL;
 * clears the stack. */
char *nl_h5_take_error       (void);

/* nl_h5_write, choosing how: `in_memory` builds the file in memory and writes it out in one
 * go (what nl_h5_write does where disk space cannot be reserved); otherwise libhdf5 writes
 * into space reserved for it. For tests. */
gboolean nl_h5_write_mode    (const char  *filename,
                              NlResults   *r,
                              NlSpec      *spec,
                              NlNetwork   *net,
                              gboolean     in_memory,
                              GError     **error);

/* The chunk (elements) of a 1-D column of `elem`-byte values: about 1 MiB. */
#define NL_H5_CHUNK_BYTES (1u << 20)

G_END_DECLS
