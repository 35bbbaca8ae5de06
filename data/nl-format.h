/* nl-format.h — what a file is, from its first bytes (and, for writing, its name). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  NL_FORMAT_UNKNOWN,
  NL_FORMAT_JSON,
  NL_FORMAT_JSON_GZ,   /* gzip; JSON inside as far as NetLoom is concerned */
  NL_FORMAT_HDF5,      /* plain HDF5: NetLoom native, SONATA or NetPyNE hdf5storage */
  NL_FORMAT_MAT5,      /* MATLAB 5 (scipy.io.savemat) */
  NL_FORMAT_MAT73,     /* MATLAB 7.3: HDF5 behind a 512-byte MAT header */
  NL_FORMAT_PICKLE,
  NL_FORMAT_CSV,       /* text that is not JSON */
  NL_FORMAT_NETLOOM_H5, /* HDF5 with the root attribute netloom_format (nl_format_detect_file only) */
} NlFormat;

NlFormat     nl_format_sniff          (const guint8 *head,
                                       gsize         len);
/* Reads the first bytes of the file; an HDF5 file is opened to tell NetLoom's own. */
NlFormat     nl_format_detect_file    (const char   *filename,
                                       GError      **error);
const char  *nl_format_to_string      (NlFormat      format);

G_END_DECLS
