/* core/analysis/nl-nte: normalised transfer entropy, against NetPyNE's definition evaluated
 * with exact log2 on ../shared/reference/analysis/nte_*.  */

#include <math.h>
#include <string.h>
#include <json-glib/json-glib.h>
#include <nl-nte.h>

#include "nl-testutil.h"

/* The three trains of nte_spikes.csv ("train,spkt_ms"). */
static gboolean
read_trains (GArray *tr[3])
{
  g_autofree char *path = nl_test_shared_file ("reference/analysis/nte_spikes.csv");
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  if (!path)
    return FALSE;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "train,spkt_ms");
  for (int k = 0; k < 3; k++)
    tr[k] = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint i = 1; lines[i]; i++)
    {
      char *end;
      guint64 k;
      double t;

      if (!*lines[i])
        continue;
      k = g_ascii_strtoull (lines[i], &end, 10);
      g_assert_true (k >= 1 && k <= 3 && *end == ',');
      t = g_ascii_strtod (end + 1, NULL);
      g_array_append_val (tr[k - 1], t);
    }
  return TRUE;
}

/* The 30 permutations of nte_shuffle_perms.csv, one per line. */
static guint32 **
read_perms (gsize n, guint *n_perms)
{
  g_autofree char *path = nl_test_shared_file ("reference/analysis/nte_shuffle_perms.csv");
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *out;

  if (!path)
    return NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  out = g_ptr_array_new ();
  for (guint i = 0; lines[i]; i++)
    {
      g_auto(GStrv) f = NULL;
      guint32 *p;

      if (!*lines[i])
        continue;
      f = g_strsplit (lines[i], ",", -1);
      g_assert_cmpuint (g_strv_length (f), ==, n);
      p = g_new (guint32, n);
      for (gsize j = 0; j < n; j++)
        p[j] = (guint32) g_ascii_strtoull (f[j], NULL, 10);
      g_ptr_array_add (out, p);
    }
  *n_perms = out->len;
  return (guint32 **) g_ptr_array_free (out, FALSE);
}

static void
free_perms (guint32 **p, guint n)
{
  for (guint i = 0; i < n; i++)
    g_free (p[i]);
  g_free (p);
}

#define CLOSE(a, b) g_assert_cmpfloat_with_epsilon ((a), (b), 1e-12)

static void
test_reference (void)
{
  g_autofree char *jpath = nl_test_shared_file ("reference/analysis/nte_reference.json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  const int dirs[4][2] = { { 1, 2 }, { 2, 1 }, { 1, 3 }, { 3, 1 } };
  guint32 *counts[3] = { NULL, NULL, NULL };
  guint32 **perms;
  guint n_perms = 0;
  GArray *tr[3];
  JsonObject *root;
  gsize nb = 0;

  if (!jpath || !read_trains (tr))
    return;
  g_assert_true (json_parser_load_from_file (parser, jpath, &error));
  root = json_node_get_object (json_parser_get_root (parser));

  /* NetPyNE's binning: np.arange(0, 60000, 20) → 2999 bins. */
  for (int k = 0; k < 3; k++)
    {
      guint32 mx = 0;
      char key[2] = { (char) ('1' + k), 0 };

      counts[k] = nl_nte_bin_spikes ((double *) tr[k]->data, tr[k]->len, 0, 60000,
                                     NL_NTE_DEFAULT_BIN_MS, &nb, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (nb, ==, json_object_get_int_member (root, "nbins"));
      for (gsize i = 0; i < nb; i++)
        mx = MAX (mx, counts[k][i]);
      g_assert_cmpuint (mx, ==, json_object_get_int_member
                        (json_object_get_object_member (root, "max_counts"), key));
    }

  perms = read_perms (nb, &n_perms);
  g_assert_nonnull (perms);
  g_assert_cmpuint (n_perms, ==, NL_NTE_DEFAULT_SHUFFLES);

  for (int d = 0; d < 4; d++)
    {
      g_autofree char *name = g_strdup_printf ("%d->%d_exactlog2", dirs[d][0], dirs[d][1]);
      JsonObject *ref = json_object_get_object_member (root, name);
      JsonArray *shuf = json_object_get_array_member (ref, "TEshuf");
      g_autoptr(NlNte) r = nl_nte_compute_with_perms (counts[dirs[d][0] - 1],
                                                      counts[dirs[d][1] - 1], nb,
                                                      (const guint32 *const *) perms,
                                                      n_perms, &error);

      g_assert_no_error (error);
      g_test_message ("%s: TE %.17g H %.17g nTE %.17g", name, r->te, r->h, r->nte);
      CLOSE (r->te, json_object_get_double_member (ref, "TE"));
      CLOSE (r->h, json_object_get_double_member (ref, "H"));
      CLOSE (r->nte, json_object_get_double_member (ref, "nTE"));
      CLOSE (r->te_shuffled_mean, json_object_get_double_member (ref, "TEshuf_mean"));
      CLOSE (r->te_shuffled_sd, json_object_get_double_member (ref, "TEshuf_std_ddof0"));
      g_assert_cmpuint (r->n_shuffles, ==, json_array_get_length (shuf));
      for (guint k = 0; k < r->n_shuffles; k++)
        CLOSE (r->te_shuffled[k], json_array_get_double_element (shuf, k));
    }

  /* The same shuffles each applied to the original train (not cumulatively) differ: the
   * reference really is cumulative. */
  {
    g_autoptr(NlNte) once = nl_nte_compute_with_perms (counts[0], counts[1], nb,
                                                       (const guint32 *const *) perms + 1,
                                                       1, &error);
    JsonObject *ref = json_object_get_object_member (root, "1->2_exactlog2");

    g_assert_cmpfloat (fabs (once->te_shuffled[0] - json_array_get_double_element
                             (json_object_get_array_member (ref, "TEshuf"), 1)), >, 1e-6);
  }

  free_perms (perms, n_perms);
  for (int k = 0; k < 3; k++)
    {
      g_free (counts[k]);
      g_array_unref (tr[k]);
    }
}

/* Seeded shuffles: reproducible, seed-dependent, and nTE close to the reference's. */
static void
test_seeded (void)
{
  g_autofree char *jpath = nl_test_shared_file ("reference/analysis/nte_reference.json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(NlNte) a = NULL;
  g_autoptr(NlNte) b = NULL;
  g_autoptr(NlNte) c = NULL;
  g_autoptr(NlNte) none = NULL;
  JsonObject *ref;
  gboolean differ = FALSE;
  GArray *tr[3];

  if (!jpath || !read_trains (tr))
    return;
  g_assert_true (json_parser_load_from_file (parser, jpath, &error));
  ref = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                       "1->2_exactlog2");

  a = nl_nte_from_spikes ((double *) tr[0]->data, tr[0]->len, (double *) tr[1]->data,
                          tr[1]->len, 0, 60000, 20, 30, 1, &error);
  g_assert_no_error (error);
  b = nl_nte_from_spikes ((double *) tr[0]->data, tr[0]->len, (double *) tr[1]->data,
                          tr[1]->len, 0, 60000, 20, 30, 1, &error);
  c = nl_nte_from_spikes ((double *) tr[0]->data, tr[0]->len, (double *) tr[1]->data,
                          tr[1]->len, 0, 60000, 20, 30, 2, &error);
  none = nl_nte_from_spikes ((double *) tr[0]->data, tr[0]->len, (double *) tr[1]->data,
                             tr[1]->len, 0, 60000, 20, 0, 1, &error);
  g_assert_no_error (error);

  /* TE and H do not depend on the shuffles. */
  CLOSE (a->te, json_object_get_double_member (ref, "TE"));
  CLOSE (a->h, json_object_get_double_member (ref, "H"));
  for (guint k = 0; k < 30; k++)
    {
      g_assert_cmpfloat (a->te_shuffled[k], ==, b->te_shuffled[k]);
      differ |= a->te_shuffled[k] != c->te_shuffled[k];
      /* A shuffled train carries (almost) no information about train 2's future. */
      g_assert_cmpfloat (a->te_shuffled[k], <, 0.02);
    }
  g_assert_true (differ);
  /* The shuffled mean's spread over 30 shuffles is ≈ 0.0019/√30 bits. */
  g_assert_cmpfloat_with_epsilon (a->te_shuffled_mean,
                                  json_object_get_double_member (ref, "TEshuf_mean"), 0.002);
  g_assert_cmpfloat_with_epsilon (a->nte, json_object_get_double_member (ref, "nTE"), 0.003);
  /* No shuffles: nTE = TE / H. */
  g_assert_cmpuint (none->n_shuffles, ==, 0);
  g_assert_cmpfloat (none->nte, ==, none->te / none->h);

  for (int k = 0; k < 3; k++)
    g_array_unref (tr[k]);
}

/* X2's next bin copies X1's current one: X1's past leaves no uncertainty, so TE = H. */
static void
test_copy_is_full_transfer (void)
{
  enum { N = 4000 };
  g_autofree guint32 *x1 = g_new (guint32, N);
  g_autofree guint32 *x2 = g_new (guint32, N);
  g_autoptr(NlNte) r = NULL;
  g_autoptr(NlNte) back = NULL;
  g_autoptr(GError) error = NULL;
  guint32 s = 99;

  for (guint i = 0; i < N; i++)
    {
      s = s * 1103515245u + 12345u;
      x1[i] = (s >> 16) % 3;
      x2[i] = i ? x1[i - 1] : 0;
    }
  r = nl_nte_compute (x1, x2, N, 10, 5, &error);
  g_assert_no_error (error);
  /* X2 is nearly i.i.d. on 3 values: H(X2F|X2P) ≈ log2 3. */
  g_assert_cmpfloat_with_epsilon (r->h, log2 (3), 0.01);
  CLOSE (r->te, r->h);
  g_assert_cmpfloat (r->nte, >, 0.98);
  g_assert_cmpfloat (r->nte, <=, 1);
  /* The other way there is nothing to transfer. */
  back = nl_nte_compute (x2, x1, N, 10, 5, &error);
  g_assert_cmpfloat (fabs (back->nte), <, 0.01);
}

/* NetPyNE: a train that never varies gives 0 for everything. */
static void
test_constant (void)
{
  const guint32 x1[6] = { 0, 1, 0, 2, 1, 0 }, flat[6] = { 2, 2, 2, 2, 2, 2 };
  const guint32 alt[6] = { 0, 1, 0, 1, 0, 1 };
  g_autoptr(NlNte) a = NULL;
  g_autoptr(NlNte) b = NULL;
  g_autoptr(NlNte) c = NULL;
  g_autoptr(GError) error = NULL;

  a = nl_nte_compute (x1, flat, 6, 3, 1, &error);
  b = nl_nte_compute (flat, x1, 6, 3, 1, &error);
  g_assert_no_error (error);
  for (int k = 0; k < 2; k++)
    {
      NlNte *r = k ? b : a;

      g_assert_cmpfloat (r->te, ==, 0);
      g_assert_cmpfloat (r->h, ==, 0);
      g_assert_cmpfloat (r->nte, ==, 0);
      for (guint i = 0; i < 3; i++)
        g_assert_cmpfloat (r->te_shuffled[i], ==, 0);
    }
  /* An alternating train is fully predictable from its past: H = TE = nTE = 0. */
  c = nl_nte_compute (x1, alt, 6, 3, 1, &error);
  g_assert_cmpfloat (c->h, ==, 0);
  g_assert_cmpfloat (c->te, ==, 0);
  g_assert_cmpfloat (c->nte, ==, 0);
}

/* H(X2F|X2P) and TE by hand on 5 bins (4 pairs). */
static void
test_by_hand (void)
{
  /* pairs (f, p, q): (1,0,1) (0,1,0) (1,0,1) (1,1,0): H(F|P): p=0 → f=1 twice (0 bits);
   * p=1 → f∈{0,1} (1 bit, weight 1/2) → H = 0.5. With q, (p,q)=(1,0) still has f∈{0,1}: the
   * conditional entropy stays 0.5 and TE = 0. */
  const guint32 x2[5] = { 0, 1, 0, 1, 1 }, x1[5] = { 1, 0, 1, 0, 7 };
  /* With q splitting p = 1 into (1,0) → 0 and (1,2) → 1, TE = 0.5. */
  const guint32 x1b[5] = { 1, 0, 1, 2, 7 };
  g_autoptr(NlNte) r = NULL;
  g_autoptr(NlNte) s = NULL;
  g_autoptr(GError) error = NULL;

  r = nl_nte_compute (x1, x2, 5, 0, 1, &error);
  s = nl_nte_compute (x1b, x2, 5, 0, 1, &error);
  g_assert_no_error (error);
  CLOSE (r->h, 0.5);
  CLOSE (r->te, 0);
  CLOSE (s->h, 0.5);
  CLOSE (s->te, 0.5);
  CLOSE (s->nte, 1);
}

static void
test_bad_input (void)
{
  const guint32 x[4] = { 0, 1, 2, 1 }, y[4] = { 1, 0, 0, 2 };
  const guint32 p_ok[4] = { 3, 2, 1, 0 }, p_rep[4] = { 0, 1, 1, 3 }, p_big[4] = { 0, 1, 2, 4 };
  const guint32 *perms[2] = { p_ok, p_rep };
  const double bad_t[2] = { 5, INFINITY };
  GError *error = NULL;
  NlNte *r;
  gsize nb;

  r = nl_nte_compute (x, y, 1, 30, 1, &error);
  g_assert_null (r);
  g_assert_nonnull (strstr (error->message, "1 bin; at least 2 are needed"));
  g_clear_error (&error);
  r = nl_nte_compute (NULL, y, 4, 30, 1, &error);
  g_assert_null (r);
  g_assert_nonnull (strstr (error->message, "train 1 has no data"));
  g_clear_error (&error);
  r = nl_nte_compute (x, y, 4, NL_NTE_MAX_SHUFFLES + 1, 1, &error);
  g_assert_null (r);
  g_assert_nonnull (strstr (error->message, "shuffles, more than"));
  g_clear_error (&error);

  r = nl_nte_compute_with_perms (x, y, 4, perms, 2, &error);
  g_assert_null (r);
  g_assert_nonnull (strstr (error->message, "permutation 2, position 2: index 1 is repeated"));
  g_clear_error (&error);
  perms[1] = p_big;
  r = nl_nte_compute_with_perms (x, y, 4, perms, 2, &error);
  g_assert_null (r);
  g_assert_nonnull (strstr (error->message, "permutation 2, position 3: index 4 is out of range"));
  g_clear_error (&error);
  r = nl_nte_compute_with_perms (x, y, 4, perms, 1, &error);
  g_assert_no_error (error);
  nl_nte_free (r);

  g_assert_null (nl_nte_bin_spikes (bad_t, 2, 0, 100, 20, &nb, &error));
  g_assert_nonnull (strstr (error->message, "spike 1 has time inf"));
  g_clear_error (&error);
  g_assert_null (nl_nte_bin_spikes (bad_t, 1, 0, 100, -1, &nb, &error));
  g_assert_nonnull (strstr (error->message, "bin size -1 ms"));
  g_clear_error (&error);
  g_assert_null (nl_nte_bin_spikes (bad_t, 0, 0, NAN, 20, &nb, &error));
  g_assert_nonnull (strstr (error->message, "no spikes to take the stop time from"));
  g_clear_error (&error);
  g_assert_null (nl_nte_bin_spikes (bad_t, 1, 0, 1e12, 1, &nb, &error));
  g_assert_nonnull (strstr (error->message, "use a larger bin"));
  g_clear_error (&error);
  g_assert_cmpuint (nb, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/nte/reference", test_reference);
  g_test_add_func ("/nte/seeded", test_seeded);
  g_test_add_func ("/nte/copy-is-full-transfer", test_copy_is_full_transfer);
  g_test_add_func ("/nte/constant", test_constant);
  g_test_add_func ("/nte/by-hand", test_by_hand);
  g_test_add_func ("/nte/bad-input", test_bad_input);
  return g_test_run ();
}
