/* nl-h5-private.h — what the native .h5 writer and reader share: the libhdf5 set-up and
 * the translation of its error stack into a message. */
#pragma once

#include <glib.h>
#include <hdf5.h>

G_BEGIN_DECLS

/* Silences libhdf5's error printing and forbids filter plugins (a file must not make the
 * reader load code). Idempotent. */
void  nl_h5_init             (void);
/* The innermost message on libhdf5's error stack ("No space left on device"), or NULL;
 * clears the stack. */
char *nl_h5_take_error       (void);

/* The chunk (elements) of a 1-D column of `elem`-byte values: about 1 MiB. */
#define NL_H5_CHUNK_BYTES (1u << 20)

G_END_DECLS
