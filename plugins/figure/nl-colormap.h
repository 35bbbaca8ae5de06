/* nl-colormap.h — colours for figures: continuous maps and a categorical palette.
 *
 * Every colour is computed in the Oklab colour space (perceptual lightness L, chroma, hue)
 * and converted to sRGB, so the maps are designed by their lightness: the sequential map's
 * lightness rises linearly (uniform steps, readable on a grey printer), the diverging map's
 * lightness peaks at its centre, and the categorical palette gives each population a
 * different lightness as well as a different hue.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* An sRGB colour, components 0..1. */
typedef struct {
  double r, g, b;
} NlColor;

typedef enum {
  NL_COLORMAP_SEQUENTIAL,   /* dark blue-violet → teal → green → light yellow (viridis-like) */
  NL_COLORMAP_GREYS,        /* black → white, linear in perceptual lightness */
  NL_COLORMAP_DIVERGING,    /* blue → near-white → red, for signed data (CSD, differences) */
} NlColormap;

/* The colour at x (0..1, clamped; NaN gives mid-grey) of `map`. */
NlColor   nl_colormap_eval      (NlColormap  map,
                                 double      x);
/* 256 entries of `map` as 0xAARRGGBB (opaque), for painting images quickly. */
const guint32 *nl_colormap_lut  (NlColormap  map);

/* Colour `index` of a categorical palette of `n` colours (populations). Hues are spread
 * around the circle and lightness alternates between dark and light steps, so neighbours
 * differ in grey too; n ≤ 6 gives distinct lightness for every colour. */
NlColor   nl_palette_color      (guint       index,
                                 guint       n);

/* Relative luminance (CIE Y, 0..1) of an sRGB colour: what a grey rendering keeps. */
double    nl_color_luminance    (NlColor     c);
/* The perceptual lightness (Oklab L, 0..1). */
double    nl_color_lightness    (NlColor     c);

/* "#rrggbb" or a few names ("black", "grey") → colour; FALSE when not understood. */
gboolean  nl_color_parse        (const char *text,
                                 NlColor    *c);

G_END_DECLS
