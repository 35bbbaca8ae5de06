/* data/nl-format: recognising files by their first bytes. */

#include <gio/gio.h>
#include <nl-format.h>
#include <string.h>

#include "nl-testutil.h"

static void
test_sniff (void)
{
  guint8 mat73[600] = "MATLAB 7.3 MAT-file, Platform: GLNXA64";
  guint8 h5_at_512[600] = { 0 };
  static const guint8 sig[8] = { 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n' };
  static const guint8 pickle4[] = { 0x80, 0x04, 0x95, 0x00 };
  static const guint8 gz[] = { 0x1f, 0x8b, 0x08, 0x00 };

  memcpy (h5_at_512 + 512, sig, 8);
  g_assert_cmpint (nl_format_sniff (sig, 8), ==, NL_FORMAT_HDF5);
  g_assert_cmpint (nl_format_sniff (h5_at_512, sizeof h5_at_512), ==, NL_FORMAT_HDF5);
  g_assert_cmpint (nl_format_sniff (mat73, sizeof mat73), ==, NL_FORMAT_MAT73);
  g_assert_cmpint (nl_format_sniff ((const guint8 *) "MATLAB 5.0 MAT-file", 19), ==, NL_FORMAT_MAT5);
  g_assert_cmpint (nl_format_sniff (pickle4, sizeof pickle4), ==, NL_FORMAT_PICKLE);
  g_assert_cmpint (nl_format_sniff (gz, sizeof gz), ==, NL_FORMAT_JSON_GZ);
  g_assert_cmpint (nl_format_sniff ((const guint8 *) " \n {\"a\":1}", 10), ==, NL_FORMAT_JSON);
  g_assert_cmpint (nl_format_sniff ((const guint8 *) "t_ms,gid\n1.5,3\n", 15), ==, NL_FORMAT_CSV);
  g_assert_cmpint (nl_format_sniff ((const guint8 *) "\xff\xfe\x00\x01", 4), ==, NL_FORMAT_UNKNOWN);
  g_assert_cmpint (nl_format_sniff (NULL, 0), ==, NL_FORMAT_UNKNOWN);
}

static void
test_reference_files (void)
{
  struct { const char *path; NlFormat want; } cases[] = {
    { "reference/netpyne/tut2/tut2_data.json.gz", NL_FORMAT_JSON_GZ },
    { "reference/netpyne/tut2/tut2_data.mat", NL_FORMAT_MAT5 },
    { "reference/netpyne/tut2/tut2_netParams.json", NL_FORMAT_JSON },
    { "reference/sonata/9_cells/output/spikes.h5", NL_FORMAT_HDF5 },
    { "reference/analysis/spikes_input.csv", NL_FORMAT_CSV },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = nl_test_shared_file (cases[i].path);
      g_autoptr(GError) error = NULL;
      if (!path)
        continue;
      g_assert_cmpstr (nl_format_to_string (nl_format_detect_file (path, &error)), ==,
                       nl_format_to_string (cases[i].want));
      g_assert_no_error (error);
    }
}

static void
test_missing (void)
{
  g_autoptr(GError) error = NULL;
  g_assert_cmpint (nl_format_detect_file ("/nonexistent.h5", &error), ==, NL_FORMAT_UNKNOWN);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/format/sniff", test_sniff);
  g_test_add_func ("/format/reference-files", test_reference_files);
  g_test_add_func ("/format/missing", test_missing);
  return g_test_run ();
}
