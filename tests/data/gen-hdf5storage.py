#!/usr/bin/python3
"""NetPyNE saveHDF5 files (hdf5storage.writes of the saveData dict) for tests/test-mat.c.

NetPyNE's sim.saveData with saveHDF5 does: dataSaveUTF8 = _ensureHDF5Compatible(dataSave)
(numpy arrays -> lists, numeric dict keys -> str), dataSaveUTF8['__np_keys__'] = its keys,
hdf5storage.writes(dataSaveUTF8, filename=path, truncate_existing=True). Its simData holds
lists (spkt, spkid, each trace's cell_<gid>, LFP via .tolist()), so hdf5storage stores them as
cell arrays of one dataset per element. This script does the same with Debian's
python3-hdf5storage, and writes a few broken files with h5py.

Run from this folder with Debian's /usr/bin/python3:  ./gen-hdf5storage.py [TUT2_DATA_JSON_GZ]
Writes tut2-spikes.hdf5.gz, tut2-full.hdf5 (not committed: 14 MB; only with --full),
hdf5storage-synthetic.{hdf5,json}, h5s-*.hdf5.
"""
import gzip
import json
import os
import shutil
import sys

import h5py
import hdf5storage
import numpy as np


def ensure_hdf5_compatible(obj):
    """What NetPyNE's sim.utils._ensureHDF5Compatible does."""
    if isinstance(obj, str):
        return obj
    if isinstance(obj, dict):
        return {str(k): ensure_hdf5_compatible(v) for k, v in obj.items()}
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, (list, tuple)):
        return type(obj)(ensure_hdf5_compatible(v) for v in obj)
    return obj


def save_hdf5(path, data_save):
    d = ensure_hdf5_compatible(data_save)
    d['__np_keys__'] = list(d.keys())
    hdf5storage.writes(d, filename=path, truncate_existing=True)


tut2 = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith('--') else \
    '/work/shared/reference/netpyne/tut2/tut2_data.json.gz'
data = json.load(gzip.open(tut2))

# tut2 as NetPyNE saves it with saveDataInclude = ['simData', 'simConfig', 'netPops'] and no
# recorded traces (the traces' 20,002 one-number datasets alone take 12 MB).
spikes = {
    'netpyne_version': data['netpyne_version'],
    'simConfig': {k: data['simConfig'][k] for k in ('duration', 'dt', 'recordStep', 'seeds',
                                                    'filename', 'saveHDF5')},
    'net': {'pops': data['net']['pops']},
    'simData': {k: data['simData'][k] for k in ('spkt', 'spkid', 'avgRate')},
}
save_hdf5('tut2-spikes.hdf5', spikes)
with open('tut2-spikes.hdf5', 'rb') as fi, gzip.open('tut2-spikes.hdf5.gz', 'wb', 9) as fo:
    shutil.copyfileobj(fi, fo)
os.remove('tut2-spikes.hdf5')
if '--full' in sys.argv:
    save_hdf5('tut2-full.hdf5', data)

# Everything NetLoom reads, small: populations (one empty, one of one cell), one-element
# lists, traces, LFP with per-population and per-cell parts (numpy arrays, as NetPyNE holds
# them), electrode positions, None, booleans, nested dicts, numeric dict keys.
lfp = np.arange(8, dtype=float).reshape(4, 2) * 0.5 - 1.0
synthetic = {
    'netpyne_version': '1.1.0',
    'simConfig': {'duration': 2.0, 'recordStep': 0.5, 'dt': 0.025, 'verbose': False,
                  'filename': None, 'seeds': {'conn': 1, 'stim': 2},
                  'recordLFP': [[0.0, 10.0, 20.0], [30.0, 40.0, 50.0]],
                  'recordTraces': {'V_soma': {'sec': 'soma', 'loc': 0.5, 'var': 'v'}}},
    'net': {'pops': {'E': {'cellGids': [0, 1, 2], 'tags': {'pop': 'E', 'cellType': 'PYR'}},
                     'I': {'cellGids': [3], 'tags': {'pop': 'I'}},
                     'Empty': {'cellGids': [], 'tags': {}}}},
    'simData': {'spkt': [0.5, 0.5, 1.25, 1.75, 1.75], 'spkid': [1.0, 3.0, 0.0, 0.0, 2.0],
                't': [0.0, 0.5, 1.0, 1.5],
                'V_soma': {'cell_0': [-65.0, -64.5, -64.0, -63.5], 'cell_3': [-70.0, -69.0, -68.0, 1e-300]},
                'LFP': lfp,
                'LFPPops': {'E': lfp * 0.75, 'I': lfp * 0.25},
                'LFPCells': {3: lfp * 0.125},
                'avgRate': 625.0},
}
save_hdf5('hdf5storage-synthetic.hdf5', synthetic)
with open('hdf5storage-synthetic.json', 'w') as f:
    json.dump(ensure_hdf5_compatible(synthetic), f, sort_keys=True)

# Broken files.
save_hdf5('h5s-wrong-type.hdf5', {'simData': {'spkt': {'oops': 1.0}, 'spkid': [1.0]}})

good = {'simData': {'spkt': [1.0, 2.0], 'spkid': [0.0, 1.0]}}
for name in ('h5s-cycle.hdf5', 'h5s-shared.hdf5', 'h5s-huge.hdf5', 'h5s-extlink.hdf5'):
    save_hdf5(name, good)
with h5py.File('h5s-cycle.hdf5', 'r+') as f:
    # The first element of spkt refers back to spkt itself.
    refs = f['simData/spkt'][()]
    refs[0, 0] = f['simData/spkt'].ref
    f['simData/spkt'][...] = refs
with h5py.File('h5s-shared.hdf5', 'r+') as f:
    # Both elements refer to the same dataset.
    refs = f['simData/spkt'][()]
    refs[1, 0] = refs[0, 0]
    f['simData/spkt'][...] = refs
with h5py.File('h5s-huge.hdf5', 'r+') as f:
    # A 2^40-element dataset never written: no storage, a huge declared size.
    del f['simData/spkid']
    d = f['simData'].create_dataset('spkid', shape=(1 << 40, 1), dtype='f8', chunks=(1 << 16, 1))
    d.attrs['MATLAB_class'] = np.bytes_('double')
with h5py.File('h5s-extlink.hdf5', 'r+') as f:
    f['simData/other'] = h5py.ExternalLink('/etc/passwd', '/x')
