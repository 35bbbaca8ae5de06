/* sim/nl-mech: NetLoom's Izhikevich mechanisms compile with NEURON's makefile into a cached
 * library, broken .mod files are reported by name, and the compiled cells spike as the
 * published equations say (checked against an integration of those equations here). */

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <nl-mech.h>
#include <nl-neuron.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nl-testutil.h"

static char *cache_dir;

static gboolean
have_toolchain (void)
{
  g_autofree char *nrniv = nl_neuron_find_nrniv ();
  g_autofree char *cc = g_find_program_in_path ("cc");
  g_autofree char *cxx = g_find_program_in_path ("c++");
  g_autofree char *make = g_find_program_in_path ("make");

  if (!nrniv)
    g_test_skip ("nrniv is not installed");
  else if (!cc || !cxx)
    g_test_skip ("no C/C++ compiler (cc, c++)");
  else if (!make)
    g_test_skip ("make is not installed");
  return nrniv && cc && cxx && make;
}

static char *
make_dir (const char *name)
{
  char *dir = g_build_filename (nl_test_tmpdir (), name, NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  return dir;
}

static void
put (const char *dir, const char *name, const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static char *
join_names (GPtrArray *names)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < names->len; i++)
    g_string_append_printf (s, "%s%s", i ? " " : "", (const char *) g_ptr_array_index (names, i));
  return g_string_free (s, FALSE);
}

/* NetLoom's library, compiled once for the whole suite (the first call times the build). */
static char *
own_library (void)
{
  static char *so;
  g_autoptr(GError) error = NULL;

  if (!so)
    {
      gint64 t0 = g_get_monotonic_time ();
      so = nl_mech_compile (NULL, NULL, &error);
      g_assert_no_error (error);
      g_test_message ("compiling NetLoom's mechanisms took %.3f s",
                      (g_get_monotonic_time () - t0) / 1e6);
    }
  return so;
}

/* ------------------------------------------------------------------------------------------ */

static void
test_list_own (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = nl_mech_list (NULL, &error);
  g_autofree char *joined = NULL;

  g_assert_no_error (error);
  joined = join_names (names);
  g_assert_cmpstr (joined, ==, "Izhi2003a Izhi2003b Izhi2007a Izhi2007b");
}

static void
test_list_parse (void)
{
  g_autofree char *dir = make_dir ("list");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autofree char *joined = NULL;

  put (dir, "a.mod",
       "COMMENT\nNEURON { SUFFIX fake_in_comment }\nENDCOMMENT\n"
       ": NEURON { SUFFIX fake_in_line_comment }\n"
       "NEURON {\n  SUFFIX kdr : the real one\n  USEION k READ ek WRITE ik\n  RANGE gbar\n}\n"
       "VERBATIM\n/* POINT_PROCESS fake_in_c */\nENDVERBATIM\n"
       "BREAKPOINT { ik = 0 }\n");
  put (dir, "b.mod", "NEURON {\n\tPOINT_PROCESS MySyn\n\tRANGE tau\n}\nPARAMETER { tau = 1 }\n");
  put (dir, "c.mod", "NEURON { ARTIFICIAL_CELL Pacer }\n");
  put (dir, "d.mod", "NEURON { SUFFIX nothing }\nPROCEDURE f() { }\n");
  put (dir, "plain.mod", "PARAMETER { x = 1 }\n");
  put (dir, "notes.txt", "NEURON { SUFFIX not_a_mod }\n");

  names = nl_mech_list (dir, &error);
  g_assert_no_error (error);
  joined = join_names (names);
  g_assert_cmpstr (joined, ==, "kdr MySyn Pacer plain");

  /* One mechanism in two files is an error naming both. */
  put (dir, "e.mod", "NEURON { SUFFIX kdr }\n");
  g_clear_pointer (&names, g_ptr_array_unref);
  names = nl_mech_list (dir, &error);
  g_assert_null (names);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "kdr"));
  g_assert_nonnull (strstr (error->message, "a.mod"));
  g_assert_nonnull (strstr (error->message, "e.mod"));
}

static void
test_own_dir (void)
{
  g_autofree char *saved = g_strdup (g_getenv ("NETLOOM_MOD_DIR"));
  g_autofree char *dir = NULL;

  g_setenv ("NETLOOM_MOD_DIR", "/somewhere/else", TRUE);
  dir = nl_mech_own_dir ();
  g_assert_cmpstr (dir, ==, "/somewhere/else");
  g_clear_pointer (&dir, g_free);
  g_unsetenv ("NETLOOM_MOD_DIR");
  dir = nl_mech_own_dir ();
  g_assert_nonnull (dir);
  g_assert_true (g_file_test (dir, G_FILE_TEST_IS_DIR));
  if (saved)
    g_setenv ("NETLOOM_MOD_DIR", saved, TRUE);
}

static void
test_bad_inputs (void)
{
  g_autofree char *empty = make_dir ("empty");
  g_autofree char *badname = make_dir ("badname");
  g_autoptr(GError) error = NULL;
  char *so;

  so = nl_mech_compile (empty, NULL, &error);
  g_assert_null (so);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  so = nl_mech_compile ("/nonexistent/mods", NULL, &error);
  g_assert_null (so);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A name that is not a C identifier never reaches the generated makefile. */
  put (badname, "x$(shell touch pwned).mod", "NEURON { SUFFIX x }\n");
  so = nl_mech_compile (badname, NULL, &error);
  g_assert_null (so);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME);
  g_assert_nonnull (strstr (error->message, "x$(shell touch pwned).mod"));
}

static void
test_compile_and_cache (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *again = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *expected_root = NULL;
  g_autofree char *mod_copy = NULL;
  guint builds;
  gint64 t0;
  GStatBuf st1, st2;
  const char *so;

  if (!have_toolchain ())
    return;
  so = own_library ();
  g_assert_true (g_file_test (so, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_str_has_suffix (so, "/libnrnmech.so"));
  expected_root = g_build_filename (cache_dir, "netloom", "mechs", NULL);
  g_assert_true (g_str_has_prefix (so, expected_root));
  dir = g_path_get_dirname (so);
  /* <root>/<sha-256 in hex>/ holding the sources it was built from. */
  g_assert_cmpuint (strlen (dir) - strlen (expected_root) - 1, ==, 64);
  mod_copy = g_build_filename (dir, "izhi2007b.mod", NULL);
  g_assert_true (g_file_test (mod_copy, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (g_stat (dir, &st1), ==, 0);

  builds = nl_mech_build_count ();
  g_assert_cmpuint (builds, >=, 1);
  t0 = g_get_monotonic_time ();
  again = nl_mech_compile (NULL, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("cache hit took %.1f ms", (g_get_monotonic_time () - t0) / 1e3);
  g_assert_cmpstr (again, ==, so);
  g_assert_cmpuint (nl_mech_build_count (), ==, builds);
  g_assert_cmpint (g_stat (dir, &st2), ==, 0);
  g_assert_cmpint ((gint64) st1.st_mtime, ==, (gint64) st2.st_mtime);
}

static void
assert_no_scratch_left (const char *root)
{
  g_autoptr(GDir) d = g_dir_open (root, 0, NULL);
  const char *name;
  while (d && (name = g_dir_read_name (d)))
    g_assert_false (g_str_has_prefix (name, ".build-"));
}

static void
test_broken (void)
{
  g_autofree char *dir = make_dir ("broken");
  g_autofree char *root = NULL;
  g_autoptr(GError) error = NULL;
  guint builds = nl_mech_build_count ();
  char *so;

  if (!have_toolchain ())
    return;
  put (dir, "fine.mod", "NEURON { SUFFIX fine RANGE g }\nPARAMETER { g = 1 }\n");
  put (dir, "broken.mod",
       "NEURON { SUFFIX broken RANGE gbar }\nPARAMETER { gbar = 1 }\nBREAKPOINT { x = = 2 }\n");
  put (dir, "badc.mod",
       "NEURON { SUFFIX badc }\nBREAKPOINT {\nVERBATIM\n  this is not C;\nENDVERBATIM\n}\n");
  so = nl_mech_compile (dir, NULL, &error);
  g_assert_null (so);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_test_message ("%s", error->message);
  g_assert_cmpuint (nl_mech_build_count (), ==, builds + 1);
  /* Both failures are named, each with the translator's or the compiler's own words… */
  g_assert_nonnull (strstr (error->message, "broken.mod: NEURON could not compile"));
  g_assert_nonnull (strstr (error->message, "syntax error"));
  g_assert_nonnull (strstr (error->message, "badc.mod: NEURON could not compile"));
  g_assert_nonnull (strstr (error->message, "error:"));
  /* …and the file that compiled is not blamed. */
  g_assert_null (strstr (error->message, "fine.mod"));
  /* Nothing half-built stays in the cache. */
  root = g_build_filename (cache_dir, "netloom", "mechs", NULL);
  assert_no_scratch_left (root);
}

typedef struct
{
  const char *mod_dir;
  char       *so;
  GError     *error;
} CompileJob;

static gpointer
compile_thread (gpointer data)
{
  CompileJob *job = data;
  job->so = nl_mech_compile (job->mod_dir, NULL, &job->error);
  return NULL;
}

/* Two compilations of the same new inputs at once (as two processes would) both succeed and
   agree; the cache then holds one complete folder for them and no scratch. */
static void
test_concurrent (void)
{
  g_autofree char *dir = make_dir ("concurrent");
  g_autofree char *root = g_build_filename (cache_dir, "netloom", "mechs", NULL);
  g_autofree char *libdir = NULL;
  CompileJob jobs[2] = { { dir, NULL, NULL }, { dir, NULL, NULL } };
  GThread *threads[2];
  guint builds = nl_mech_build_count ();

  if (!have_toolchain ())
    return;
  put (dir, "leak.mod",
       "NEURON { SUFFIX leak_concurrent NONSPECIFIC_CURRENT i RANGE g, e }\n"
       "PARAMETER { g = 0.001 (S/cm2) e = -70 (mV) }\n"
       "ASSIGNED { v (mV) i (mA/cm2) }\n"
       "BREAKPOINT { i = g*(v - e) }\n");
  for (int i = 0; i < 2; i++)
    threads[i] = g_thread_new ("compile", compile_thread, &jobs[i]);
  for (int i = 0; i < 2; i++)
    g_thread_join (threads[i]);

  for (int i = 0; i < 2; i++)
    {
      g_assert_no_error (jobs[i].error);
      g_assert_true (g_file_test (jobs[i].so, G_FILE_TEST_IS_REGULAR));
    }
  g_assert_cmpstr (jobs[0].so, ==, jobs[1].so);
  /* Normally both compile (neither finds the other's folder yet) and one rename wins; a thread
     started very late may find the folder already there. */
  g_assert_cmpuint (nl_mech_build_count (), >=, builds + 1);
  g_assert_cmpuint (nl_mech_build_count (), <=, builds + 2);
  g_test_message ("%u compilations for two concurrent calls", nl_mech_build_count () - builds);
  libdir = g_path_get_dirname (jobs[0].so);
  g_assert_true (g_str_has_prefix (libdir, root));
  assert_no_scratch_left (root);
  for (int i = 0; i < 2; i++)
    g_free (jobs[i].so);
}

static gpointer
cancel_later (gpointer data)
{
  g_usleep (150 * 1000);
  g_cancellable_cancel (data);
  return NULL;
}

/* A cancelled compilation stops make and its compilers and leaves nothing behind. */
static void
test_cancel (void)
{
  g_autofree char *dir = make_dir ("cancel");
  g_autofree char *root = g_build_filename (cache_dir, "netloom", "mechs", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  GThread *thread;
  guint builds = nl_mech_build_count ();
  char *so;

  if (!have_toolchain ())
    return;
  /* Inputs no other test compiles, so nothing comes from the cache. */
  for (int i = 0; i < 8; i++)
    {
      g_autofree char *name = g_strdup_printf ("chan%d.mod", i);
      g_autofree char *text = g_strdup_printf (
        "NEURON { SUFFIX cancel_chan%d NONSPECIFIC_CURRENT i RANGE g }\n"
        "PARAMETER { g = 0.001 (S/cm2) }\nASSIGNED { v (mV) i (mA/cm2) }\n"
        "STATE { m }\nINITIAL { m = 0 }\n"
        "BREAKPOINT { SOLVE states METHOD cnexp\n i = g*m*(v + 70) }\n"
        "DERIVATIVE states { m' = (1/(1 + exp(-(v + 40)/5)) - m)/2 }\n", i);
      put (dir, name, text);
    }

  /* Already cancelled: the compiler never starts. */
  g_cancellable_cancel (cancellable);
  so = nl_mech_compile (dir, cancellable, &error);
  g_assert_null (so);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (nl_mech_build_count (), ==, builds);
  assert_no_scratch_left (root);
  g_clear_error (&error);

  /* Cancelled while compiling (or just after, on a fast machine). */
  g_cancellable_reset (cancellable);
  thread = g_thread_new ("cancel", cancel_later, cancellable);
  so = nl_mech_compile (dir, cancellable, &error);
  g_thread_join (thread);
  if (so)
    g_test_message ("the build finished before the cancellation");
  else
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  assert_no_scratch_left (root);
  g_free (so);
}

/* A model's folder and NetLoom's in one library: the model's definition of a mechanism wins. */
static void
test_combined (void)
{
  g_autofree char *dir = make_dir ("combined");
  g_autofree char *own = nl_mech_own_dir ();
  g_autofree char *libdir = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  const char *dirs[] = { dir, own, NULL };
  char *so;

  if (!have_toolchain ())
    return;
  /* The model brings its own Izhi2007b (under another file name) and a channel. */
  put (dir, "myizhi.mod",
       "NEURON { POINT_PROCESS Izhi2007b RANGE marker }\nPARAMETER { marker = 42 }\n");
  put (dir, "leak.mod",
       "NEURON { SUFFIX leak_combined NONSPECIFIC_CURRENT i RANGE g, e }\n"
       "PARAMETER { g = 0.001 (S/cm2) e = -70 (mV) }\n"
       "ASSIGNED { v (mV) i (mA/cm2) }\n"
       "BREAKPOINT { i = g*(v - e) }\n");
  so = nl_mech_compile_dirs (dirs, NULL, &error);
  g_assert_no_error (error);
  libdir = g_path_get_dirname (so);
  copy = g_build_filename (libdir, "izhi2007b.mod", NULL);
  g_assert_false (g_file_test (copy, G_FILE_TEST_EXISTS));
  g_clear_pointer (&copy, g_free);
  copy = g_build_filename (libdir, "izhi2003b.mod", NULL);
  g_assert_true (g_file_test (copy, G_FILE_TEST_EXISTS));

  {
    g_autofree char *nrniv = nl_neuron_find_nrniv ();
    g_autofree char *hocdir = make_dir ("combined-hoc");
    g_autofree char *script = g_build_filename (hocdir, "combined.hoc", NULL);
    g_autoptr(GSubprocess) proc = NULL;

    put (hocdir, "combined.hoc",
         "create soma\naccess soma\ninsert leak_combined\nobjref p, q\n"
         "p = new Izhi2007b(0.5)\nq = new Izhi2003b(0.5)\n"
         "printf(\"marker %g V %g\\n\", p.marker, q.V)\nquit()\n");
    proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                             | G_SUBPROCESS_FLAGS_STDERR_MERGE, &error,
                             nrniv, "-nopython", "-nobanner", "-nogui", "-dll", so, script, NULL);
    g_assert_no_error (error);
    g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, NULL, &error);
    g_assert_no_error (error);
    g_test_message ("%s", out);
    g_assert_nonnull (strstr (out, "marker 42 V "));
  }
  g_free (so);
}

/* ------------------------------------------------------------------------------------------ */
/* Real NEURON against the published equations                                                */

/* Runs `script` with nrniv and the compiled library; returns what it printed. */
static char *
run_hoc (const char *name, const char *script)
{
  g_autofree char *dir = make_dir ("hoc");
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *nrniv = nl_neuron_find_nrniv ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  put (dir, name, script);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  /* Not a folder holding x86_64/.libs/libnrnmech.so, which NEURON would load on its own. */
  g_subprocess_launcher_set_cwd (launcher, dir);
  proc = g_subprocess_launcher_spawn (launcher, &error, nrniv, "-nopython", "-nobanner", "-nogui",
                                      "-dll", own_library (), path, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("%s", out);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  return out;
}

/* The number after `key` in NEURON's output. */
static int
count_after (const char *out, const char *key)
{
  const char *p = strstr (out, key);
  g_assert_nonnull (p);
  return atoi (p + strlen (key));
}

/* Izhikevich 2007, ch. 8, forward Euler: C v' = k (v - vr)(v - vt) - u + I, u' = a (b (v - vr) - u),
   reset v = c, u += d when v >= vpeak; v starts at vr, u at 0. */
static int
izhi2007_spikes (double C, double k, double vr, double vt, double vpeak, double a, double b,
                 double c, double d, double I, double tstop, double dt)
{
  double v = vr, u = 0;
  int n = 0;
  long steps = lround (tstop / dt);

  for (long s = 0; s < steps; s++)
    {
      double dv = (k * (v - vr) * (v - vt) - u + I) / C;
      double du = a * (b * (v - vr) - u);
      v += dt * dv;
      u += dt * du;
      if (v >= vpeak)
        {
          v = c;
          u += d;
          n++;
        }
    }
  return n;
}

/* Izhikevich 2003, forward Euler: v' = 0.04 v^2 + 5 v + 140 - u + I, u' = a (b v - u),
   reset v = c, u += d when v >= 30; v starts at -65 (NEURON's v_init below), u at 0. */
static int
izhi2003_spikes (double a, double b, double c, double d, double I, double tstop, double dt)
{
  double v = -65, u = 0;
  int n = 0;
  long steps = lround (tstop / dt);

  for (long s = 0; s < steps; s++)
    {
      double dv = 0.04 * v * v + 5 * v + 140 - u + I;
      double du = a * (b * v - u);
      v += dt * dv;
      u += dt * du;
      if (v >= 30)
        {
          v = c;
          u += d;
          n++;
        }
    }
  return n;
}

/* The section and the run shared by the scripts: `soma` of 1 pF unless the caller sets it. */
#define HOC_RUN                                                                                    \
  "tv = new Vector()\n"                                                                            \
  "nc = new NetCon(izh, nil)\n"                                                                    \
  "nc.record(tv)\n"                                                                                \
  "dt = 0.025\n"                                                                                   \
  "tstop = 1000\n"                                                                                 \
  "finitialize(-65)\n"                                                                             \
  "while (t < tstop - dt/2) { fadvance() }\n"                                                      \
  "printf(\"spikes %d\\n\", tv.size())\n"                                                          \
  "quit()\n"

static void
test_izhi2007b_rs (void)
{
  /* The book's regular-spiking cell with 100 pA: the section is 1 pF (cm 1 uF/cm2 over
     100 um2), so the point process's C = 100 is the book's 100 pF and Iin its pA. */
  static const char script[] =
    "create soma\n"
    "access soma\n"
    "soma { nseg = 1  L = 10  diam = 10/PI  cm = 1 }\n"
    "objref izh, nc, tv, nil\n"
    "izh = new Izhi2007b(0.5)\n"
    "izh.C = 100\n" "izh.k = 0.7\n" "izh.vr = -60\n" "izh.vt = -40\n" "izh.vpeak = 35\n"
    "izh.a = 0.03\n" "izh.b = -2\n" "izh.c = -50\n" "izh.d = 100\n" "izh.celltype = 1\n"
    "izh.Iin = 100\n"
    HOC_RUN;
  /* The same cell as NetPyNE models write it: a 10 x 10 um soma with cm = 31.831 (100 pF), C = 1. */
  static const char netpyne_form[] =
    "create soma\n"
    "access soma\n"
    "soma { nseg = 1  L = 10  diam = 10  cm = 31.831 }\n"
    "objref izh, nc, tv, nil\n"
    "izh = new Izhi2007b(0.5)\n"
    "izh.C = 1\n" "izh.k = 0.7\n" "izh.vr = -60\n" "izh.vt = -40\n" "izh.vpeak = 35\n"
    "izh.a = 0.03\n" "izh.b = -2\n" "izh.c = -50\n" "izh.d = 100\n" "izh.celltype = 1\n"
    "izh.Iin = 100\n"
    HOC_RUN;
  g_autofree char *out = NULL;
  g_autofree char *out2 = NULL;
  int expected, got, got2;

  if (!have_toolchain ())
    return;
  expected = izhi2007_spikes (100, 0.7, -60, -40, 35, 0.03, -2, -50, 100, 100, 1000, 0.025);
  out = run_hoc ("izhi2007b.hoc", script);
  got = count_after (out, "spikes ");
  out2 = run_hoc ("izhi2007b-netpyne.hoc", netpyne_form);
  got2 = count_after (out2, "spikes ");
  g_test_message ("Izhi2007b RS, 100 pA, 1 s: NEURON %d (NetPyNE geometry %d), equations %d",
                  got, got2, expected);
  g_assert_cmpint (expected, >=, 5);
  g_assert_cmpint (abs (got - expected), <=, 1);
  g_assert_cmpint (abs (got2 - expected), <=, 1);
}

static void
test_izhi2003b_rs (void)
{
  /* The paper's regular-spiking cell with I = 10 on a 1 pF section. */
  static const char script[] =
    "create soma\n"
    "access soma\n"
    "soma { nseg = 1  L = 10  diam = 10/PI  cm = 1 }\n"
    "objref izh, nc, tv, nil\n"
    "izh = new Izhi2003b(0.5)\n"
    "izh.a = 0.02\n" "izh.b = 0.2\n" "izh.c = -65\n" "izh.d = 8\n" "izh.Iin = 10\n"
    HOC_RUN;
  g_autofree char *out = NULL;
  int expected, got;

  if (!have_toolchain ())
    return;
  expected = izhi2003_spikes (0.02, 0.2, -65, 8, 10, 1000, 0.025);
  out = run_hoc ("izhi2003b.hoc", script);
  got = count_after (out, "spikes ");
  g_test_message ("Izhi2003b RS, I = 10, 1 s: NEURON %d, equations %d", got, expected);
  g_assert_cmpint (expected, >=, 5);
  g_assert_cmpint (abs (got - expected), <=, 1);
}

/* The self-contained forms keep their own V; NetPyNE detects their spikes on V (vref) or takes
   their events. Both follow the same equations; Izhi2007a's synaptic input opens conductances. */
static void
test_izhi_a_forms (void)
{
  static const char script[] =
    "create dummy\n"
    "access dummy\n"
    "objref i3, i7, n3, n7, t3, t7, nil, stim, syn\n"
    "i3 = new Izhi2003a(0.5)\n"
    "i3.a = 0.02\n" "i3.b = 0.2\n" "i3.c = -65\n" "i3.d = 8\n" "i3.Iin = 10\n"
    "i7 = new Izhi2007a(0.5)\n"
    "i7.C = 100\n" "i7.k = 0.7\n" "i7.vr = -60\n" "i7.vt = -40\n" "i7.vpeak = 35\n"
    "i7.a = 0.03\n" "i7.b = -2\n" "i7.c = -50\n" "i7.d = 100\n" "i7.Iin = 100\n"
    "t3 = new Vector()\n"
    "n3 = new NetCon(&i3.V, nil)\n"
    "n3.threshold = 10\n"
    "n3.record(t3)\n"
    "t7 = new Vector()\n"
    "n7 = new NetCon(i7, nil)\n"
    "n7.record(t7)\n"
    "dt = 0.025\n"
    "tstop = 1000\n"
    "finitialize(-65)\n"
    "while (t < tstop - dt/2) { fadvance() }\n"
    "printf(\"2003a %d\\n\", t3.size())\n"
    "printf(\"2007a %d\\n\", t7.size())\n"
    "quit()\n";
  g_autofree char *out = NULL;
  int e3, e7, g3, g7;

  if (!have_toolchain ())
    return;
  e3 = izhi2003_spikes (0.02, 0.2, -65, 8, 10, 1000, 0.025);
  e7 = izhi2007_spikes (100, 0.7, -60, -40, 35, 0.03, -2, -50, 100, 100, 1000, 0.025);
  out = run_hoc ("izhi-a.hoc", script);
  g3 = count_after (out, "2003a ");
  g7 = count_after (out, "2007a ");
  g_test_message ("Izhi2003a: NEURON %d, equations %d; Izhi2007a: NEURON %d, equations %d",
                  g3, e3, g7, e7);
  g_assert_cmpint (abs (g3 - e3), <=, 1);
  g_assert_cmpint (abs (g7 - e7), <=, 1);
}

int
main (int argc, char **argv)
{
  g_autofree char *mods = NULL;

  g_test_init (&argc, &argv, NULL);
  /* A cache of our own, so the suite really compiles and never touches the user's. */
  cache_dir = g_build_filename (nl_test_tmpdir (), "cache", NULL);
  g_setenv ("XDG_CACHE_HOME", cache_dir, TRUE);
  /* The mechanisms of this source tree, not an installed copy. */
  mods = nl_test_source_file ("sim/mod");
  g_setenv ("NETLOOM_MOD_DIR", mods, TRUE);

  g_test_add_func ("/mech/list-own", test_list_own);
  g_test_add_func ("/mech/list-parse", test_list_parse);
  g_test_add_func ("/mech/own-dir", test_own_dir);
  g_test_add_func ("/mech/bad-inputs", test_bad_inputs);
  g_test_add_func ("/mech/compile-and-cache", test_compile_and_cache);
  g_test_add_func ("/mech/broken", test_broken);
  g_test_add_func ("/mech/concurrent", test_concurrent);
  g_test_add_func ("/mech/combined", test_combined);
  g_test_add_func ("/mech/cancel", test_cancel);
  g_test_add_func ("/mech/izhi2007b-rs", test_izhi2007b_rs);
  g_test_add_func ("/mech/izhi2003b-rs", test_izhi2003b_rs);
  g_test_add_func ("/mech/izhi-a-forms", test_izhi_a_forms);
  return g_test_run ();
}
