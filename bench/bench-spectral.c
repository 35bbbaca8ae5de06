/* bench-spectral.c — seconds for NetPyNE's two LFP spectra on one signal:
 *   - Welch PSD (NFFT 256, overlap 128, symmetric Hann) of 10^6 samples;
 *   - Morlet TFR, 100 frequencies (1…100 Hz, 7 cycles) × 10^5 samples, on 1 thread and on
 *     all processors.
 * The signal (fs 1 kHz: sines at 10, 40, 123 Hz plus splitmix64 noise) is the one
 * bench-spectral.py builds, and both print the same checksums, so the two can be compared.
 * Best of several rounds. Usage: bench-spectral [WELCH_SAMPLES [MORLET_SAMPLES]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <time.h>

#include "nl-spectral.h"

#define FS 1000.0

static guint64
splitmix64 (guint64 i)
{
  guint64 z = (i + 1) * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

static double *
make_signal (gsize n)
{
  double *x = g_new (double, n);

  for (gsize i = 0; i < n; i++)
    {
      double t = i / FS;
      double u = (splitmix64 (i) >> 11) * 0x1.0p-53 - 0.5;
      x[i] = sin (2 * G_PI * 10 * t) + 0.5 * sin (2 * G_PI * 40 * t + 0.3)
             + 0.25 * cos (2 * G_PI * 123 * t) + u;
    }
  return x;
}

static double
now (void)
{
  return g_get_monotonic_time () * 1e-6;
}

/* CPU seconds of the process (all threads): on a loaded machine, a steadier figure. */
static double
cpu (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int
main (int argc, char **argv)
{
  gsize nw = argc > 1 ? strtoull (argv[1], NULL, 10) : 1000000;
  gsize nm = argc > 2 ? strtoull (argv[2], NULL, 10) : 100000;
  g_autofree double *xw = make_signal (nw), *xm = make_signal (nm), *freqs = NULL;
  double best = INFINITY, best_cpu = INFINITY, sum = 0;
  NlMorletOptions mo;
  gsize nf;

  for (int round = 0; round < 5; round++)
    {
      double t0 = now (), c0 = cpu ();
      g_autoptr(NlSpectrum) s = nl_psd_welch (xw, nw, FS, NULL, NULL);
      best = MIN (best, now () - t0);
      best_cpu = MIN (best_cpu, cpu () - c0);
      sum = 0;
      for (gsize k = 0; k < s->n; k++)
        sum += s->power[k];
    }
  printf ("welch  %8zu samples                         wall %8.4f s  cpu %8.4f s  checksum %.12g\n",
          nw, best, best_cpu, sum);

  freqs = nl_morlet_freqs (1, 100, 1, &nf, NULL);
  nl_morlet_options_init (&mo);
  for (guint threads = 1; threads <= 2; threads++)
    {
      mo.n_threads = threads == 1 ? 1 : 0;
      best = best_cpu = INFINITY;
      for (int round = 0; round < 3; round++)
        {
          double t0 = now (), c0 = cpu ();
          g_autoptr(NlTimeFreq) tf = nl_morlet_tfr (xm, nm, FS, freqs, nf, &mo, NULL);
          best = MIN (best, now () - t0);
          best_cpu = MIN (best_cpu, cpu () - c0);
          sum = 0;
          for (gsize i = 0; i < tf->n_freqs * tf->n_times; i++)
            sum += tf->power[i];
        }
      printf ("morlet %3zu freqs x %8zu samples, %u thread(s)  wall %8.4f s  cpu %8.4f s  "
              "checksum %.12g\n", nf, nm, threads == 1 ? 1 : g_get_num_processors (), best,
              best_cpu, sum);
    }
  return 0;
}
