/* nl-colormap.c — colour maps and the categorical palette, computed in Oklab.
 *
 * Oklab (B. Ottosson, 2020) is a published perceptual colour space: L is perceived
 * lightness, (a, b) the opponent axes. Designing maps as curves in L-chroma-hue and clipping
 * chroma to the sRGB gamut keeps lightness exactly as designed, which is what makes a map
 * uniform and readable in grey.
 */
#include "nl-colormap.h"

#include <math.h>
#include <string.h>

static double
srgb_encode (double v)
{
  if (v <= 0.0031308)
    return 12.92 * v;
  return 1.055 * pow (v, 1 / 2.4) - 0.055;
}

static double
srgb_decode (double v)
{
  if (v <= 0.04045)
    return v / 12.92;
  return pow ((v + 0.055) / 1.055, 2.4);
}

/* Oklab → linear sRGB. */
static void
oklab_to_linear (double L, double a, double b, double rgb[3])
{
  double l = L + 0.3963377774 * a + 0.2158037573 * b;
  double m = L - 0.1055613458 * a - 0.0638541728 * b;
  double s = L - 0.0894841775 * a - 1.2914855480 * b;

  l = l * l * l;
  m = m * m * m;
  s = s * s * s;
  rgb[0] = 4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s;
  rgb[1] = -1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s;
  rgb[2] = -0.0041960863 * l - 0.7034186147 * m + 1.7076147010 * s;
}

static gboolean
in_gamut (const double rgb[3])
{
  const double eps = 1e-7;
  for (int i = 0; i < 3; i++)
    if (rgb[i] < -eps || rgb[i] > 1 + eps)
      return FALSE;
  return TRUE;
}

/* The colour of lightness L, hue h (degrees) and chroma at most c: chroma is reduced until
 * the colour fits sRGB, so L and h are kept exactly. */
static NlColor
lch_color (double L, double c, double h)
{
  double rgb[3], lo = 0, hi = c, hr = h * G_PI / 180;
  NlColor out;

  L = CLAMP (L, 0, 1);
  oklab_to_linear (L, c * cos (hr), c * sin (hr), rgb);
  if (!in_gamut (rgb))
    {
      for (int it = 0; it < 40; it++)
        {
          double mid = 0.5 * (lo + hi);
          oklab_to_linear (L, mid * cos (hr), mid * sin (hr), rgb);
          if (in_gamut (rgb))
            lo = mid;
          else
            hi = mid;
        }
      oklab_to_linear (L, lo * cos (hr), lo * sin (hr), rgb);
    }
  out.r = srgb_encode (CLAMP (rgb[0], 0, 1));
  out.g = srgb_encode (CLAMP (rgb[1], 0, 1));
  out.b = srgb_encode (CLAMP (rgb[2], 0, 1));
  return out;
}

NlColor
nl_colormap_eval (NlColormap map, double x)
{
  if (isnan (x))
    return lch_color (0.6, 0, 0);
  x = CLAMP (x, 0, 1);
  switch (map)
    {
    case NL_COLORMAP_GREYS:
      return lch_color (x, 0, 0);
    case NL_COLORMAP_DIVERGING:
      {
        /* Lightness peaks (nearly white) at zero so the sign reads as hue and the magnitude
         * as darkness. */
        double d = fabs (2 * x - 1);
        return lch_color (0.97 - 0.52 * d, 0.16 * d, x < 0.5 ? 255 : 28);
      }
    case NL_COLORMAP_SEQUENTIAL:
    default:
      /* Lightness linear from dark to light; hue turns from violet through blue, teal and
         green to yellow while chroma grows, as viridis does. */
      return lch_color (0.27 + 0.68 * x, 0.11 + 0.08 * x, 295 - 190 * x);
    }
}

const guint32 *
nl_colormap_lut (NlColormap map)
{
  static guint32 luts[3][256];
  static gsize done[3];
  guint k = MIN ((guint) map, 2);

  if (g_once_init_enter (&done[k]))
    {
      for (int i = 0; i < 256; i++)
        {
          NlColor c = nl_colormap_eval (map, i / 255.0);
          luts[k][i] = 0xff000000u | ((guint32) lround (c.r * 255) << 16)
                       | ((guint32) lround (c.g * 255) << 8) | (guint32) lround (c.b * 255);
        }
      g_once_init_leave (&done[k], 1);
    }
  return luts[k];
}

NlColor
nl_palette_color (guint index, guint n)
{
  guint k, rank;
  double L;

  if (n == 0)
    n = 8;
  k = index % n;
  /* Lightness ranks alternate dark, light, dark, …: the first two populations (often E and
   * I) are far apart and neighbours never share a lightness. */
  rank = (k % 2 == 0) ? k / 2 : n - 1 - k / 2;
  L = n == 1 ? 0.45 : 0.38 + 0.34 * rank / (n - 1);
  /* Hues by the golden angle from blue: any n colours are well spread. */
  return lch_color (L, 0.19, fmod (255 + 137.508 * k, 360));
}

double
nl_color_luminance (NlColor c)
{
  return 0.2126 * srgb_decode (c.r) + 0.7152 * srgb_decode (c.g) + 0.0722 * srgb_decode (c.b);
}

double
nl_color_lightness (NlColor c)
{
  double r = srgb_decode (c.r), g = srgb_decode (c.g), b = srgb_decode (c.b);
  double l = cbrt (0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b);
  double m = cbrt (0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b);
  double s = cbrt (0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b);
  return 0.2104542553 * l + 0.7936177850 * m - 0.0040720468 * s;
}

gboolean
nl_color_parse (const char *text, NlColor *c)
{
  static const struct { const char *name; NlColor c; } names[] = {
    { "black", { 0, 0, 0 } }, { "white", { 1, 1, 1 } },
    { "grey", { 0.5, 0.5, 0.5 } }, { "gray", { 0.5, 0.5, 0.5 } },
    { "red", { 0.8, 0.1, 0.1 } }, { "blue", { 0.1, 0.3, 0.8 } },
  };
  guint v = 0;

  if (!text)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (text, names[i].name) == 0)
      {
        *c = names[i].c;
        return TRUE;
      }
  if (text[0] != '#' || strlen (text) != 7)
    return FALSE;
  for (int i = 1; i < 7; i++)
    {
      int d = g_ascii_xdigit_value (text[i]);
      if (d < 0)
        return FALSE;
      v = v * 16 + (guint) d;
    }
  c->r = ((v >> 16) & 0xff) / 255.0;
  c->g = ((v >> 8) & 0xff) / 255.0;
  c->b = (v & 0xff) / 255.0;
  return TRUE;
}
