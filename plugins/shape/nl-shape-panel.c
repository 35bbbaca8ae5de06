/* nl-shape-panel.c — the cell-shape panel: the network's cells (or one cell) in 3-D, drawn
 * with OpenGL (GtkGLArea + libepoxy), each segment a camera-facing quad as wide as its
 * diameter, coloured by population or by synapses per segment. Drag rotates, scroll zooms.
 *
 * The morphology (core/nl-morphology) and the colours are computed in a worker thread; every
 * frame projects the segments with the same view as the GTK-free shape figure
 * (nl_shape_project, the bounding sphere filling the shorter side at zoom 1), so Export
 * writes what is on screen. Actions ("panel." prefix, states readable by tests): rotate (dd)
 * turns the view by (azimuth, elevation) degrees, its state the view; zoom (d) multiplies
 * the magnification, its state the magnification; reset; cell (s) "all" or a gid;
 * color-by (s) "population" or "synapses"; computing (b) and error (s).
 */
#include "nl-config.h"

#include <epoxy/gl.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <nl-morphology.h>
#include <nl-panel.h>
#include <nl-shape-figure.h>

#define NL_TYPE_SHAPE_PANEL (nl_shape_panel_get_type ())
G_DECLARE_FINAL_TYPE (NlShapePanel, nl_shape_panel, NL, SHAPE_PANEL, GtkWidget)

/* What the worker makes. */
typedef struct {
  NlMorphology *m;
  float        *rgb;          /* 3 per segment */
  double        vmax;         /* synapses: the largest count */
  double        centre[3], radius;
} ShapeData;

struct _NlShapePanel {
  GtkWidget           parent_instance;
  GtkWidget          *box;
  GtkGLArea          *area;
  GtkWidget          *scale_bar;  /* drawn over the GL view */
  GtkEntry           *cell_entry;
  GtkLabel           *legend;
  GSimpleActionGroup *actions;

  NlSpec             *spec;
  NlNetwork          *net;
  ShapeData          *data;
  GCancellable       *cancellable;

  double              azimuth, elevation, zoom;
  char               *cell;       /* "all" or a gid */
  char               *color_by;   /* "population" or "synapses" */
  double              drag_az, drag_el;

  GLuint              program, vao, vbo;
  gboolean            gl_ok;
  char               *gl_error;   /* why the view cannot draw, kept over recomputations */
};

static void nl_shape_panel_iface_init (NlPanelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (NlShapePanel, nl_shape_panel, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (NL_TYPE_PANEL, nl_shape_panel_iface_init))

static void
shape_data_free (ShapeData *d)
{
  if (!d)
    return;
  nl_morphology_free (d->m);
  g_free (d->rgb);
  g_free (d);
}

static void
set_state (NlShapePanel *self, const char *name, GVariant *state)
{
  GAction *a = g_action_map_lookup_action (G_ACTION_MAP (self->actions), name);
  g_simple_action_set_state (G_SIMPLE_ACTION (a), state);
}

/* ---- the worker ------------------------------------------------------------------------ */

typedef struct {
  NlSpec    *spec;
  NlNetwork *net;
  gboolean   all;
  guint      gid;
  gboolean   synapses;
} Job;

static void
job_free (Job *j)
{
  g_object_unref (j->spec);
  nl_network_unref (j->net);
  g_free (j);
}

static void
compute_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Job *j = task_data;
  GError *error = NULL;
  guint n_pops = nl_network_get_n_pops (j->net);
  NlMorphology *m = nl_morphology_new_for_network (j->spec, j->net, j->all ? NULL : &j->gid,
                                                   j->all ? 0 : 1, &error);
  if (!m)
    {
      g_task_return_error (task, error);
      return;
    }
  guint n = nl_morphology_get_n_segments (m);
  if (n == 0)
    {
      nl_morphology_free (m);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s",
                               _("No cells with sections: artificial cells have no shape"));
      return;
    }
  ShapeData *d = g_new0 (ShapeData, 1);
  g_autofree double *counts = NULL;
  double lo[3], hi[3];
  d->m = m;
  d->rgb = g_new (float, 3 * (gsize) n);
  if (j->synapses)
    {
      counts = g_new (double, n);
      nl_morphology_count_synapses (m, j->net, counts);
      for (guint i = 0; i < n; i++)
        d->vmax = MAX (d->vmax, counts[i]);
    }
  for (guint i = 0; i < n; i++)
    {
      const NlMorphSegment *s = nl_morphology_get_segment (m, i);
      NlColor c = counts ? nl_colormap_eval (NL_COLORMAP_SEQUENTIAL, d->vmax > 0 ? counts[i] / d->vmax : 0)
                         : nl_palette_color (nl_network_cell_pop (j->net, s->gid), n_pops);
      d->rgb[3 * i] = (float) c.r, d->rgb[3 * i + 1] = (float) c.g, d->rgb[3 * i + 2] = (float) c.b;
    }
  nl_morphology_get_bounds (m, lo, hi);
  for (int k = 0; k < 3; k++)
    {
      d->centre[k] = (lo[k] + hi[k]) / 2;
      d->radius += (hi[k] - lo[k]) * (hi[k] - lo[k]) / 4;
    }
  d->radius = MAX (sqrt (d->radius), 1.0) * 1.05;
  g_task_return_pointer (task, d, (GDestroyNotify) shape_data_free);
}

static void
update_legend (NlShapePanel *self)
{
  g_autoptr(GString) s = g_string_new (NULL);
  if (!self->data || !self->net)
    {
      gtk_label_set_text (self->legend, "");
      return;
    }
  if (g_str_equal (self->color_by, "synapses"))
    g_string_printf (s, _("Synapses per segment: 0 (dark) to %g (light)"), self->data->vmax);
  else
    {
      guint n_pops = nl_network_get_n_pops (self->net);
      g_autofree gboolean *seen = g_new0 (gboolean, MAX (n_pops, 1));
      for (guint i = 0; i < nl_morphology_get_n_segments (self->data->m); i++)
        seen[nl_network_cell_pop (self->net, nl_morphology_get_segment (self->data->m, i)->gid)] = TRUE;
      for (guint p = 0; p < n_pops; p++)
        if (seen[p])
          {
            NlColor c = nl_palette_color (p, n_pops);
            g_autofree char *name = g_markup_escape_text (nl_network_get_pop (self->net, p)->name, -1);
            g_string_append_printf (s, "%s<span foreground=\"#%02x%02x%02x\">\xe2\x96\xa0</span> %s",
                                    s->len ? "   " : "", (int) lround (c.r * 255), (int) lround (c.g * 255),
                                    (int) lround (c.b * 255), name);
          }
    }
  gtk_label_set_markup (self->legend, s->str);
}

static void
compute_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  NlShapePanel *self = user_data;
  g_autoptr(GError) error = NULL;
  ShapeData *d = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    {
      shape_data_free (d);
      g_object_unref (self);
      return;
    }
  shape_data_free (self->data);
  self->data = d;
  set_state (self, "computing", g_variant_new_boolean (FALSE));
  set_state (self, "error", g_variant_new_string (error ? error->message : self->gl_error ? self->gl_error : ""));
  update_legend (self);
  gtk_gl_area_queue_render (self->area);
  gtk_widget_queue_draw (self->scale_bar);
  g_object_unref (self);
}

static void
recompute (NlShapePanel *self)
{
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  shape_data_free (g_steal_pointer (&self->data));
  update_legend (self);
  if (!self->spec || !self->net)
    {
      set_state (self, "computing", g_variant_new_boolean (FALSE));
      gtk_gl_area_queue_render (self->area);
      return;
    }
  Job *j = g_new0 (Job, 1);
  j->spec = g_object_ref (self->spec);
  j->net = nl_network_ref (self->net);
  j->all = g_str_equal (self->cell, "all");
  j->gid = j->all ? 0 : (guint) g_ascii_strtoull (self->cell, NULL, 10);
  j->synapses = g_str_equal (self->color_by, "synapses");
  self->cancellable = g_cancellable_new ();
  set_state (self, "computing", g_variant_new_boolean (TRUE));
  set_state (self, "error", g_variant_new_string (""));
  GTask *task = g_task_new (NULL, self->cancellable, compute_done, g_object_ref (self));
  g_task_set_task_data (task, j, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, compute_thread);
  g_object_unref (task);
}

/* ---- OpenGL ------------------------------------------------------------------------------ */

static GLuint
compile (GLenum type, const char *src, GError **error)
{
  GLuint s = glCreateShader (type);
  GLint ok = 0;
  glShaderSource (s, 1, &src, NULL);
  glCompileShader (s);
  glGetShaderiv (s, GL_COMPILE_STATUS, &ok);
  if (!ok)
    {
      char log[512] = "";
      glGetShaderInfoLog (s, sizeof log, NULL, log);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "shader: %s", log);
      glDeleteShader (s);
      return 0;
    }
  return s;
}

static void
area_realize (GtkGLArea *area, NlShapePanel *self)
{
  g_autoptr(GError) error = NULL;
  gboolean es;
  gtk_gl_area_make_current (area);
  if (gtk_gl_area_get_error (area))
    {
      g_autofree char *msg = g_strdup_printf (_("OpenGL is not available: %s (Export still draws the cells)"),
                                              gtk_gl_area_get_error (area)->message);
      set_state (self, "error", g_variant_new_string (msg));
      g_free (self->gl_error);
      self->gl_error = g_steal_pointer (&msg);
      return;
    }
  es = gdk_gl_context_get_use_es (gtk_gl_area_get_context (area));
  const char *head = es ? "#version 300 es\nprecision mediump float;\n" : "#version 150\n";
  g_autofree char *vs = g_strconcat (head, "in vec3 pos;\nin vec3 col;\nout vec3 vcol;\n"
                                     "void main () { gl_Position = vec4 (pos, 1.0); vcol = col; }\n", NULL);
  g_autofree char *fs = g_strconcat (head, "in vec3 vcol;\nout vec4 frag;\n"
                                     "void main () { frag = vec4 (vcol, 1.0); }\n", NULL);
  GLuint v = compile (GL_VERTEX_SHADER, vs, &error), f = v ? compile (GL_FRAGMENT_SHADER, fs, &error) : 0;
  if (!v || !f)
    {
      if (v)
        glDeleteShader (v);
      set_state (self, "error", g_variant_new_string (error->message));
      g_free (self->gl_error);
      self->gl_error = g_strdup (error->message);
      return;
    }
  self->program = glCreateProgram ();
  glAttachShader (self->program, v);
  glAttachShader (self->program, f);
  glBindAttribLocation (self->program, 0, "pos");
  glBindAttribLocation (self->program, 1, "col");
  glLinkProgram (self->program);
  glDeleteShader (v);
  glDeleteShader (f);
  glGenVertexArrays (1, &self->vao);
  glGenBuffers (1, &self->vbo);
  self->gl_ok = TRUE;
}

static void
area_unrealize (GtkGLArea *area, NlShapePanel *self)
{
  gtk_gl_area_make_current (area);
  if (self->gl_ok && !gtk_gl_area_get_error (area))
    {
      glDeleteBuffers (1, &self->vbo);
      glDeleteVertexArrays (1, &self->vao);
      glDeleteProgram (self->program);
    }
  self->gl_ok = FALSE;
}

/* The view as the figure draws it at zoom ≥ 1: the bounding sphere fills the shorter side. */
static void
push_quad (GArray *v, const double a[2], const double b[2], double z, double hw, const float *rgb,
           double w, double h)
{
  double dx = b[0] - a[0], dy = b[1] - a[1], len = hypot (dx, dy);
  double ux = len > 1e-9 ? dx / len : 1, uy = len > 1e-9 ? dy / len : 0;
  double nx = -uy * hw, ny = ux * hw;
  /* flat ends at the segment's ends: a soma L long looks L long (caps would add its diameter);
   * a segment seen end-on still shows as a square of its diameter */
  double ext = len > 1e-9 ? 0 : hw;
  double p0x = a[0] - ux * ext, p0y = a[1] - uy * ext, p1x = b[0] + ux * ext, p1y = b[1] + uy * ext;
  double corners[4][2] = { { p0x + nx, p0y + ny }, { p0x - nx, p0y - ny }, { p1x - nx, p1y - ny }, { p1x + nx, p1y + ny } };
  static const int order[6] = { 0, 1, 2, 0, 2, 3 };
  for (int k = 0; k < 6; k++)
    {
      float vert[6] = { (float) (corners[order[k]][0] / w * 2 - 1), (float) (1 - corners[order[k]][1] / h * 2),
                        (float) z, rgb[0], rgb[1], rgb[2] };
      g_array_append_vals (v, vert, 6);
    }
}

static gboolean
area_render (GtkGLArea *area, GdkGLContext *context, NlShapePanel *self)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (area));
  double w = gtk_widget_get_width (GTK_WIDGET (area)) * scale, h = gtk_widget_get_height (GTK_WIDGET (area)) * scale;

  glClearColor (1, 1, 1, 1);
  glClearDepthf (1);
  glClear (GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
  if (!self->gl_ok || !self->data || w < 2 || h < 2)
    return TRUE;

  ShapeData *d = self->data;
  guint n = nl_morphology_get_n_segments (d->m);
  double cu, cv, cd, px_per_um = MIN (w, h) / (2 * d->radius) * self->zoom;
  g_autoptr(GArray) v = g_array_sized_new (FALSE, FALSE, sizeof (float), 36 * n);
  nl_shape_project (self->azimuth, self->elevation, d->centre, &cu, &cv, &cd);
  for (guint i = 0; i < n; i++)
    {
      const NlMorphSegment *s = nl_morphology_get_segment (d->m, i);
      double a[2], b[2], da, db;
      nl_shape_project (self->azimuth, self->elevation, s->start, &a[0], &a[1], &da);
      nl_shape_project (self->azimuth, self->elevation, s->end, &b[0], &b[1], &db);
      a[0] = w / 2 + (a[0] - cu) * px_per_um, a[1] = h / 2 - (a[1] - cv) * px_per_um;
      b[0] = w / 2 + (b[0] - cu) * px_per_um, b[1] = h / 2 - (b[1] - cv) * px_per_um;
      /* nearer (larger depth) wins the depth test */
      double z = CLAMP (-((da + db) / 2 - cd) / (2 * d->radius), -0.99, 0.99);
      push_quad (v, a, b, z, MAX (0.75 * scale, s->diam * px_per_um / 2), d->rgb + 3 * i, w, h);
    }
  glEnable (GL_DEPTH_TEST);
  glDepthFunc (GL_LEQUAL);
  glUseProgram (self->program);
  glBindVertexArray (self->vao);
  glBindBuffer (GL_ARRAY_BUFFER, self->vbo);
  glBufferData (GL_ARRAY_BUFFER, (GLsizeiptr) (v->len * sizeof (float)), v->data, GL_STREAM_DRAW);
  glEnableVertexAttribArray (0);
  glVertexAttribPointer (0, 3, GL_FLOAT, GL_FALSE, 6 * sizeof (float), (void *) 0);
  glEnableVertexAttribArray (1);
  glVertexAttribPointer (1, 3, GL_FLOAT, GL_FALSE, 6 * sizeof (float), (void *) (3 * sizeof (float)));
  glDrawArrays (GL_TRIANGLES, 0, (GLsizei) (v->len / 6));
  glBindVertexArray (0);
  glUseProgram (0);
  glDisable (GL_DEPTH_TEST);
  return TRUE;
}

/* A 1-2-5 × 10^k µm bar, about a fifth of the view wide, in the lower right corner. */
static void
draw_scale_bar (GtkDrawingArea *da, cairo_t *cr, int w, int h, gpointer user_data)
{
  NlShapePanel *self = user_data;
  if (!self->data || w < 50 || h < 50)
    return;
  double px_per_um = MIN (w, h) / (2 * self->data->radius) * self->zoom;
  double target = w / 5.0 / px_per_um, p = pow (10, floor (log10 (target))), m = target / p;
  double len = (m >= 5 ? 5 : m >= 2 ? 2 : 1) * p, len_px = len * px_per_um;
  double x1 = w - 16, x0 = x1 - len_px, y = h - 16;
  g_autofree char *label = len >= 1000 ? g_strdup_printf ("%g mm", len / 1000) : g_strdup_printf ("%g \xc2\xb5m", len);
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (da), label);
  int tw, th;
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  cairo_set_line_width (cr, 3);
  cairo_move_to (cr, x0, y);
  cairo_line_to (cr, x1, y);
  cairo_stroke (cr);
  pango_layout_get_pixel_size (layout, &tw, &th);
  cairo_move_to (cr, (x0 + x1 - tw) / 2, y - 4 - th);
  pango_cairo_show_layout (cr, layout);
  g_object_unref (layout);
}

/* ---- actions ----------------------------------------------------------------------------- */

static void
set_view (NlShapePanel *self, double az, double el, double zoom)
{
  self->azimuth = fmod (az, 360);
  self->elevation = CLAMP (el, -90, 90);
  self->zoom = CLAMP (zoom, 0.05, 200);
  set_state (self, "rotate", g_variant_new ("(dd)", self->azimuth, self->elevation));
  set_state (self, "zoom", g_variant_new_double (self->zoom));
  gtk_gl_area_queue_render (self->area);
  gtk_widget_queue_draw (self->scale_bar);
}

static void
rotate_activate (GSimpleAction *a, GVariant *p, gpointer user_data)
{
  NlShapePanel *self = user_data;
  double daz, del;
  g_variant_get (p, "(dd)", &daz, &del);
  set_view (self, self->azimuth + daz, self->elevation + del, self->zoom);
}

static void
zoom_activate (GSimpleAction *a, GVariant *p, gpointer user_data)
{
  NlShapePanel *self = user_data;
  double f = g_variant_get_double (p);
  if (f > 0 && isfinite (f))
    set_view (self, self->azimuth, self->elevation, self->zoom * f);
}

static void
reset_activate (GSimpleAction *a, GVariant *p, gpointer user_data)
{
  set_view (user_data, 0, 0, 1);
}

static void
cell_change (GSimpleAction *a, GVariant *value, gpointer user_data)
{
  NlShapePanel *self = user_data;
  const char *s = g_variant_get_string (value, NULL);
  guint64 gid;
  if (!*s || g_ascii_strcasecmp (s, "all") == 0)
    s = "all";
  else if (!g_ascii_string_to_unsigned (s, 10, 0, self->net ? MAX (nl_network_get_n_cells (self->net), 1) - 1 : G_MAXUINT32,
                                        &gid, NULL))
    {
      g_autofree char *msg = g_strdup_printf (_("Cell '%s': give \"all\" or a gid from 0 to %u"), s,
                                              self->net ? MAX (nl_network_get_n_cells (self->net), 1) - 1 : 0);
      set_state (self, "error", g_variant_new_string (msg));
      return;
    }
  g_free (self->cell);
  self->cell = g_strdup (s);
  g_simple_action_set_state (a, g_variant_new_string (self->cell));
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->cell_entry)), self->cell) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->cell_entry), g_str_equal (self->cell, "all") ? "" : self->cell);
  recompute (self);
}

static void
color_change (GSimpleAction *a, GVariant *value, gpointer user_data)
{
  NlShapePanel *self = user_data;
  const char *s = g_variant_get_string (value, NULL);
  if (!g_str_equal (s, "population") && !g_str_equal (s, "synapses"))
    return;
  g_free (self->color_by);
  self->color_by = g_strdup (s);
  g_simple_action_set_state (a, value);
  recompute (self);
}

static void
cell_entry_activate (GtkEntry *entry, NlShapePanel *self)
{
  const char *t = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_action_group_change_action_state (G_ACTION_GROUP (self->actions), "cell", g_variant_new_string (*t ? t : "all"));
}

static void
drag_begin (GtkGestureDrag *g, double x, double y, NlShapePanel *self)
{
  self->drag_az = self->drag_el = 0;
}

static void
drag_update (GtkGestureDrag *g, double dx, double dy, NlShapePanel *self)
{
  /* half a degree per pixel; dragging up tilts the top away */
  double az = dx * 0.5, el = dy * 0.5;
  g_action_group_activate_action (G_ACTION_GROUP (self->actions), "rotate",
                                  g_variant_new ("(dd)", az - self->drag_az, el - self->drag_el));
  self->drag_az = az, self->drag_el = el;
}

static gboolean
scrolled (GtkEventControllerScroll *c, double dx, double dy, NlShapePanel *self)
{
  g_action_group_activate_action (G_ACTION_GROUP (self->actions), "zoom", g_variant_new_double (pow (1.15, -dy)));
  return TRUE;
}

/* ---- NlPanel ----------------------------------------------------------------------------- */

static const char *
get_title (NlPanel *panel)
{
  return _("Cell Shape");
}

static const char *
get_icon_name (NlPanel *panel)
{
  return "object-rotate-right-symbolic";
}

static NlSessionParts
get_needs (NlPanel *panel)
{
  return NL_SESSION_SPEC | NL_SESSION_NETWORK;
}

static void
load (NlPanel *panel, NlSession *session)
{
  NlShapePanel *self = NL_SHAPE_PANEL (panel);
  NlSpec *spec = nl_session_get_spec (session);
  NlNetwork *net = nl_session_get_network (session);
  g_set_object (&self->spec, spec);
  g_clear_pointer (&self->net, nl_network_unref);
  self->net = net ? nl_network_ref (net) : NULL;
  recompute (self);
}

static void
unload (NlPanel *panel)
{
  NlShapePanel *self = NL_SHAPE_PANEL (panel);
  g_clear_object (&self->spec);
  g_clear_pointer (&self->net, nl_network_unref);
  recompute (self);
}

static GActionGroup *
get_action_group (NlPanel *panel)
{
  return G_ACTION_GROUP (NL_SHAPE_PANEL (panel)->actions);
}

static gboolean
export_figure (NlPanel *panel, const char *filename, GError **error)
{
  NlShapePanel *self = NL_SHAPE_PANEL (panel);
  NlShapeOptions o = { 0 };
  if (!self->data)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s",
                   _("nothing is shown yet, so there is nothing to export"));
      return FALSE;
    }
  o.base.width = MAX (gtk_widget_get_width (GTK_WIDGET (self->area)), 300);
  o.base.height = MAX (gtk_widget_get_height (GTK_WIDGET (self->area)), 200);
  o.azimuth = self->azimuth;
  o.elevation = self->elevation;
  o.zoom = self->zoom;
  o.color_by = g_str_equal (self->color_by, "synapses") ? NL_SHAPE_COLOR_SYNAPSES : NL_SHAPE_COLOR_POPULATION;
  g_autoptr(NlFigure) fig = nl_shape_figure_new (self->data->m, self->net, &o, error);
  return fig && nl_figure_save (fig, filename, error);
}

static void
nl_shape_panel_iface_init (NlPanelInterface *iface)
{
  iface->get_title = get_title;
  iface->get_icon_name = get_icon_name;
  iface->get_needs = get_needs;
  iface->load = load;
  iface->unload = unload;
  iface->get_action_group = get_action_group;
  iface->export_figure = export_figure;
}

static void
nl_shape_panel_dispose (GObject *object)
{
  NlShapePanel *self = NL_SHAPE_PANEL (object);
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->spec);
  g_clear_pointer (&self->net, nl_network_unref);
  g_clear_pointer (&self->data, shape_data_free);
  g_clear_object (&self->actions);
  G_OBJECT_CLASS (nl_shape_panel_parent_class)->dispose (object);
}

static void
nl_shape_panel_finalize (GObject *object)
{
  NlShapePanel *self = NL_SHAPE_PANEL (object);
  g_free (self->cell);
  g_free (self->color_by);
  g_free (self->gl_error);
  G_OBJECT_CLASS (nl_shape_panel_parent_class)->finalize (object);
}

static void
nl_shape_panel_class_init (NlShapePanelClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = nl_shape_panel_dispose;
  G_OBJECT_CLASS (klass)->finalize = nl_shape_panel_finalize;
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

static void
nl_shape_panel_init (NlShapePanel *self)
{
  const GActionEntry entries[] = {
    { "rotate", rotate_activate, "(dd)", "(0.0, 0.0)", NULL },
    { "zoom", zoom_activate, "d", "1.0", NULL },
    { "reset", reset_activate, NULL, NULL, NULL },
    { "cell", NULL, "s", "'all'", cell_change },
    { "color-by", NULL, "s", "'population'", color_change },
    { "computing", NULL, NULL, "false", NULL },
    { "error", NULL, NULL, "''", NULL },
  };
  GtkWidget *bar, *w;

  self->zoom = 1;
  self->cell = g_strdup ("all");
  self->color_by = g_strdup ("population");
  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), entries, G_N_ELEMENTS (entries), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "panel", G_ACTION_GROUP (self->actions));

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_margin_start (bar, 6);
  gtk_widget_set_margin_end (bar, 6);
  gtk_widget_set_margin_top (bar, 6);
  gtk_box_append (GTK_BOX (self->box), bar);

  gtk_box_append (GTK_BOX (bar), gtk_label_new (_("Cell")));
  self->cell_entry = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_placeholder_text (self->cell_entry, _("all"));
  gtk_editable_set_width_chars (GTK_EDITABLE (self->cell_entry), 6);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->cell_entry), _("A gid to show one cell, empty for all cells"));
  g_signal_connect (self->cell_entry, "activate", G_CALLBACK (cell_entry_activate), self);
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->cell_entry));

  g_autoptr(GMenu) menu = g_menu_new ();
  g_menu_append (menu, _("Population"), "panel.color-by::population");
  g_menu_append (menu, _("Synapses per segment"), "panel.color-by::synapses");
  w = gtk_menu_button_new ();
  gtk_menu_button_set_label (GTK_MENU_BUTTON (w), _("Colour"));
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (w), G_MENU_MODEL (menu));
  gtk_box_append (GTK_BOX (bar), w);

  w = gtk_button_new_from_icon_name ("view-restore-symbolic");
  gtk_widget_set_tooltip_text (w, _("Reset the view (x–y plane, whole cells)"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (w), "panel.reset");
  gtk_box_append (GTK_BOX (bar), w);

  self->legend = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_ellipsize (self->legend, PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (GTK_WIDGET (self->legend), TRUE);
  gtk_label_set_xalign (self->legend, 0);
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->legend));

  self->area = GTK_GL_AREA (gtk_gl_area_new ());
  gtk_gl_area_set_has_depth_buffer (self->area, TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self->area), TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->area), TRUE);
  gtk_widget_set_size_request (GTK_WIDGET (self->area), 200, 200);
  g_signal_connect (self->area, "realize", G_CALLBACK (area_realize), self);
  g_signal_connect (self->area, "unrealize", G_CALLBACK (area_unrealize), self);
  g_signal_connect (self->area, "render", G_CALLBACK (area_render), self);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->area), _("Drag to rotate, scroll to zoom"));
  GtkWidget *overlay = gtk_overlay_new ();
  gtk_overlay_set_child (GTK_OVERLAY (overlay), GTK_WIDGET (self->area));
  self->scale_bar = gtk_drawing_area_new ();
  gtk_widget_set_can_target (self->scale_bar, FALSE);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->scale_bar), draw_scale_bar, self, NULL);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), self->scale_bar);
  gtk_box_append (GTK_BOX (self->box), overlay);

  GtkGesture *drag = gtk_gesture_drag_new ();
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update), self);
  gtk_widget_add_controller (GTK_WIDGET (self->area), GTK_EVENT_CONTROLLER (drag));
  GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect (scroll, "scroll", G_CALLBACK (scrolled), self);
  gtk_widget_add_controller (GTK_WIDGET (self->area), scroll);
}

NL_PANEL_MODULE (nl_shape_panel, NL_TYPE_SHAPE_PANEL, "shape", 30)
