/* nl-raster-panel.c — the raster panel: every spike of the results at (time, cell), fluid at
 * ten million spikes.
 *
 * The spikes are never drawn one by one. The visible ones are counted into the plot area's
 * pixel grid on the CPU (nl-raster-bin.c: the raster figure's own mapping), the grid is
 * uploaded as an integer texture and a GtkGLArea draws one quad whose fragment shader turns
 * counts into the population's colour (full colour for a few marks, a density shade for
 * many, as the figure does). The grid is made again only when the view changes (range or
 * size); when that would take longer than a frame it is made in a worker thread while the
 * previous texture stays on screen, stretched to the new range. Axes, ticks and the legend
 * (rates in the window) are the raster figure's, drawn by cairo under the GL area, which
 * sits exactly on the figure's plot area: on screen and in Export the same pixels.
 *
 * Actions ("panel."): zoom-in, zoom-out, pan (d, fraction of the window), reset, set-range
 * ((dd) ms), probe ((dd) panel x, y → "hover"), and the states tests read: range (dd),
 * hover (s: "gid=G pop=P t=T" or ""), plot-area ((iiii) panel px), view-ready (b: the
 * texture on screen is the current view's), computing (b), error (s), stats ((udd): frames
 * drawn, last render callback ms, last binning ms; with NETLOOM_GL_TIMING set, the render
 * time includes glFinish).
 */
#include "nl-config.h"

#include <epoxy/gl.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <nl-panel.h>
#include <nl-raster-figure.h>

#include "nl-raster-bin.h"

#define NL_TYPE_RASTER_PANEL (nl_raster_panel_get_type ())
G_DECLARE_FINAL_TYPE (NlRasterPanel, nl_raster_panel, NL, RASTER_PANEL, GtkWidget)

/* What the texture on screen shows. */
typedef struct {
  gboolean valid;
  double   t0, t1;
  guint    w, h;
  double   lmax;
  gboolean marks;
} Shown;

struct _NlRasterPanel {
  GtkWidget           parent_instance;
  GtkWidget          *box, *overlay, *frame_area, *gl_area, *message, *hover_label, *range_label;
  GSimpleActionGroup *actions;
  NlSession          *session;
  NlResults          *results;      /* what `data` is (being) made of */
  NlRasterData       *data;
  GCancellable       *cancellable;
  guint               generation;
  double              t0, t1;
  double              want_t0, want_t1;   /* a range asked for before the spikes were ready */

  /* The figure around the plot area, rendered for (size, range). */
  cairo_surface_t    *frame;
  int                 frame_w, frame_h, frame_scale;
  double              frame_t0, frame_t1;
  NlRasterData       *frame_data;
  GdkRectangle        plot;         /* in the overlay's coordinates */

  /* GL */
  gboolean            gl_ok, gl_failed, timing;
  GLuint              program, vao, vbo, tex_counts, tex_rows;
  GLint               u_rect, u_tex, u_lmax, u_marks, u_counts, u_rows;
  Shown               shown;
  NlRasterGrid       *pending;      /* made by a worker, not yet uploaded */
  gboolean            binning;
  double              ns_per_spike, sync_ms;
  guint               frames;
  double              render_ms, bin_ms;

  double              drag_t0, drag_t1, pointer_x;
};

static void nl_raster_panel_iface_init (NlPanelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (NlRasterPanel, nl_raster_panel, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (NL_TYPE_PANEL, nl_raster_panel_iface_init))

static void
set_state (NlRasterPanel *self, const char *name, GVariant *value)
{
  GAction *a;

  if (!self->actions)
    {
      /* Disposed: a worker's late answer changes nothing. */
      g_variant_unref (g_variant_ref_sink (value));
      return;
    }
  a = g_action_map_lookup_action (G_ACTION_MAP (self->actions), name);
  g_simple_action_set_state (G_SIMPLE_ACTION (a), value);
}

static void
show_message (NlRasterPanel *self, const char *text)
{
  gtk_label_set_text (GTK_LABEL (self->message), text ? text : "");
  gtk_widget_set_visible (self->message, text != NULL);
}

static void
update_busy (NlRasterPanel *self)
{
  set_state (self, "computing", g_variant_new_boolean (self->cancellable != NULL || self->binning));
}

/* The view ------------------------------------------------------------------------------------ */

/* The status line: the spike under the pointer, or how to move around. */
static void
set_hover (NlRasterPanel *self, const char *state, const char *text)
{
  set_state (self, "hover", g_variant_new_string (state));
  if (!self->hover_label)
    return;
  if (text && *text)
    {
      gtk_label_set_text (GTK_LABEL (self->hover_label), text);
      gtk_widget_remove_css_class (self->hover_label, "dim-label");
    }
  else
    {
      gtk_label_set_text (GTK_LABEL (self->hover_label),
                          self->data ? _("Point at a spike to see its cell · scroll to zoom · drag to pan · "
                                         "double-click to show all")
                                     : "");
      gtk_widget_add_css_class (self->hover_label, "dim-label");
    }
}

static void
set_range (NlRasterPanel *self, double t0, double t1)
{
  double full, span, min_span;
  g_autofree char *text = NULL;

  if (!isfinite (t0) || !isfinite (t1) || t1 <= t0)
    return;
  if (!self->data)
    {
      self->want_t0 = t0, self->want_t1 = t1;
      return;
    }
  full = self->data->t_max - self->data->t_min;
  min_span = MIN (full, 1e-3);
  span = CLAMP (t1 - t0, min_span, full);
  if (span != t1 - t0)
    {
      double c = 0.5 * (t0 + t1);
      t0 = c - 0.5 * span;
    }
  t0 = CLAMP (t0, self->data->t_min, self->data->t_max - span);
  t1 = span == full ? self->data->t_max : t0 + span;
  if (t0 == self->t0 && t1 == self->t1)
    return;
  self->t0 = t0, self->t1 = t1;
  set_state (self, "range", g_variant_new ("(dd)", t0, t1));
  set_state (self, "view-ready", g_variant_new_boolean (FALSE));
  text = g_strdup_printf (_("%.6g – %.6g ms"), t0, t1);
  gtk_label_set_text (GTK_LABEL (self->range_label), text);
  set_hover (self, "", "");
  /* The legend's rates change with the window, and with them the plot area. */
  gtk_widget_queue_allocate (self->overlay);
  gtk_widget_queue_draw (self->frame_area);
  gtk_gl_area_queue_render (GTK_GL_AREA (self->gl_area));
}

static void
zoom_around (NlRasterPanel *self, double factor, double anchor)
{
  double span = (self->t1 - self->t0) / factor, f;

  if (!self->data)
    return;
  f = (anchor - self->t0) / (self->t1 - self->t0);
  set_range (self, anchor - f * span, anchor - f * span + span);
}

static void
reset_range (NlRasterPanel *self)
{
  if (self->data)
    set_range (self, self->data->t_min, self->data->t_max);
}

/* The frame: the raster figure without its spikes (or with them, when GL is missing). */
static void
ensure_frame (NlRasterPanel *self, int w, int h)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  NlRasterOptions o = { 0 };
  g_autoptr(NlFigure) fig = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint64 *counts = NULL;
  NlAxes *axes;
  cairo_t *cr;
  double x, y, pw, ph;
  gboolean ok;
  graphene_point_t p;

  if (!self->data || w < 40 || h < 40)
    {
      g_clear_pointer (&self->frame, cairo_surface_destroy);
      self->plot = (GdkRectangle) { 0, 0, 0, 0 };
      return;
    }
  if (self->frame && self->frame_w == w && self->frame_h == h && self->frame_scale == scale
      && self->frame_t0 == self->t0 && self->frame_t1 == self->t1 && self->frame_data == self->data)
    return;
  o.base.width = (guint) w;
  o.base.height = (guint) h;
  o.base.t_start = self->t0;
  o.base.t_stop = self->t1;
  fig = nl_figure_new_from_options (&o.base, NULL);
  axes = nl_figure_add_axes (fig, 0, 0, 1, 1);
  if (self->gl_failed)
    ok = nl_raster_figure_draw (axes, self->data->results, &o, &error);
  else
    {
      counts = g_new0 (guint64, self->data->sel->n_pops);
      nl_raster_data_count (self->data, self->t0, self->t1, counts);
      ok = nl_raster_figure_draw_frame (axes, self->data->results, &o, counts, &error);
    }
  if (!ok)
    {
      set_state (self, "error", g_variant_new_string (error->message));
      show_message (self, error->message);
      return;
    }
  g_clear_pointer (&self->frame, cairo_surface_destroy);
  self->frame = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w * scale, h * scale);
  cr = cairo_create (self->frame);
  cairo_scale (cr, scale, scale);
  nl_figure_render (fig, cr);
  cairo_destroy (cr);
  self->frame_w = w, self->frame_h = h, self->frame_scale = scale;
  self->frame_t0 = self->t0, self->frame_t1 = self->t1;
  self->frame_data = self->data;
  if (self->gl_failed)
    set_state (self, "view-ready", g_variant_new_boolean (TRUE));   /* the frame has the spikes */
  nl_axes_get_plot_area (axes, &x, &y, &pw, &ph);
  self->plot = (GdkRectangle) { (int) x, (int) y, (int) pw, (int) ph };
  if (!gtk_widget_compute_point (self->overlay, GTK_WIDGET (self), &GRAPHENE_POINT_INIT ((float) x, (float) y), &p))
    p = GRAPHENE_POINT_INIT ((float) x, (float) y);
  set_state (self, "plot-area", g_variant_new ("(iiii)", (int) round (p.x), (int) round (p.y), (int) pw, (int) ph));
}

static gboolean
child_position (GtkOverlay *overlay, GtkWidget *child, GdkRectangle *alloc, NlRasterPanel *self)
{
  if (child != self->gl_area)
    return FALSE;
  ensure_frame (self, gtk_widget_get_width (self->overlay), gtk_widget_get_height (self->overlay));
  *alloc = self->plot;
  return TRUE;
}

static void
frame_draw (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer user_data)
{
  NlRasterPanel *self = user_data;

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  ensure_frame (self, width, height);
  if (!self->frame)
    return;
  cairo_scale (cr, 1.0 / self->frame_scale, 1.0 / self->frame_scale);
  cairo_set_source_surface (cr, self->frame, 0, 0);
  cairo_paint (cr);
}

/* GL ------------------------------------------------------------------------------------------ */

static const char vertex_src[] =
  "in vec2 a_pos;\n"
  "uniform vec4 u_rect;\n"     /* the texture's quad in clip space: x0 y0 x1 y1 */
  "uniform vec2 u_tex;\n"      /* its size in texels: columns, pixel rows */
  "out vec2 v_tex;\n"
  "void main () {\n"
  "  v_tex = a_pos * u_tex;\n"
  "  gl_Position = vec4 (mix (u_rect.xy, u_rect.zw, a_pos), 0.0, 1.0);\n"
  "}\n";

/* counts: one texel per (slot, column), `slots` wide and `columns` tall; rows: per pixel row
 * from the bottom its colour and slot (−1 between cells). */
static const char fragment_src[] =
  "uniform highp usampler2D u_counts;\n"
  "uniform highp sampler2D u_rows;\n"
  "uniform vec2 u_tex;\n"
  "uniform float u_lmax;\n"
  "uniform int u_marks;\n"
  "in vec2 v_tex;\n"
  "out vec4 frag;\n"
  "void main () {\n"
  "  ivec2 p = clamp (ivec2 (floor (v_tex)), ivec2 (0), ivec2 (u_tex) - 1);\n"
  "  vec4 row = texelFetch (u_rows, ivec2 (p.y, 0), 0);\n"
  "  if (row.a < 0.0) discard;\n"
  "  uint n = texelFetch (u_counts, ivec2 (int (row.a), p.x), 0).r;\n"
  "  if (n == 0u) discard;\n"
  "  float a = u_marks != 0 ? 1.0 : 0.75 + 0.25 * log (1.0 + float (n)) / u_lmax;\n"
  "  frag = vec4 (mix (vec3 (1.0), row.rgb, a), 1.0);\n"
  "}\n";

static GLuint
compile (GLenum type, const char *header, const char *src, GError **error)
{
  GLuint s = glCreateShader (type);
  const char *parts[2] = { header, src };
  GLint ok = 0;

  glShaderSource (s, 2, parts, NULL);
  glCompileShader (s);
  glGetShaderiv (s, GL_COMPILE_STATUS, &ok);
  if (!ok)
    {
      char log[1024] = "";
      glGetShaderInfoLog (s, sizeof log, NULL, log);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The raster's shader does not compile: %s"), log);
      glDeleteShader (s);
      return 0;
    }
  return s;
}

static gboolean
gl_setup (NlRasterPanel *self, GError **error)
{
  GdkGLContext *ctx = gtk_gl_area_get_context (GTK_GL_AREA (self->gl_area));
  gboolean es = gdk_gl_context_get_use_es (ctx);
  const char *header = es ? "#version 300 es\nprecision highp float;\nprecision highp int;\n" : "#version 150\n";
  static const float square[] = { 0, 0, 1, 0, 0, 1, 1, 1 };
  int major, minor;
  GLuint vs, fs;
  GLint ok = 0;

  gdk_gl_context_get_version (ctx, &major, &minor);
  if (es ? major < 3 : major * 10 + minor < 32)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("OpenGL %s%d.%d is too old for the raster (it needs 3.2, or ES 3.0)"), es ? "ES " : "",
                   major, minor);
      return FALSE;
    }
  if (!(vs = compile (GL_VERTEX_SHADER, header, vertex_src, error)))
    return FALSE;
  if (!(fs = compile (GL_FRAGMENT_SHADER, header, fragment_src, error)))
    {
      glDeleteShader (vs);
      return FALSE;
    }
  self->program = glCreateProgram ();
  glAttachShader (self->program, vs);
  glAttachShader (self->program, fs);
  glBindAttribLocation (self->program, 0, "a_pos");
  glLinkProgram (self->program);
  glDeleteShader (vs);
  glDeleteShader (fs);
  glGetProgramiv (self->program, GL_LINK_STATUS, &ok);
  if (!ok)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", _("The raster's shader does not link"));
      return FALSE;
    }
  self->u_rect = glGetUniformLocation (self->program, "u_rect");
  self->u_tex = glGetUniformLocation (self->program, "u_tex");
  self->u_lmax = glGetUniformLocation (self->program, "u_lmax");
  self->u_marks = glGetUniformLocation (self->program, "u_marks");
  self->u_counts = glGetUniformLocation (self->program, "u_counts");
  self->u_rows = glGetUniformLocation (self->program, "u_rows");

  glGenVertexArrays (1, &self->vao);
  glBindVertexArray (self->vao);
  glGenBuffers (1, &self->vbo);
  glBindBuffer (GL_ARRAY_BUFFER, self->vbo);
  glBufferData (GL_ARRAY_BUFFER, sizeof square, square, GL_STATIC_DRAW);
  glEnableVertexAttribArray (0);
  glVertexAttribPointer (0, 2, GL_FLOAT, GL_FALSE, 0, NULL);
  glBindVertexArray (0);

  glGenTextures (1, &self->tex_counts);
  glGenTextures (1, &self->tex_rows);
  for (int i = 0; i < 2; i++)
    {
      /* Integer and float textures are complete only without filtering. */
      glBindTexture (GL_TEXTURE_2D, i ? self->tex_rows : self->tex_counts);
      glTexParameteri (GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
      glTexParameteri (GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
      glTexParameteri (GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
      glTexParameteri (GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    }
  return TRUE;
}

/* Hidden from an idle: the GL area is realized in the middle of a frame. */
static gboolean
hide_gl_area (gpointer data)
{
  NlRasterPanel *self = data;
  if (self->gl_area)
    gtk_widget_set_visible (self->gl_area, FALSE);
  return G_SOURCE_REMOVE;
}

static void
gl_fail (NlRasterPanel *self, const GError *error)
{
  g_message ("raster: drawing with cairo instead of OpenGL: %s", error ? error->message : "no context");
  self->gl_ok = FALSE;
  self->gl_failed = TRUE;
  g_idle_add_full (G_PRIORITY_HIGH_IDLE, hide_gl_area, g_object_ref (self), g_object_unref);
  g_clear_pointer (&self->frame, cairo_surface_destroy);
  gtk_widget_queue_draw (self->frame_area);
}

static void
gl_realize (GtkGLArea *area, NlRasterPanel *self)
{
  g_autoptr(GError) error = NULL;

  gtk_gl_area_make_current (area);
  if (gtk_gl_area_get_error (area))
    {
      gl_fail (self, gtk_gl_area_get_error (area));
      return;
    }
  if (!gl_setup (self, &error))
    {
      gl_fail (self, error);
      return;
    }
  self->gl_ok = TRUE;
  self->shown.valid = FALSE;
}

static void
gl_unrealize (GtkGLArea *area, NlRasterPanel *self)
{
  gtk_gl_area_make_current (area);
  if (self->gl_ok && !gtk_gl_area_get_error (area))
    {
      glDeleteTextures (1, &self->tex_counts);
      glDeleteTextures (1, &self->tex_rows);
      glDeleteBuffers (1, &self->vbo);
      glDeleteVertexArrays (1, &self->vao);
      glDeleteProgram (self->program);
    }
  self->gl_ok = FALSE;
  self->shown.valid = FALSE;
}

static void
upload (NlRasterPanel *self, NlRasterGrid *g)
{
  glPixelStorei (GL_UNPACK_ALIGNMENT, 4);
  glBindTexture (GL_TEXTURE_2D, self->tex_counts);
  glTexImage2D (GL_TEXTURE_2D, 0, GL_R32UI, (GLsizei) g->slots, (GLsizei) g->w, 0, GL_RED_INTEGER,
                GL_UNSIGNED_INT, g->counts);
  glBindTexture (GL_TEXTURE_2D, self->tex_rows);
  glTexImage2D (GL_TEXTURE_2D, 0, GL_RGBA32F, (GLsizei) g->h, 1, 0, GL_RGBA, GL_FLOAT, g->rows);
  self->shown = (Shown) { TRUE, g->t0, g->t1, g->w, g->h, log1p (MAX (g->max_count, 1)), g->marks };
  self->bin_ms = g->bin_ms;
}

static void
note_speed (NlRasterPanel *self, guint64 spikes, double ms)
{
  if (spikes >= 100000)
    self->ns_per_spike = ms * 1e6 / spikes;
}

typedef struct {
  NlRasterData *data;
  double        t0, t1;
  guint         w, h;
} BinTask;

static void
bin_task_free (BinTask *b)
{
  nl_raster_data_unref (b->data);
  g_free (b);
}

static void
bin_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  BinTask *b = task_data;
  g_task_return_pointer (task, nl_raster_grid_new (b->data, b->t0, b->t1, b->w, b->h, 0, g_get_num_processors ()),
                         (GDestroyNotify) nl_raster_grid_free);
}

static void
bin_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  NlRasterPanel *self = NL_RASTER_PANEL (source);
  BinTask *b = g_task_get_task_data (G_TASK (result));
  NlRasterGrid *g = g_task_propagate_pointer (G_TASK (result), NULL);

  self->binning = FALSE;
  update_busy (self);
  if (!g || b->data != self->data)
    {
      nl_raster_grid_free (g);
      if (self->data)
        gtk_gl_area_queue_render (GTK_GL_AREA (self->gl_area));
      return;
    }
  {
    guint64 first, last;
    nl_raster_data_window (b->data, b->t0, b->t1, &first, &last);
    note_speed (self, last - first, g->bin_ms);
  }
  nl_raster_grid_free (self->pending);
  self->pending = g;
  gtk_gl_area_queue_render (GTK_GL_AREA (self->gl_area));
}

/* Makes the grid of the current view: here when it is quick, else in a worker. */
static void
rebin (NlRasterPanel *self, guint w, guint h)
{
  guint64 first, last;
  double estimate;
  g_autoptr(GTask) task = NULL;
  BinTask *b;

  if (self->binning)
    return;   /* bin_done draws again, and this view is made then */
  nl_raster_data_window (self->data, self->t0, self->t1, &first, &last);
  estimate = (last - first) * self->ns_per_spike / 1e6;
  if (estimate <= self->sync_ms)
    {
      g_autoptr(NlRasterGrid) g = nl_raster_grid_new (self->data, self->t0, self->t1, w, h, 0, g_get_num_processors ());
      note_speed (self, last - first, g->bin_ms);
      upload (self, g);
      return;
    }
  b = g_new0 (BinTask, 1);
  b->data = nl_raster_data_ref (self->data);
  b->t0 = self->t0, b->t1 = self->t1, b->w = w, b->h = h;
  task = g_task_new (self, NULL, bin_done, NULL);
  g_task_set_task_data (task, b, (GDestroyNotify) bin_task_free);
  self->binning = TRUE;
  update_busy (self);
  g_task_run_in_thread (task, bin_thread);
}

static gboolean
gl_render (GtkGLArea *area, GdkGLContext *context, NlRasterPanel *self)
{
  gint64 start = g_get_monotonic_time ();
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (area));
  guint w = (guint) MAX (gtk_widget_get_width (GTK_WIDGET (area)) * scale, 1);
  guint h = (guint) MAX (gtk_widget_get_height (GTK_WIDGET (area)) * scale, 1);
  gboolean current;

  glViewport (0, 0, (GLsizei) w, (GLsizei) h);
  glClearColor (1, 1, 1, 1);
  glClear (GL_COLOR_BUFFER_BIT);
  if (!self->gl_ok || !self->data)
    return TRUE;
  if (self->pending)
    {
      upload (self, self->pending);
      g_clear_pointer (&self->pending, nl_raster_grid_free);
    }
  current = self->shown.valid && self->shown.t0 == self->t0 && self->shown.t1 == self->t1
            && self->shown.w == w && self->shown.h == h;
  if (!current)
    {
      rebin (self, w, h);
      current = self->shown.valid && self->shown.t0 == self->t0 && self->shown.t1 == self->t1
                && self->shown.w == w && self->shown.h == h;
    }
  if (self->shown.valid)
    {
      /* The texture's window placed in the current one (stretched while a new one is made). */
      double span = self->t1 - self->t0;
      float x0 = (float) (-1 + 2 * (self->shown.t0 - self->t0) / span);
      float x1 = (float) (-1 + 2 * (self->shown.t1 - self->t0) / span);

      glUseProgram (self->program);
      glUniform4f (self->u_rect, x0, -1, x1, 1);
      glUniform2f (self->u_tex, (float) self->shown.w, (float) self->shown.h);
      glUniform1f (self->u_lmax, (float) self->shown.lmax);
      glUniform1i (self->u_marks, self->shown.marks);
      glUniform1i (self->u_counts, 0);
      glUniform1i (self->u_rows, 1);
      glActiveTexture (GL_TEXTURE0);
      glBindTexture (GL_TEXTURE_2D, self->tex_counts);
      glActiveTexture (GL_TEXTURE1);
      glBindTexture (GL_TEXTURE_2D, self->tex_rows);
      glActiveTexture (GL_TEXTURE0);
      glBindVertexArray (self->vao);
      glDrawArrays (GL_TRIANGLE_STRIP, 0, 4);
      glBindVertexArray (0);
      glUseProgram (0);
    }
  if (self->timing)
    glFinish ();
  self->render_ms = (g_get_monotonic_time () - start) / 1000.0;
  self->frames++;
  set_state (self, "stats", g_variant_new ("(udd)", self->frames, self->render_ms, self->bin_ms));
  set_state (self, "view-ready", g_variant_new_boolean (current));
  return TRUE;
}

/* Loading --------------------------------------------------------------------------------------- */

static void
load_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;
  NlRasterData *d = nl_raster_data_new (task_data, cancellable, &error);

  if (d)
    g_task_return_pointer (task, d, (GDestroyNotify) nl_raster_data_unref);
  else
    g_task_return_error (task, error);
}

static void
drop_data (NlRasterPanel *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->generation++;
  g_clear_pointer (&self->data, nl_raster_data_unref);
  g_clear_pointer (&self->results, nl_results_unref);
  g_clear_pointer (&self->pending, nl_raster_grid_free);
  g_clear_pointer (&self->frame, cairo_surface_destroy);
  self->frame_data = NULL;
  self->shown.valid = FALSE;
  self->t0 = self->t1 = 0;
  self->want_t0 = self->want_t1 = 0;
  set_state (self, "view-ready", g_variant_new_boolean (FALSE));
  set_hover (self, "", "");
  if (self->range_label)
    gtk_label_set_text (GTK_LABEL (self->range_label), "");
}

static void
load_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  NlRasterPanel *self = NL_RASTER_PANEL (source);
  g_autoptr(GError) error = NULL;
  NlRasterData *d = g_task_propagate_pointer (G_TASK (result), &error);

  if (GPOINTER_TO_UINT (user_data) != self->generation)
    {
      g_clear_pointer (&d, nl_raster_data_unref);
      return;
    }
  g_clear_object (&self->cancellable);
  update_busy (self);
  if (!d)
    {
      set_state (self, "error", g_variant_new_string (error->message));
      show_message (self, error->message);
      return;
    }
  self->data = d;
  set_state (self, "error", g_variant_new_string (""));
  show_message (self, nl_results_get_n_spikes (d->results) ? NULL : _("These results have no spikes"));
  if (self->want_t1 > self->want_t0)
    set_range (self, self->want_t0, self->want_t1);
  else
    reset_range (self);
  self->want_t0 = self->want_t1 = 0;
}

static void
panel_load (NlPanel *panel, NlSession *session)
{
  NlRasterPanel *self = NL_RASTER_PANEL (panel);
  NlResults *r = nl_session_get_results (session);
  g_autoptr(GTask) task = NULL;

  g_set_object (&self->session, session);
  if (r && r == self->results)
    return;   /* the same spikes: keep the view */
  drop_data (self);
  if (!r)
    {
      show_message (self, _("Open results to see their spikes"));
      return;
    }
  self->results = nl_results_ref (r);
  self->cancellable = g_cancellable_new ();
  show_message (self, _("Reading spikes…"));
  task = g_task_new (self, self->cancellable, load_done, GUINT_TO_POINTER (self->generation));
  g_task_set_task_data (task, nl_results_ref (r), (GDestroyNotify) nl_results_unref);
  update_busy (self);
  g_task_run_in_thread (task, load_thread);
}

static void
panel_unload (NlPanel *panel)
{
  NlRasterPanel *self = NL_RASTER_PANEL (panel);

  drop_data (self);
  g_clear_object (&self->session);
  update_busy (self);
  show_message (self, _("Open results to see their spikes"));
  gtk_widget_queue_draw (self->frame_area);
}

/* Hover ----------------------------------------------------------------------------------------- */

static void
probe (NlRasterPanel *self, double x, double y)
{
  int s = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  graphene_point_t p;
  guint32 gid;
  guint pop;
  double t;
  char tbuf[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *state = NULL, *text = NULL;

  if (!self->data || self->plot.width <= 0
      || !gtk_widget_compute_point (GTK_WIDGET (self), self->overlay, &GRAPHENE_POINT_INIT ((float) x, (float) y), &p)
      || p.x < self->plot.x || p.x >= self->plot.x + self->plot.width || p.y < self->plot.y
      || p.y >= self->plot.y + self->plot.height
      || !nl_raster_data_nearest (self->data, self->t0, self->t1, (guint) (self->plot.width * s),
                                  (guint) (self->plot.height * s), (p.x - self->plot.x) * s,
                                  (self->plot.y + self->plot.height - p.y) * s, 8.0 * s, &gid, &pop, &t))
    {
      set_hover (self, "", "");
      return;
    }
  g_ascii_dtostr (tbuf, sizeof tbuf, t);
  state = g_strdup_printf ("gid=%u pop=%s t=%s", gid, self->data->sel->names[pop], tbuf);
  text = g_strdup_printf (_("Cell %u of %s, spike at %.3f ms"), gid, self->data->sel->names[pop], t);
  set_hover (self, state, text);
}

/* Actions and input ----------------------------------------------------------------------------- */

static void
zoom_in_activated (GSimpleAction *a, GVariant *p, gpointer self_)
{
  NlRasterPanel *self = self_;
  zoom_around (self, 2, 0.5 * (self->t0 + self->t1));
}

static void
zoom_out_activated (GSimpleAction *a, GVariant *p, gpointer self_)
{
  NlRasterPanel *self = self_;
  zoom_around (self, 0.5, 0.5 * (self->t0 + self->t1));
}

static void
pan_activated (GSimpleAction *a, GVariant *p, gpointer self_)
{
  NlRasterPanel *self = self_;
  double d = g_variant_get_double (p) * (self->t1 - self->t0);
  set_range (self, self->t0 + d, self->t1 + d);
}

static void
reset_activated (GSimpleAction *a, GVariant *p, gpointer self)
{
  reset_range (self);
}

static void
set_range_activated (GSimpleAction *a, GVariant *p, gpointer self)
{
  double t0, t1;
  g_variant_get (p, "(dd)", &t0, &t1);
  set_range (self, t0, t1);
}

static void
range_change_state (GSimpleAction *a, GVariant *value, gpointer self)
{
  set_range_activated (a, value, self);
}

static void
probe_activated (GSimpleAction *a, GVariant *p, gpointer self)
{
  double x, y;
  g_variant_get (p, "(dd)", &x, &y);
  probe (self, x, y);
}

/* Overlay coordinates → the panel's. */
static graphene_point_t
to_panel (NlRasterPanel *self, double x, double y)
{
  graphene_point_t p;
  if (!gtk_widget_compute_point (self->overlay, GTK_WIDGET (self), &GRAPHENE_POINT_INIT ((float) x, (float) y), &p))
    p = GRAPHENE_POINT_INIT ((float) x, (float) y);
  return p;
}

static void
motion (GtkEventControllerMotion *c, double x, double y, NlRasterPanel *self)
{
  graphene_point_t p = to_panel (self, x, y);
  self->pointer_x = x;
  probe (self, p.x, p.y);
}

static void
leave (GtkEventControllerMotion *c, NlRasterPanel *self)
{
  set_hover (self, "", "");
}

static gboolean
scrolled (GtkEventControllerScroll *c, double dx, double dy, NlRasterPanel *self)
{
  double f, anchor;

  if (!self->data || self->plot.width <= 0 || dy == 0)
    return FALSE;
  f = CLAMP ((self->pointer_x - self->plot.x) / self->plot.width, 0, 1);
  anchor = self->t0 + f * (self->t1 - self->t0);
  zoom_around (self, pow (1.25, -dy), anchor);
  return TRUE;
}

static void
drag_begin (GtkGestureDrag *g, double x, double y, NlRasterPanel *self)
{
  self->drag_t0 = self->t0, self->drag_t1 = self->t1;
}

static void
drag_update (GtkGestureDrag *g, double dx, double dy, NlRasterPanel *self)
{
  double shift;

  if (!self->data || self->plot.width <= 0)
    return;
  shift = -dx / self->plot.width * (self->drag_t1 - self->drag_t0);
  set_range (self, self->drag_t0 + shift, self->drag_t1 + shift);
}

static void
pressed (GtkGestureClick *g, int n_press, double x, double y, NlRasterPanel *self)
{
  gtk_widget_grab_focus (self->overlay);
  if (n_press == 2)
    reset_range (self);
}

static void
add_shortcut (GtkShortcutController *c, const char *accel, const char *action, GVariant *arg)
{
  GtkShortcut *s = gtk_shortcut_new (gtk_shortcut_trigger_parse_string (accel), gtk_named_action_new (action));
  if (arg)
    gtk_shortcut_set_arguments (s, arg);
  gtk_shortcut_controller_add_shortcut (c, s);
}

/* NlPanel --------------------------------------------------------------------------------------- */

static const char *
get_title (NlPanel *panel)
{
  return _("Raster");
}

static const char *
get_icon_name (NlPanel *panel)
{
  return "view-grid-symbolic";
}

static NlSessionParts
get_needs (NlPanel *panel)
{
  return NL_SESSION_RESULTS;
}

static GActionGroup *
get_action_group (NlPanel *panel)
{
  return G_ACTION_GROUP (NL_RASTER_PANEL (panel)->actions);
}

static gboolean
export_figure (NlPanel *panel, const char *filename, GError **error)
{
  NlRasterPanel *self = NL_RASTER_PANEL (panel);
  NlRasterOptions o = { 0 };
  g_autoptr(NlFigure) fig = NULL;
  int w = gtk_widget_get_width (self->overlay), h = gtk_widget_get_height (self->overlay);

  if (!self->data)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s: %s", get_title (panel),
                   _("no spikes are shown yet, so there is nothing to export"));
      return FALSE;
    }
  /* The view on screen: its range, all populations in their colours, at its size. */
  o.base.width = w >= 40 ? (guint) w : 0;
  o.base.height = h >= 40 ? (guint) h : 0;
  o.base.t_start = self->t0;
  o.base.t_stop = self->t1;
  fig = nl_raster_figure_new (self->data->results, &o, error);
  return fig && nl_figure_save (fig, filename, error);
}

static void
nl_raster_panel_iface_init (NlPanelInterface *iface)
{
  iface->get_title = get_title;
  iface->get_icon_name = get_icon_name;
  iface->get_needs = get_needs;
  iface->load = panel_load;
  iface->unload = panel_unload;
  iface->get_action_group = get_action_group;
  iface->export_figure = export_figure;
}

static void
nl_raster_panel_dispose (GObject *object)
{
  NlRasterPanel *self = NL_RASTER_PANEL (object);

  if (self->box)
    {
      drop_data (self);
      self->hover_label = self->range_label = self->message = NULL;
      self->overlay = self->frame_area = self->gl_area = NULL;
      g_clear_pointer (&self->box, gtk_widget_unparent);
    }
  g_clear_object (&self->session);
  g_clear_object (&self->actions);
  G_OBJECT_CLASS (nl_raster_panel_parent_class)->dispose (object);
}

static void
nl_raster_panel_class_init (NlRasterPanelClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = nl_raster_panel_dispose;
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

static void
nl_raster_panel_init (NlRasterPanel *self)
{
  static const GActionEntry entries[] = {
    { "zoom-in", zoom_in_activated, NULL, NULL, NULL },
    { "zoom-out", zoom_out_activated, NULL, NULL, NULL },
    { "pan", pan_activated, "d", NULL, NULL },
    { "reset", reset_activated, NULL, NULL, NULL },
    { "set-range", set_range_activated, "(dd)", NULL, NULL },
    { "probe", probe_activated, "(dd)", NULL, NULL },
    { "range", NULL, NULL, "(0.0, 0.0)", range_change_state },
    { "hover", NULL, NULL, "''", NULL },
    { "plot-area", NULL, NULL, "(0, 0, 0, 0)", NULL },
    { "view-ready", NULL, NULL, "false", NULL },
    { "computing", NULL, NULL, "false", NULL },
    { "error", NULL, NULL, "''", NULL },
    { "stats", NULL, NULL, "(uint32 0, 0.0, 0.0)", NULL },
  };
  GtkEventController *c;
  GtkGesture *g;
  GtkWidget *bar;
  const char *sync = g_getenv ("NETLOOM_RASTER_SYNC_MS");

  self->timing = g_getenv ("NETLOOM_GL_TIMING") != NULL;
  /* Binning costs a few ns per spike; a view that would take longer than this is made in
   * a worker (the variable lets tests force either path). */
  self->sync_ms = sync ? g_ascii_strtod (sync, NULL) : 30;
  self->ns_per_spike = 5;
  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), entries, G_N_ELEMENTS (entries), self);

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->overlay = gtk_overlay_new ();
  gtk_widget_set_vexpand (self->overlay, TRUE);
  gtk_widget_set_focusable (self->overlay, TRUE);
  gtk_box_append (GTK_BOX (self->box), self->overlay);
  self->frame_area = gtk_drawing_area_new ();
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->frame_area), frame_draw, self, NULL);
  gtk_overlay_set_child (GTK_OVERLAY (self->overlay), self->frame_area);

  self->gl_area = gtk_gl_area_new ();
  g_signal_connect (self->gl_area, "realize", G_CALLBACK (gl_realize), self);
  g_signal_connect (self->gl_area, "unrealize", G_CALLBACK (gl_unrealize), self);
  g_signal_connect (self->gl_area, "render", G_CALLBACK (gl_render), self);
  gtk_overlay_add_overlay (GTK_OVERLAY (self->overlay), self->gl_area);
  g_signal_connect (self->overlay, "get-child-position", G_CALLBACK (child_position), self);

  self->message = gtk_label_new (_("Open results to see their spikes"));
  gtk_label_set_wrap (GTK_LABEL (self->message), TRUE);
  gtk_widget_add_css_class (self->message, "dim-label");
  gtk_widget_set_halign (self->message, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (self->message, GTK_ALIGN_CENTER);
  gtk_widget_set_can_target (self->message, FALSE);
  gtk_overlay_add_overlay (GTK_OVERLAY (self->overlay), self->message);

  bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_margin_start (bar, 8);
  gtk_widget_set_margin_end (bar, 8);
  gtk_widget_set_margin_top (bar, 2);
  gtk_widget_set_margin_bottom (bar, 2);
  self->hover_label = gtk_label_new ("");
  gtk_label_set_xalign (GTK_LABEL (self->hover_label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (self->hover_label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (self->hover_label, TRUE);
  gtk_box_append (GTK_BOX (bar), self->hover_label);
  self->range_label = gtk_label_new ("");
  gtk_widget_add_css_class (self->range_label, "dim-label");
  gtk_widget_set_tooltip_text (self->range_label,
                               _("Scroll to zoom, drag to pan, double-click to show all; "
                                 "Ctrl+plus, Ctrl+minus, arrows, Ctrl+0"));
  gtk_box_append (GTK_BOX (bar), self->range_label);
  gtk_box_append (GTK_BOX (self->box), bar);

  c = gtk_event_controller_motion_new ();
  g_signal_connect (c, "enter", G_CALLBACK (motion), self);
  g_signal_connect (c, "motion", G_CALLBACK (motion), self);
  g_signal_connect (c, "leave", G_CALLBACK (leave), self);
  gtk_widget_add_controller (self->overlay, c);
  c = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect (c, "scroll", G_CALLBACK (scrolled), self);
  gtk_widget_add_controller (self->overlay, c);
  g = gtk_gesture_drag_new ();
  g_signal_connect (g, "drag-begin", G_CALLBACK (drag_begin), self);
  g_signal_connect (g, "drag-update", G_CALLBACK (drag_update), self);
  gtk_widget_add_controller (self->overlay, GTK_EVENT_CONTROLLER (g));
  g = gtk_gesture_click_new ();
  g_signal_connect (g, "pressed", G_CALLBACK (pressed), self);
  gtk_widget_add_controller (self->overlay, GTK_EVENT_CONTROLLER (g));

  c = gtk_shortcut_controller_new ();
  add_shortcut (GTK_SHORTCUT_CONTROLLER (c), "<Control>plus", "panel.zoom-in", NULL);
  add_shortcut (GTK_SHORTCUT_CONTROLLER (c), "<Control>equal", "panel.zoom-in", NULL);
  add_shortcut (GTK_SHORTCUT_CONTROLLER (c), "<Control>KP_Add", "panel.zoom-in", NULL);
  add_shortcut (GTK_SHORTCUT_CONTROLLER (c), "<Control>minus", "panel.zoom-out", NULL);
  add_shortcut (GTK_SHORTCUT_CONTROLLER (c), "<Control>KP_Subtract", "panel.zoom-out", NULL);
  add_shortcut (GTK_SHORTCUT_CONTROLLER (c), "<Control>0", "panel.reset", NULL);
  add_shortcut (GTK_SHORTCUT_CONTROLLER (c), "Left", "panel.pan", g_variant_new_double (-0.1));
  add_shortcut (GTK_SHORTCUT_CONTROLLER (c), "Right", "panel.pan", g_variant_new_double (0.1));
  gtk_widget_add_controller (GTK_WIDGET (self), c);
}

NL_PANEL_MODULE (nl_raster_panel, NL_TYPE_RASTER_PANEL, "raster", 30)
