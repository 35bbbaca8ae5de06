/* nl-lfp-figure.c — NetPyNE's plotLFP: time series, PSD, spectrogram and electrode locations
 * (see nl-lfp-figure.h). The spectra come from core/analysis; this file only selects the
 * samples and lays the parts out. */
#include "nl-lfp-figure.h"

#include <gio/gio.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>
#include <nl-curves-figure.h>
#include <nl-spectral.h>
#include <nl-spectrogram-figure.h>

struct _NlLfpData {
  guint    parts;
  char    *title;
  guint    width, height;
  double   dpi;

  /* Time series and PSD: the selected electrodes. */
  guint    n_sel;
  guint   *sel;           /* electrode indices */
  char   **names;         /* "0", "1" … (NULL-terminated) */
  gsize    n_t;
  double  *t;             /* ms */
  double  *lfp;           /* n_sel × n_t, mV */
  double   offset;        /* between traces, mV */

  gsize    n_f;
  double  *psd_f;         /* Hz */
  double  *psd;           /* n_sel × n_f */

  /* Spectrogram of one electrode (Morlet, NetPyNE's default transform). */
  guint    spec_electrode;
  gsize    spec_rows, spec_cols;
  double  *spec;          /* rows (frequency) × cols (time) */
  double   spec_x0, spec_x1, spec_y0, spec_y1;

  /* Locations. */
  guint    n_el;
  double  *el_xyz;        /* n_el × 3, NULL when the results have none */
  gsize    n_cells;
  double  *cell_x, *cell_y;
};

guint
nl_lfp_show_from_name (const char *name)
{
  static const struct { const char *name; guint parts; } map[] = {
    { "all", NL_LFP_SHOW_ALL },
    { "timeseries", NL_LFP_SHOW_TIMESERIES },
    { "psd", NL_LFP_SHOW_PSD },
    { "spectrogram", NL_LFP_SHOW_SPECTROGRAM },
    { "locations", NL_LFP_SHOW_LOCATIONS },
  };
  for (guint i = 0; name && i < G_N_ELEMENTS (map); i++)
    if (g_str_equal (name, map[i].name))
      return map[i].parts;
  return 0;
}

void
nl_lfp_data_free (NlLfpData *d)
{
  if (!d)
    return;
  g_free (d->title);
  g_free (d->sel);
  g_strfreev (d->names);
  g_free (d->t);
  g_free (d->lfp);
  g_free (d->psd_f);
  g_free (d->psd);
  g_free (d->spec);
  g_free (d->el_xyz);
  g_free (d->cell_x);
  g_free (d->cell_y);
  g_free (d);
}

/* Welch segments: NetPyNE's 256 points give 39 Hz bins at a 0.1 ms record step, too coarse
 * for the 1–100 Hz a PSD of LFP is about; take the largest power of two that still leaves
 * about 8 half-overlapping segments (at least 256, no finer than 1 Hz). */
static guint
welch_nperseg (gsize n, double fs)
{
  guint p = 256;
  while ((gsize) p * 2 <= n / 4 && p * 2 <= NL_SPECTRAL_MAX_FFT && p < fs)
    p *= 2;
  return p;
}

static gboolean
compute_psd (NlLfpData *d, double fs, double max_freq, GError **error)
{
  NlSpectralOptions so;
  gsize keep = 0;

  nl_spectral_options_init_welch (&so);
  so.nperseg = so.nfft = welch_nperseg (d->n_t, fs);
  so.noverlap = so.nperseg / 2;
  so.max_freq = max_freq;
  for (guint k = 0; k < d->n_sel; k++)
    {
      g_autoptr(NlSpectrum) s = nl_psd_welch (d->lfp + (gsize) k * d->n_t, d->n_t, fs, &so, error);
      if (!s)
        return FALSE;
      if (k == 0)
        {
          keep = s->n;
          d->n_f = keep;
          d->psd_f = g_memdup2 (s->freqs, keep * sizeof (double));
          d->psd = g_new (double, (gsize) d->n_sel * keep);
        }
      memcpy (d->psd + (gsize) k * keep, s->power, keep * sizeof (double));
    }
  if (d->n_f == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "LFP figure: no frequencies below %g Hz at a sampling rate of %g Hz", max_freq, fs);
      return FALSE;
    }
  return TRUE;
}

static gboolean
compute_spectrogram (NlLfpData *d, const double *x, double fs, double max_freq, GError **error)
{
  NlMorletOptions mo;
  g_autofree double *freqs = NULL;
  g_autoptr(NlTimeFreq) tf = NULL;
  gsize nf;
  double fmax = MIN (max_freq, fs / 2), dt = 1000.0 / fs;

  if (fmax < 1)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "LFP figure: a spectrogram from 1 Hz needs a sampling rate above 2 Hz (it is %g Hz)", fs);
      return FALSE;
    }
  freqs = nl_morlet_freqs (1, floor (fmax), 1, &nf, error);
  if (!freqs)
    return FALSE;
  nl_morlet_options_init (&mo);
  mo.n_threads = 1;   /* a panel's worker thread, beside the GUI */
  tf = nl_morlet_tfr (x, d->n_t, fs, freqs, nf, &mo, error);
  if (!tf)
    return FALSE;
  d->spec_rows = tf->n_freqs;
  d->spec_cols = tf->n_times;
  d->spec = g_steal_pointer (&tf->power);
  /* Pixel edges: sample j spans t_j ± dt/2, frequency row i spans f_i ± 0.5 Hz. */
  d->spec_x0 = d->t[0] - dt / 2;
  d->spec_x1 = d->t[d->n_t - 1] + dt / 2;
  d->spec_y0 = tf->freqs[0] - 0.5;
  d->spec_y1 = tf->freqs[tf->n_freqs - 1] + 0.5;
  return TRUE;
}

NlLfpData *
nl_lfp_data_new (NlResults *results, NlNetwork *network, const NlLfpFigureOptions *options,
                 GError **error)
{
  NlLfpFigureOptions o = options ? *options : (NlLfpFigureOptions) { 0 };
  g_autoptr(NlLfpData) d = g_new0 (NlLfpData, 1);
  const double *lfp, *xyz;
  guint64 n_samples;
  guint n_el, n_xyz = 0;
  double dt, fs, max_freq = o.max_freq > 0 ? o.max_freq : 100;
  gsize i0, i1;

  lfp = results ? nl_results_get_lfp (results, &n_samples, &n_el, &dt) : NULL;
  if (!lfp || n_samples == 0 || n_el == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s",
                   "These results have no LFP (NetPyNE records it with simConfig.recordLFP)");
      return NULL;
    }
  if (!(isfinite (dt) && dt > 0))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "LFP figure: the LFP's time step is %g ms; expected a positive number", dt);
      return NULL;
    }
  fs = 1000.0 / dt;
  d->parts = o.parts ? o.parts & NL_LFP_SHOW_ALL : NL_LFP_SHOW_ALL;
  d->title = g_strdup (o.base.title);
  d->width = o.base.width;
  d->height = o.base.height;
  d->dpi = o.base.dpi;
  d->n_el = n_el;

  /* Electrodes. */
  d->n_sel = o.electrodes ? o.n_electrodes : n_el;
  if (d->n_sel == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s",
                   "LFP figure: the list of electrodes is empty; give at least one or NULL for all");
      return NULL;
    }
  d->sel = g_new (guint, d->n_sel);
  d->names = g_new0 (char *, d->n_sel + 1);
  for (guint k = 0; k < d->n_sel; k++)
    {
      d->sel[k] = o.electrodes ? o.electrodes[k] : k;
      if (d->sel[k] >= n_el)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "LFP figure: electrode %u does not exist; the LFP has electrodes 0 to %u",
                       d->sel[k], n_el - 1);
          return NULL;
        }
      d->names[k] = g_strdup_printf ("%u", d->sel[k]);
    }
  if ((d->parts & NL_LFP_SHOW_SPECTROGRAM) && o.spectrogram_electrode >= n_el)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "LFP figure: spectrogram electrode %u does not exist; the LFP has electrodes 0 to %u",
                   o.spectrogram_electrode, n_el - 1);
      return NULL;
    }
  d->spec_electrode = o.spectrogram_electrode;

  /* The window, as NetPyNE slices it: samples int(t0/dt) … int(t1/dt), sample i at i·dt. */
  i0 = 0, i1 = n_samples;
  if (o.base.t_stop > o.base.t_start)
    {
      i0 = (gsize) CLAMP (floor (MAX (o.base.t_start, 0) / dt), 0, (double) n_samples);
      i1 = (gsize) CLAMP (floor (o.base.t_stop / dt), 0, (double) n_samples);
    }
  if (i1 < i0 + 2)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "LFP figure: the time window %g–%g ms holds fewer than 2 LFP samples "
                   "(%" G_GUINT64_FORMAT " samples every %g ms)",
                   o.base.t_start, o.base.t_stop, n_samples, dt);
      return NULL;
    }
  d->n_t = i1 - i0;
  d->t = g_new (double, d->n_t);
  for (gsize i = 0; i < d->n_t; i++)
    d->t[i] = (i0 + i) * dt;
  d->lfp = g_new (double, (gsize) d->n_sel * d->n_t);
  for (guint k = 0; k < d->n_sel; k++)
    for (gsize i = 0; i < d->n_t; i++)
      {
        double v = lfp[(i0 + i) * n_el + d->sel[k]];
        if (!isfinite (v))
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                         "LFP figure: electrode %u's sample %" G_GSIZE_FORMAT " is %g; expected a finite value",
                         d->sel[k], i0 + i, v);
            return NULL;
          }
        d->lfp[(gsize) k * d->n_t + i] = v;
        d->offset = MAX (d->offset, fabs (v));
      }
  /* NetPyNE's offset: the largest |LFP| times the separation. */
  d->offset *= o.separation > 0 ? o.separation : 1;
  if (!(d->offset > 0))
    d->offset = 1;

  if ((d->parts & NL_LFP_SHOW_PSD) && !compute_psd (d, fs, max_freq, error))
    return NULL;
  if (d->parts & NL_LFP_SHOW_SPECTROGRAM)
    {
      g_autofree double *x = g_new (double, d->n_t);
      for (gsize i = 0; i < d->n_t; i++)
        x[i] = lfp[(i0 + i) * n_el + d->spec_electrode];
      if (!compute_spectrogram (d, x, fs, max_freq, error))
        return NULL;
    }

  xyz = nl_results_get_lfp_electrodes (results, &n_xyz);
  if (xyz && n_xyz == n_el)
    d->el_xyz = g_memdup2 (xyz, (gsize) n_el * 3 * sizeof (double));
  if (network && nl_network_get_n_cells (network) > 0)
    {
      d->n_cells = nl_network_get_n_cells (network);
      d->cell_x = g_memdup2 (nl_network_get_coords (network, NL_COORD_X), d->n_cells * sizeof (double));
      d->cell_y = g_memdup2 (nl_network_get_coords (network, NL_COORD_Y), d->n_cells * sizeof (double));
    }
  if (!d->el_xyz)
    {
      if (d->parts == NL_LFP_SHOW_LOCATIONS)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s",
                       "These results do not say where the LFP electrodes are "
                       "(NetPyNE keeps them in simConfig.recordLFP)");
          return NULL;
        }
      d->parts &= ~NL_LFP_SHOW_LOCATIONS;
    }
  return g_steal_pointer (&d);
}

/* 1, 2 or 5 × 10^k, the largest not above x. */
static double
nice_below (double x)
{
  double p = pow (10, floor (log10 (x))), m = x / p;
  return (m >= 5 ? 5 : m >= 2 ? 2 : 1) * p;
}

/* Traces longer than twice this are drawn as per-bucket extremes (more than any output's
 * width in pixels). */
#define LINE_BUCKETS 3000

/* The scale bar, in the room right of the traces: a vertical bar `size` mV tall centred on
 * the last trace's baseline, its size written upwards beside it (it stands for a voltage
 * axis, which offset traces cannot have). */
typedef struct {
  double t_end, baseline, size;
  char   label[32];
} ScaleBar;

static void
draw_scale_bar (NlAxes *axes, cairo_t *cr, gpointer data)
{
  const ScaleBar *b = data;
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string ("Sans");
  double px = nl_axes_get_dpi (axes) / 72, ax, ay, aw, ah, x, y0, y1;
  int w, h;

  nl_axes_get_plot_area (axes, &ax, &ay, &aw, &ah);
  x = nl_axes_x_to_px (axes, b->t_end) + 3 * px;
  y0 = nl_axes_y_to_px (axes, b->baseline - b->size / 2);
  y1 = nl_axes_y_to_px (axes, b->baseline + b->size / 2);
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_set_line_width (cr, 2 * px);
  cairo_move_to (cr, x, y0);
  cairo_line_to (cr, x, y1);
  cairo_stroke (cr);

  pango_font_description_set_absolute_size (font, 8 * px * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, b->label, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_save (cr);
  cairo_translate (cr, x + 1.5 * px, (y0 + y1) / 2 + w / 2.0);
  cairo_rotate (cr, -G_PI / 2);
  cairo_move_to (cr, 0, 0);
  pango_cairo_show_layout (cr, layout);
  cairo_restore (cr);
  pango_font_description_free (font);
  g_object_unref (layout);
}

static void
draw_timeseries (const NlLfpData *d, NlAxes *axes)
{
  g_autofree double *y = g_new (double, d->n_t);
  g_autofree double *x = g_new (double, MIN (d->n_t, 2 * LINE_BUCKETS));
  g_autofree double *ticks = g_new (double, d->n_sel);
  double span = d->t[d->n_t - 1] - d->t[0], off = d->offset, bottom = -(double) (d->n_sel - 1) * off;
  ScaleBar *bar = g_new0 (ScaleBar, 1);

  /* The first electrode on top, each next one offset below, as NetPyNE's orderInverse. */
  for (guint k = 0; k < d->n_sel; k++)
    {
      NlStyle st = nl_style (nl_palette_color (k, d->n_sel), NULL);
      const double *v = d->lfp + (gsize) k * d->n_t;
      gsize m = 0;

      st.line_width = 1.2;
      ticks[k] = -(double) k * off;
      if (d->n_t <= 2 * LINE_BUCKETS)
        {
          for (gsize i = 0; i < d->n_t; i++)
            y[i] = v[i] + ticks[k];
          nl_axes_line (axes, d->t, y, d->n_t, &st);
          continue;
        }
      /* Long recordings: each bucket's minimum and maximum, in time order — the envelope a
       * line through every sample would paint, at a fraction of the path (16 electrodes × 50,000
       * samples took 2.3 s to stroke). */
      for (gsize b = 0; b < LINE_BUCKETS; b++)
        {
          gsize i0 = b * d->n_t / LINE_BUCKETS, i1 = (b + 1) * d->n_t / LINE_BUCKETS, lo = i0, hi = i0;
          for (gsize i = i0; i < i1; i++)
            {
              if (v[i] < v[lo])
                lo = i;
              if (v[i] > v[hi])
                hi = i;
            }
          x[m] = d->t[MIN (lo, hi)], y[m++] = v[MIN (lo, hi)] + ticks[k];
          if (hi != lo)
            x[m] = d->t[MAX (lo, hi)], y[m++] = v[MAX (lo, hi)] + ticks[k];
        }
      nl_axes_line (axes, x, y, m, &st);
    }
  nl_axes_set_yticks (axes, ticks, (const char *const *) d->names, d->n_sel);
  nl_axes_set_title (axes, "LFP");
  nl_axes_set_xlabel (axes, "Time (ms)");
  nl_axes_set_ylabel (axes, "Electrode");
  /* Room on the right for the scale bar. */
  nl_axes_set_xlim (axes, d->t[0], d->t[d->n_t - 1] + 0.08 * span);
  nl_axes_set_ylim (axes, bottom - 1.1 * off, 1.1 * off);
  bar->t_end = d->t[d->n_t - 1];
  bar->baseline = bottom;
  bar->size = nice_below (0.5 * off);
  if (bar->size < 1)
    g_snprintf (bar->label, sizeof bar->label, "%g µV", bar->size * 1000);
  else
    g_snprintf (bar->label, sizeof bar->label, "%g mV", bar->size);
  nl_axes_add_custom (axes, NAN, NAN, NAN, NAN, draw_scale_bar, bar, g_free);
}

static gboolean
draw_psd (const NlLfpData *d, NlAxes *axes, GError **error)
{
  NlCurvesOptions co = { 0 };
  g_autofree NlColor *colors = g_new (NlColor, d->n_sel);

  for (guint k = 0; k < d->n_sel; k++)
    colors[k] = nl_palette_color (k, d->n_sel);
  co.xlabel = "Frequency (Hz)";
  co.ylabel = "PSD (mV²/Hz)";
  co.log_y = TRUE;
  co.colors = colors;
  if (!nl_curves_figure_draw (axes, d->psd_f, d->n_f, d->psd, d->n_sel,
                              (const char *const *) d->names, &co, error))
    return FALSE;
  nl_axes_set_title (axes, "PSD");
  return TRUE;
}

static gboolean
draw_spectrogram (const NlLfpData *d, NlAxes *axes, GError **error)
{
  NlSpectrogramOptions so = { 0 };
  g_autofree char *title = g_strdup_printf ("Spectrogram, electrode %u", d->spec_electrode);

  so.value_label = "Power (mV²)";
  if (!nl_spectrogram_figure_draw (axes, d->spec, d->spec_rows, d->spec_cols, d->spec_x0, d->spec_x1,
                                   d->spec_y0, d->spec_y1, &so, error))
    return FALSE;
  nl_axes_set_title (axes, title);
  return TRUE;
}

/* The figure outlives the data it was built from: the labels keep their own positions. */
typedef struct {
  guint  n_el;
  double el_xyz[];
} Names;

static void
draw_electrode_names (NlAxes *axes, cairo_t *cr, gpointer data)
{
  const Names *d = data;
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string ("Sans");
  double px = nl_axes_get_dpi (axes) / 72;

  pango_font_description_set_absolute_size (font, 8 * px * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  cairo_set_source_rgb (cr, 0, 0, 0);
  for (guint e = 0; e < d->n_el; e++)
    {
      char name[16];
      int w, h;

      g_snprintf (name, sizeof name, "%u", e);
      pango_layout_set_text (layout, name, -1);
      pango_layout_get_pixel_size (layout, &w, &h);
      cairo_move_to (cr, nl_axes_x_to_px (axes, d->el_xyz[3 * e]) + 8 * px,
                     nl_axes_y_to_px (axes, d->el_xyz[3 * e + 1]) - h / 2.0);
      pango_cairo_show_layout (cr, layout);
    }
  pango_font_description_free (font);
  g_object_unref (layout);
}

static void
draw_locations (const NlLfpData *d, NlAxes *axes)
{
  NlStyle cells = nl_style ((NlColor) { 0.6, 0.6, 0.6 }, d->n_cells ? "Cells" : NULL);
  g_autofree guint *rank = g_new (guint, d->n_el);
  Names *names;

  nl_axes_set_title (axes, "Electrode locations");
  nl_axes_set_xlabel (axes, "x (µm)");
  nl_axes_set_ylabel (axes, "y (µm)");
  /* y is depth in NetPyNE's networks: the pia on top. */
  nl_axes_set_y_inverted (axes, TRUE);
  nl_axes_set_equal_aspect (axes, TRUE);
  nl_axes_set_frame (axes, TRUE);
  /* Limits around electrodes and cells with a margin, so markers and numbers stay inside. */
  {
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY, pad;
    for (guint e = 0; e < d->n_el; e++)
      {
        x0 = MIN (x0, d->el_xyz[3 * e]), x1 = MAX (x1, d->el_xyz[3 * e]);
        y0 = MIN (y0, d->el_xyz[3 * e + 1]), y1 = MAX (y1, d->el_xyz[3 * e + 1]);
      }
    for (gsize i = 0; i < d->n_cells; i++)
      if (isfinite (d->cell_x[i]) && isfinite (d->cell_y[i]))
        {
          x0 = MIN (x0, d->cell_x[i]), x1 = MAX (x1, d->cell_x[i]);
          y0 = MIN (y0, d->cell_y[i]), y1 = MAX (y1, d->cell_y[i]);
        }
    pad = MAX (50, 0.1 * MAX (x1 - x0, y1 - y0));
    /* A laminar probe is a vertical line: widen x so the panel is not a sliver. */
    if (x1 - x0 < 0.6 * (y1 - y0))
      {
        double c = (x0 + x1) / 2, h = 0.3 * (y1 - y0);
        x0 = c - h, x1 = c + h;
      }
    nl_axes_set_xlim (axes, x0 - pad, x1 + pad);
    nl_axes_set_ylim (axes, y0 - pad, y1 + pad);
  }
  cells.marker = NL_MARKER_CIRCLE;
  cells.marker_size = 3;
  if (d->n_cells)
    nl_axes_scatter (axes, d->cell_x, d->cell_y, d->n_cells, &cells);

  /* Selected electrodes in their traces' colours, the others dark grey. */
  for (guint e = 0; e < d->n_el; e++)
    rank[e] = G_MAXUINT;
  for (guint k = 0; k < d->n_sel; k++)
    rank[d->sel[k]] = k;
  for (guint e = 0; e < d->n_el; e++)
    {
      NlColor c = rank[e] == G_MAXUINT ? (NlColor) { 0.25, 0.25, 0.25 } : nl_palette_color (rank[e], d->n_sel);
      NlStyle st = nl_style (c, NULL);
      double x = d->el_xyz[3 * e], y = d->el_xyz[3 * e + 1];

      st.marker = NL_MARKER_SQUARE;
      st.marker_size = 9;
      nl_axes_scatter (axes, &x, &y, 1, &st);
    }
  /* Each electrode's number right of its marker (a fixed distance in pixels, whatever the
   * scale). */
  names = g_malloc (sizeof (Names) + (gsize) d->n_el * 3 * sizeof (double));
  names->n_el = d->n_el;
  memcpy (names->el_xyz, d->el_xyz, (gsize) d->n_el * 3 * sizeof (double));
  nl_axes_add_custom (axes, NAN, NAN, NAN, NAN, draw_electrode_names, names, g_free);
  if (d->n_cells)
    nl_axes_set_legend (axes, NL_LEGEND_INSIDE);
}

NlFigure *
nl_lfp_figure_new_from_data (const NlLfpData *d, guint width, guint height, GError **error)
{
  g_autoptr(NlFigure) fig = NULL;
  guint parts[4], n = 0;

  g_return_val_if_fail (d != NULL, NULL);
  for (guint b = 0; b < 4; b++)
    if (d->parts & (1u << b))
      parts[n++] = 1u << b;
  if (n == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s", "LFP figure: no part to show");
      return NULL;
    }
  fig = nl_figure_new (width ? width : d->width, height ? height : d->height, d->dpi);
  if (d->title)
    nl_figure_set_title (fig, d->title);
  /* One part fills the figure; more share a 2 × 2 grid, time series above the spectrogram
   * (same time axis), spectra and locations on the right. */
  if (n > 1)
    nl_figure_set_grid (fig, n > 2 ? 2 : 1, 2);
  for (guint k = 0; k < n; k++)
    {
      NlAxes *axes = nl_figure_add_axes (fig, k / 2, k % 2, 1, 1);

      switch (parts[k])
        {
        case NL_LFP_SHOW_TIMESERIES:
          draw_timeseries (d, axes);
          break;
        case NL_LFP_SHOW_PSD:
          if (!draw_psd (d, axes, error))
            return NULL;
          break;
        case NL_LFP_SHOW_SPECTROGRAM:
          if (!draw_spectrogram (d, axes, error))
            return NULL;
          break;
        default:
          draw_locations (d, axes);
          break;
        }
    }
  return g_steal_pointer (&fig);
}

NlFigure *
nl_lfp_figure_new (NlResults *results, NlNetwork *network, const NlLfpFigureOptions *options,
                   GError **error)
{
  g_autoptr(NlLfpData) d = nl_lfp_data_new (results, network, options, error);
  return d ? nl_lfp_figure_new_from_data (d, 0, 0, error) : NULL;
}
