#!/usr/bin/python3
"""Reading a large NetPyNE saveData pickle: `netloom info` against Python's pickle.load.

    /usr/bin/python3 bench/bench-pickle.py [build/app/netloom] [spikes]

Writes a NetPyNE-like pickle (protocol 4, as saveData writes on Python 3.8+) into a temporary
folder: simData a Dict of spkt/spkid lists (default 1,000,000 spikes) and V_soma traces of 100
cells × 10,000 samples, net.pops an ODict, with stand-ins for NetPyNE's Dict/ODict under their
module name (tests/data/gen-pickles.py). Prints the file size, Python's load time, and the wall
time and peak memory of `netloom info FILE` (best of 3).
"""

import os
import pickle
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'tests', 'data'))
sys.argv, argv = sys.argv[:1], sys.argv   # gen-pickles reads sys.argv on import
gen = __import__('gen-pickles')
sys.argv = argv

netloom = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, '..', 'build', 'app', 'netloom')
n_spikes = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000

rng = np.random.default_rng(1)
sim = gen.Dict()
sim['spkt'] = [float(t) for t in np.sort(rng.uniform(0, 10000, n_spikes))]
sim['spkid'] = [int(g) for g in rng.integers(0, 10000, n_spikes)]
sim['V_soma'] = gen.Dict({'cell_%d' % g: list(np.sin(np.arange(10000) * 0.01)) for g in range(100)})
pops = gen.ODict()
pops['E'] = {'cellGids': list(range(10000)), 'tags': {'pop': 'E'}}
data = {'simConfig': {'duration': 10000.0, 'recordStep': 1.0},
        'net': {'pops': pops, 'cells': []}, 'simData': sim}

with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, 'big_data.pkl')
    with open(path, 'wb') as f:
        pickle.dump(data, f)
    del data, sim
    print('file: %.1f MB, %d spikes, 100 traces x 10000 samples' % (os.path.getsize(path) / 1e6, n_spikes))

    t = time.perf_counter()
    with open(path, 'rb') as f:
        pickle.load(f)
    print('python pickle.load: %.2f s' % (time.perf_counter() - t))

    best = None
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run([netloom, 'info', path], check=True, stdout=subprocess.DEVNULL)
        wall = time.perf_counter() - t
        best = wall if best is None else min(best, wall)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print('netloom info: %.2f s (best of 3), peak memory %.0f MB' % (best, peak))
