#!/usr/bin/python3
"""The Python side of bench-spectral.c: NetPyNE's two LFP spectra with numpy/scipy as NetPyNE
computes them, on the same signal, best of several rounds, same checksums.

  - Welch PSD as matplotlib.mlab.psd does it for NetPyNE (matplotlib is not installed here, so
    its steps are written out with numpy: strided segments, symmetric Hann, full complex FFT
    sliced to the one-sided half, density scaling, mean over segments);
  - Morlet TFR as netpyne/support/morlet.py's MorletSpec: mean removed, scipy.signal.detrend,
    per frequency a wavelet, scipy.signal.fftconvolve, (2|y|/fs)^2 and NetPyNE's slice.

Run with Debian's /usr/bin/python3:  /usr/bin/python3 bench/bench-spectral.py [NW [NM]]
"""
import math
import sys
import time

import numpy as np
import scipy.signal as sps

FS = 1000.0


def make_signal(n):
    i = np.arange(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        z = (i + np.uint64(1)) * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    u = (z >> np.uint64(11)).astype(np.float64) * 2.0 ** -53 - 0.5
    t = np.arange(n, dtype=float) / FS
    return (np.sin(2 * math.pi * 10 * t) + 0.5 * np.sin(2 * math.pi * 40 * t + 0.3)
            + 0.25 * np.cos(2 * math.pi * 123 * t) + u)


def welch_psd(x, fs, nfft=256, noverlap=128):
    step = nfft - noverlap
    if len(x) < nfft:
        x = np.concatenate((x, np.zeros(nfft - len(x))))
    segs = np.lib.stride_tricks.sliding_window_view(x, nfft)[::step]
    win = np.hanning(nfft)
    nfreq = nfft // 2 + 1
    spec = np.fft.fft(segs * win, n=nfft, axis=1)[:, :nfreq]
    p = (np.conj(spec) * spec).real
    p[:, 1:-1 if nfft % 2 == 0 else None] *= 2.0
    p /= fs
    p /= (np.abs(win) ** 2).sum()
    return p.mean(axis=0)


def morlet_kernel(fs, freq, width=7.0):
    st = 1.0 / (2.0 * np.pi * (freq / width))
    t = np.arange(-3.5 * st, 3.5 * st, 1.0 / fs)
    amp = 1.0 / (st * np.sqrt(2.0 * np.pi))
    return amp * np.exp(-(t ** 2.0) / (2.0 * st ** 2.0)) * np.exp(1.0j * 2.0 * np.pi * freq * t)


def morlet_tfr(x, fs, freqs, width=7.0):
    sig = sps.detrend(x - np.mean(x))
    tfr = np.zeros((len(freqs), len(sig)))
    for j, f in enumerate(freqs):
        m = morlet_kernel(fs, f, width)
        y = (2.0 * np.abs(sps.fftconvolve(sig, m)) / fs) ** 2.0
        lo = int(np.ceil(len(m) / 2.0))
        hi = int(len(y) - np.floor(len(m) / 2.0) + 1)
        tfr[j, :] = y[lo:hi]
    return tfr


def best_of(rounds, fn):
    """Best wall and CPU seconds (numpy's FFTs run on one thread)."""
    best, best_cpu, out = float("inf"), float("inf"), None
    for _ in range(rounds):
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        best = min(best, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    return best, best_cpu, out


def main():
    nw = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
    nm = int(sys.argv[2]) if len(sys.argv) > 2 else 100000
    xw, xm = make_signal(nw), make_signal(nm)
    t, c, p = best_of(5, lambda: welch_psd(xw, FS))
    print("welch  %8d samples                         wall %8.4f s  cpu %8.4f s  checksum %.12g"
          % (nw, t, c, p.sum()))
    freqs = np.arange(1, 100 + 1, 1)
    t, c, tfr = best_of(3, lambda: morlet_tfr(xm, FS, freqs))
    print("morlet %3d freqs x %8d samples, 1 thread(s)  wall %8.4f s  cpu %8.4f s  checksum %.12g"
          % (len(freqs), nm, t, c, tfr.sum()))


if __name__ == "__main__":
    main()
