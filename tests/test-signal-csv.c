/* data/nl-signal-csv: multichannel signals from CSV (the input of `analyze psd` and friends). */
#include <math.h>
#include <string.h>
#include <nl-signal-csv.h>

#include "nl-testutil.h"

static NlSignals *
parse (const char *text, GError **error)
{
  return nl_signals_csv_parse (text, strlen (text), "in.csv", error);
}

static void
test_header_and_layout (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NlSignals) s = parse ("x, \"y\"\r\n1,2\r\n\r\n3.5,-4e-3\r\n", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (s->n_channels, ==, 2);
  g_assert_cmpuint (s->n_samples, ==, 2);
  g_assert_cmpstr (s->names[0], ==, "x");
  g_assert_cmpstr (s->names[1], ==, "y");
  g_assert_null (s->names[2]);
  g_assert_cmpfloat (nl_signals_channel (s, 0)[1], ==, 3.5);
  g_assert_cmpfloat (nl_signals_channel (s, 1)[0], ==, 2);
  g_assert_cmpfloat (nl_signals_channel (s, 1)[1], ==, -4e-3);
}

static void
test_no_header_tabs_comments (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NlSignals) s = parse ("# fs = 1000\n1\t2\t3\n4\t5\t6\n", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (s->n_channels, ==, 3);
  g_assert_cmpuint (s->n_samples, ==, 2);
  g_assert_cmpstr (s->names[2], ==, "ch2");
  g_assert_cmpfloat (nl_signals_channel (s, 2)[1], ==, 6);
}

static void
test_description_line (void)
{
  g_autoptr(GError) error = NULL;
  /* The reference files start with a description that has commas of its own. */
  g_autoptr(NlSignals) s = parse ("rows=time (dt=1 ms), cols=3 electrodes at y=0,100,200 um\n"
                                  "1,2,3\n4,5,6\n7,8,9\n", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (s->n_channels, ==, 3);
  g_assert_cmpuint (s->n_samples, ==, 3);
  g_assert_cmpstr (s->names[0], ==, "ch0");
  g_assert_cmpfloat (nl_signals_channel (s, 1)[2], ==, 8);
}

static void
test_reference_files (void)
{
  static const struct { const char *file; guint channels; guint64 samples; } cases[] = {
    { "reference/analysis/spectral_input.csv", 1, 4096 },
    { "reference/analysis/granger_var2_data.csv", 2, 20000 },
    { "reference/analysis/csd_input_lfp.csv", 12, 3000 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = nl_test_shared_file (cases[i].file);
      g_autoptr(GError) error = NULL;
      g_autoptr(NlSignals) s = NULL;

      if (!path)
        return;
      s = nl_signals_csv_read (path, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (s->n_channels, ==, cases[i].channels);
      g_assert_cmpuint (s->n_samples, ==, cases[i].samples);
    }
  /* The first sample of the spectral input, as printed in the file. */
  {
    g_autofree char *path = nl_test_shared_file ("reference/analysis/spectral_input.csv");
    g_autoptr(NlSignals) s = nl_signals_csv_read (path, NULL);
    g_assert_cmpfloat (nl_signals_channel (s, 0)[0], ==, 0.79213196458262569);
  }
}

static void
test_bad (void)
{
  static const struct { const char *text; const char *message; } cases[] = {
    { "a,b\n1,2\n3\n", "in.csv:3: 1 fields, expected 2" },
    { "a,b\n1,2\n3,x\n", "in.csv:3: column 2 (b): 'x' is not a number" },
    { "a,b\n1,nan\n", "in.csv:2: column 2 (b): nan is not finite" },
    { "1,inf\n", "in.csv:1: column 2 (ch1): inf is not finite" },
    { "a,b\n1,\n", "in.csv:2: column 2 (b): '' is not a number" },
    { "a,b\n", "in.csv: no samples" },
    { "", "in.csv: no samples" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(NlSignals) s = parse (cases[i].text, &error);
      g_assert_null (s);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      if (!g_str_has_prefix (error->message, cases[i].message))
        g_error ("case %u: '%s' does not start with '%s'", i, error->message, cases[i].message);
    }
  {
    g_autoptr(GError) error = NULL;
    g_assert_null (nl_signals_csv_parse ("1,2\n\0\n", 6, "bin.csv", &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    g_assert_true (strstr (error->message, "NUL") != NULL);
  }
  {
    g_autoptr(GError) error = NULL;
    g_assert_null (nl_signals_csv_read ("/nonexistent/x.csv", &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
    g_assert_true (strstr (error->message, "/nonexistent/x.csv") != NULL);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/signal-csv/header-and-layout", test_header_and_layout);
  g_test_add_func ("/signal-csv/no-header-tabs-comments", test_no_header_tabs_comments);
  g_test_add_func ("/signal-csv/description-line", test_description_line);
  g_test_add_func ("/signal-csv/reference-files", test_reference_files);
  g_test_add_func ("/signal-csv/bad", test_bad);
  return g_test_run ();
}
