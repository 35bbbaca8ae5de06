#include "nl-results-read.h"

#include "nl-format.h"
#include "nl-h5.h"
#include "nl-mat.h"
#include "nl-results-write.h"   /* nl_spikes_csv_read */

/* Format dispatch: sniff the first bytes, hand the file to its reader. */

NlResults *
nl_results_read (const char  *filename,
                 GError     **error)
{
  g_autoptr(GError) local = NULL;
  NlFormat format;

  g_return_val_if_fail (filename != NULL, NULL);

  format = nl_format_detect_file (filename, &local);
  if (local)
    {
      g_set_error (error, local->domain, local->code, "%s: %s", filename, local->message);
      return NULL;
    }
  switch (format)
    {
    case NL_FORMAT_JSON:
    case NL_FORMAT_JSON_GZ:
      return nl_netpyne_json_read (filename, error);
    case NL_FORMAT_HDF5:
      if (nl_hdf5storage_sniff (filename, TRUE))
        return nl_hdf5storage_read (filename, error);
      return nl_sonata_read (filename, error);
    case NL_FORMAT_NETLOOM_H5:
      return nl_h5_read_results (filename, error);
    case NL_FORMAT_CSV:
      return nl_spikes_csv_read (filename, -1, -1, error);
    case NL_FORMAT_PICKLE:
      return nl_netpyne_pickle_read (filename, error);
    case NL_FORMAT_MAT5:
      return nl_netpyne_mat_read (filename, error);
    case NL_FORMAT_MAT73:
      /* hdf5storage (NetPyNE's saveHDF5) also writes a MATLAB 7.3 header. */
      if (nl_hdf5storage_sniff (filename, FALSE))
        return nl_hdf5storage_read (filename, error);
      return nl_netpyne_mat_read (filename, error);
    case NL_FORMAT_UNKNOWN:
    default:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: not a results file NetLoom knows (expected NetPyNE JSON, MAT, HDF5, "
                   "pickle, SONATA or NetLoom .h5)", filename);
      return NULL;
    }
}
