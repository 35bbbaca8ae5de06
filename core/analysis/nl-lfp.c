/* nl-lfp.c — line-source and point-source transfer resistances (see nl-lfp.h). */
#include "nl-lfp.h"

#include <math.h>
#include <string.h>

static const char *const method_names[NL_LFP_N_METHODS] = {
  "lfpykit", "exact", "netpyne", "point", "point_rlimit",
};

const char *
nl_lfp_method_name (NlLfpMethod method)
{
  return (guint) method < NL_LFP_N_METHODS ? method_names[method] : NULL;
}

int
nl_lfp_method_from_name (const char *name)
{
  for (int i = 0; name && i < NL_LFP_N_METHODS; i++)
    if (!strcmp (name, method_names[i]))
      return i;
  return -1;
}

/* ∫ ds / |e − s| over the segment, with a = |h| ≥ 0, half = L/2, r the distance from the
 * axis. Written so that neither branch subtracts nearly equal numbers: on the far side of
 * the segment (a ≥ half) as a ratio of logs' arguments, beside it as a sum of two asinh. */
static double
line_integral (double a, double half, double r)
{
  double up = a + half, low = a - half;
  if (r == 0)
    return low > 0 ? log (up / low) : INFINITY;
  if (low >= 0)
    return log ((up + hypot (up, r)) / (low + hypot (low, r)));
  return asinh (up / r) + asinh (-low / r);
}

/* NetPyNE's formula in its own order of operations (numpy: r05 = (p0 + p1)/2, dot products
   summed x, y, z), so that its rounding is reproduced. */
static double
netpyne_transfer (double sigma, const double p0[3], const double p1[3], const double e[3])
{
  double rel[3], dl[3];
  for (int i = 0; i < 3; i++)
    {
      rel[i] = e[i] - (p0[i] + p1[i]) / 2;
      dl[i] = p1[i] - p0[i];
    }
  double r2 = rel[0] * rel[0] + rel[1] * rel[1] + rel[2] * rel[2];
  double rlldl = rel[0] * dl[0] + rel[1] * dl[1] + rel[2] * dl[2];
  double dlmag = sqrt (dl[0] * dl[0] + dl[1] * dl[1] + dl[2] * dl[2]);
  double rll = fabs (rlldl / dlmag);
  double rT2 = r2 - rll * rll;
  double up = rll + dlmag / 2, low = rll - dlmag / 2;
  double num = up + sqrt (up * up + rT2);
  double den = low + sqrt (low * low + rT2);
  return log (num / den) / dlmag * (1 / (4 * G_PI * sigma));
}

double
nl_lfp_transfer (NlLfpMethod method, double sigma, const double p0[3], const double p1[3], double d,
                 const double e[3])
{
  double rel[3], dl[3], L2 = 0, dist2 = 0;
  double rlimit = d / 2;

  if (method == NL_LFP_LINE_NETPYNE)
    return netpyne_transfer (sigma, p0, p1, e);
  for (int i = 0; i < 3; i++)
    {
      rel[i] = e[i] - (p0[i] + p1[i]) / 2;
      dl[i] = p1[i] - p0[i];
      L2 += dl[i] * dl[i];
      dist2 += rel[i] * rel[i];
    }
  if (method == NL_LFP_POINT || method == NL_LFP_POINT_RLIMIT || L2 == 0)
    {
      double r = sqrt (dist2);
      if (method == NL_LFP_POINT_RLIMIT || method == NL_LFP_LINE_LFPYKIT)
        r = MAX (r, rlimit);
      return 1 / (4 * G_PI * sigma * r);
    }
  double L = sqrt (L2);
  /* The distance from the axis from the cross product, exact even a hair from the axis
     (r² − h² would cancel). */
  double cx = rel[1] * dl[2] - rel[2] * dl[1];
  double cy = rel[2] * dl[0] - rel[0] * dl[2];
  double cz = rel[0] * dl[1] - rel[1] * dl[0];
  double r = sqrt (cx * cx + cy * cy + cz * cz) / L;
  double h = fabs (rel[0] * dl[0] + rel[1] * dl[1] + rel[2] * dl[2]) / L;
  if (method == NL_LFP_LINE_LFPYKIT)
    r = MAX (r, rlimit);
  return line_integral (h, L / 2, r) / (4 * G_PI * sigma * L);
}

void
nl_lfp_transfer_matrix (NlLfpMethod method, double sigma, const double *segs, gsize n_seg, const double *elecs,
                        gsize n_elec, double *out)
{
  for (gsize i = 0; i < n_elec; i++)
    for (gsize j = 0; j < n_seg; j++)
      out[i * n_seg + j] = nl_lfp_transfer (method, sigma, segs + 7 * j, segs + 7 * j + 3, segs[7 * j + 6],
                                            elecs + 3 * i);
}
