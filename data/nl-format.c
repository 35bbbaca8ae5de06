#include "nl-format.h"
#include "nl-h5.h"

#include <gio/gio.h>
#include <string.h>

/* The HDF5 superblock may sit at 0, 512, 1024, 2048 …; MAT 7.3 puts its text header first. */
static const guint8 hdf5_sig[8] = { 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n' };

#define NL_FORMAT_HEAD 1024

NlFormat
nl_format_sniff (const guint8 *head,
                 gsize         len)
{
  if (len >= 8 && memcmp (head, hdf5_sig, 8) == 0)
    return NL_FORMAT_HDF5;
  if (len >= 10 && memcmp (head, "MATLAB 7.3", 10) == 0)
    return NL_FORMAT_MAT73;
  if (len >= 520 && memcmp (head + 512, hdf5_sig, 8) == 0)
    return NL_FORMAT_HDF5;
  if (len >= 6 && memcmp (head, "MATLAB", 6) == 0)
    return NL_FORMAT_MAT5;
  if (len >= 2 && head[0] == 0x1f && head[1] == 0x8b)
    return NL_FORMAT_JSON_GZ;
  if (len >= 2 && head[0] == 0x80 && head[1] >= 2 && head[1] <= 5)
    return NL_FORMAT_PICKLE;
  for (gsize i = 0; i < len; i++)
    {
      guint8 c = head[i];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
        continue;
      if (c == '{' || c == '[')
        return NL_FORMAT_JSON;
      break;
    }
  /* Text that is valid UTF-8 is taken for CSV; the CSV reader says more if it is not. */
  if (len > 0 && g_utf8_validate ((const char *) head, MIN (len, 512), NULL))
    return NL_FORMAT_CSV;
  return NL_FORMAT_UNKNOWN;
}

NlFormat
nl_format_detect_file (const char  *filename,
                       GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (filename);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, error);
  guint8 head[NL_FORMAT_HEAD];
  gsize got = 0;

  if (!in)
    return NL_FORMAT_UNKNOWN;
  if (!g_input_stream_read_all (G_INPUT_STREAM (in), head, sizeof head, &got, NULL, error))
    return NL_FORMAT_UNKNOWN;
  /* Cut a multi-byte character the head may have split, so UTF-8 text stays valid. */
  while (got > 0 && got == sizeof head && (head[got - 1] & 0x80))
    got--;
  NlFormat format = nl_format_sniff (head, got);
  if (format == NL_FORMAT_HDF5 && nl_h5_is_native (filename))
    return NL_FORMAT_NETLOOM_H5;
  return format;
}

const char *
nl_format_to_string (NlFormat format)
{
  switch (format)
    {
    case NL_FORMAT_JSON: return "json";
    case NL_FORMAT_JSON_GZ: return "json.gz";
    case NL_FORMAT_HDF5: return "hdf5";
    case NL_FORMAT_MAT5: return "mat5";
    case NL_FORMAT_MAT73: return "mat73";
    case NL_FORMAT_PICKLE: return "pickle";
    case NL_FORMAT_CSV: return "csv";
    case NL_FORMAT_NETLOOM_H5: return "netloom-h5";
    case NL_FORMAT_UNKNOWN:
    default: return "unknown";
    }
}
