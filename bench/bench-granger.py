#!/usr/bin/python3
"""Granger causality in numpy, for comparison with bench-granger (NetLoom's C).

The same algorithm as core/analysis/nl-granger.c and NetPyNE's bsmart.py: an order-P
multichannel AR fit by Morf's lattice, Geweke's spectral measures at 0..fs/2 Hz, and
time-domain Granger causality from univariate restricted fits. Written with plain numpy
arrays and vectorised over frequencies (bsmart itself uses np.matrix and a Python loop over
frequencies, so it is slower than this).

Usage: bench-granger.py DATA.f64 N FS ORDER [REPEATS]
DATA.f64 holds 2·N float64 values, channel x then channel y. Prints one JSON object: the
best process CPU time in seconds and the results (for bench-granger to compare with its own).
Run it with Debian's /usr/bin/python3 (numpy)."""
import json
import sys
import time

import numpy as np


def lower_chol(m):
    return np.linalg.cholesky(m)


def morf(x, p):
    """x: L × N. Returns A (p × L × L, x_t + sum A_k x_{t-k} = e_t) and the noise covariance."""
    n_ch, n = x.shape
    eye = np.eye(n_ch)
    xf, xb = x[:, 1:], x[:, :-1]
    a = [np.linalg.inv(lower_chol((xf @ xf.T) * (n - 1)))]
    b = [np.linalg.inv(lower_chol((xb @ xb.T) * (n - 1)))]
    ef, eb = a[0] @ xf, b[0] @ xb
    pf, pb, pfb = ef @ ef.T, eb @ eb.T, ef @ eb.T
    en = lower_chol(x @ x.T / n)
    for m in range(p):
        ck = np.linalg.solve(lower_chol(pf), pfb) @ np.linalg.inv(lower_chol(pb).T)
        lf = lower_chol(eye - ck @ ck.T)
        lb = lower_chol(eye - ck.T @ ck)
        en = en @ lf
        zero = np.zeros((n_ch, n_ch))
        ae, be = a + [zero], b + [zero]
        a = [np.linalg.solve(lf, ae[i] - ck @ be[m + 1 - i]) for i in range(m + 2)]
        b = [np.linalg.solve(lb, be[i] - ck.T @ ae[m + 1 - i]) for i in range(m + 2)]
        if m == p - 1:
            break
        k = m + 2
        ef = sum(a[i] @ x[:, k - i:n - i] for i in range(k))
        eb = sum(b[k - 1 - i] @ x[:, k - 1 - i:n - 1 - i] for i in range(k))
        pf, pb, pfb = ef @ ef.T, eb @ eb.T, ef @ eb.T
    coef = np.array([np.linalg.solve(a[0], a[j]) for j in range(1, p + 1)])
    return coef, en @ en.T


def geweke(coef, sig, fs):
    p = coef.shape[0]
    f = np.arange(0, int(fs // 2) + 1, dtype=float)
    z = np.exp(-2j * np.pi * np.outer(f, np.arange(1, p + 1)) / fs)
    h = np.linalg.inv(np.eye(2)[None] + np.einsum("fk,kij->fij", z, coef))
    s = h @ sig @ np.conj(np.transpose(h, (0, 2, 1))) / fs
    eyx = sig[1, 1] - sig[0, 1] ** 2 / sig[0, 0]
    exy = sig[0, 0] - sig[1, 0] ** 2 / sig[1, 1]
    d1 = np.abs(s[:, 0, 0] - h[:, 0, 1] * eyx * np.conj(h[:, 0, 1]) / fs)
    d2 = np.abs(s[:, 1, 1] - h[:, 1, 0] * exy * np.conj(h[:, 1, 0]) / fs)
    det = np.abs(s[:, 0, 0] * s[:, 1, 1] - s[:, 0, 1] * s[:, 1, 0])
    return {
        "x2y": np.log(np.abs(s[:, 1, 1]) / d2),
        "y2x": np.log(np.abs(s[:, 0, 0]) / d1),
        "inst": np.log(d1 * d2 / det),
        "coherence": np.real(np.abs(s[:, 0, 1]) ** 2 / s[:, 0, 0] / s[:, 1, 1]),
    }


def granger(x, y, fs, p):
    data = np.array([x - x.mean(), y - y.mean()])
    coef, sig = morf(data, p)
    out = geweke(coef, sig, fs)
    _, vx = morf(data[0:1], p)
    _, vy = morf(data[1:2], p)
    out["gc_x2y"] = float(np.log(vy[0, 0] / sig[1, 1]))
    out["gc_y2x"] = float(np.log(vx[0, 0] / sig[0, 0]))
    return out


def main():
    path, n, fs, order = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
    repeats = int(sys.argv[5]) if len(sys.argv) > 5 else 5
    d = np.fromfile(path, dtype=np.float64)
    assert d.size == 2 * n, "expected %d values, found %d" % (2 * n, d.size)
    x, y = d[:n], d[n:]
    best = float("inf")
    for _ in range(repeats):
        t0 = time.process_time()
        out = granger(x, y, fs, order)
        best = min(best, time.process_time() - t0)
    res = {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in out.items()}
    res["seconds"] = best
    res["numpy"] = np.__version__
    print(json.dumps(res))


if __name__ == "__main__":
    main()
