/* nl-sonata-out.h — internal to the SONATA circuit writer: a set of files written under
 * temporary names and renamed together, and HDF5 files written so that a failed write
 * (disk full) cannot break libhdf5.
 *
 * libhdf5 1.10 cannot recover from a failed write: the file then fails to close and the
 * library crashes at exit. Files made by nl_sonata_h5_create go through a copy of its sec2
 * driver whose writes never fail towards libhdf5: the first error is kept
 * (nl_h5_write_failed), later writes are skipped, and nl_h5_finish reports it after the
 * file is closed. One file is written at a time (the flag is global; libhdf5 is not
 * thread-safe here anyway).
 */
#pragma once

#include <gio/gio.h>
#include <hdf5.h>

G_BEGIN_DECLS

typedef struct {
  char *tmp;     /* NULL once renamed into place */
  char *final;
} NlOutFile;

typedef struct {
  char   *dir;
  GArray *files; /* NlOutFile */
} NlFileSet;

void        nl_file_set_init       (NlFileSet     *set,
                                    const char    *dir);
/* A fresh temporary name for `name` (relative to the folder, maybe in a subfolder, made if
 * needed); the file exists, empty. */
const char *nl_file_set_add        (NlFileSet     *set,
                                    const char    *name,
                                    GError       **error);
/* A text file of the set, written and synced. */
gboolean    nl_file_set_write_text (NlFileSet     *set,
                                    const char    *name,
                                    const GString *text,
                                    GError       **error);
/* Renames every file into place, in the order added, then syncs the folders. */
gboolean    nl_file_set_commit     (NlFileSet     *set,
                                    GError       **error);
/* Removes the temporary files not renamed (and subfolders made for them, when empty). */
void        nl_file_set_clear      (NlFileSet     *set);

/* A new HDF5 file with SONATA's root attributes (magic 0x0A7A, version [0, 1]), or -1. */
hid_t       nl_sonata_h5_create    (const char    *tmp);
gboolean    nl_h5_write_failed     (void);
/* Closes `file`, then reports a write error kept by the driver, or !ok, or syncs the file. */
gboolean    nl_h5_finish           (hid_t          file,
                                    gboolean       ok,
                                    const char    *tmp,
                                    const char    *name,
                                    GError       **error);
/* Sets "NAME: cannot write WHAT" (with the system's reason when a write failed); FALSE. */
gboolean    nl_h5_fail             (GError       **error,
                                    const char    *name,
                                    const char    *what);
herr_t      nl_h5_string_attr      (hid_t          obj,
                                    const char    *name,
                                    const char    *value);
/* An n-element (cols 1) or n × 2 (cols 2) dataset, contiguous, written later by slabs. */
hid_t       nl_h5_create_ds        (hid_t          group,
                                    const char    *name,
                                    hid_t          file_type,
                                    hsize_t        n,
                                    int            cols);
gboolean    nl_h5_write_slab       (hid_t          ds,
                                    hid_t          mem_type,
                                    hsize_t        at,
                                    hsize_t        n,
                                    int            cols,
                                    const void    *data);
gboolean    nl_h5_write_whole      (hid_t          group,
                                    const char    *name,
                                    hid_t          file_type,
                                    hid_t          mem_type,
                                    hsize_t        n,
                                    int            cols,
                                    const void    *data);

G_END_DECLS
