#!/usr/bin/python3
"""NetPyNE's way of evaluating a string function, for comparison with bench-expr:
it builds a Python lambda with eval() and calls it once per candidate pair of cells.
Prints evaluations per second of "0.4*exp(-dist_3D/probLengthConst)" on one core."""
import math
import timeit

N = 4096
namespace = {"exp": math.exp, "probLengthConst": 150.0}
f = eval("lambda dist_3D: 0.4*exp(-dist_3D/probLengthConst)", namespace)
dist = [1000.0 * i / N for i in range(N)]


def run():
    for x in dist:
        f(x)


best = min(timeit.repeat(run, number=50, repeat=5))
rate = 50 * N / best
print(f"python lambda (NetPyNE's eval path): {rate / 1e6:.2f} million evaluations per second")
