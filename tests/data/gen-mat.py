#!/usr/bin/python3
"""Small MAT 5 files written the way NetPyNE's sim.saveData writes them (scipy.io.savemat of
its dict, long_field_names=True, None saved as '__np_none__'), for tests/test-mat.c.

Run with Debian's /usr/bin/python3 (scipy) from this folder: ./gen-mat.py
"""
import numpy as np
import scipy.io
import scipy.sparse


def save(name, d):
    scipy.io.savemat(name, d, long_field_names=True)


# One of everything NetPyNE can put in its dict, with length-1 lists (savemat stores [x] as
# 1x1, the same as x), an empty population, a 1-sample LFP and its parts.
save('mat-shapes.mat', {
    'netpyne_version': '1.1.0',
    'simConfig': {'duration': 20.0, 'recordStep': 0.5, 'dt': 0.025, 'verbose': False,
                  'seeds': {'conn': 1, 'stim': 2}, 'filename': '__np_none__',
                  'recordLFP': [[10.0, 20.0, 30.0], [40.0, 50.0, 60.0]],
                  'include': '[allCells,S]'},
    'net': {'pops': {'S': {'cellGids': [0], 'tags': {'pop': 'S', 'numCells': 1}},
                     'M': {'cellGids': [1, 2, 3], 'tags': {'pop': 'M'}},
                     'Empty': {'cellGids': [], 'tags': {}}},
            'cells': [{'gid': 0, 'tags': {'pop': 'S'}}, {'gid': 1, 'tags': {'pop': 'M'}},
                      {'gid': 2, 'tags': {'pop': 'M'}}, {'gid': 3, 'tags': {'pop': 'M'}}]},
    'simData': {'spkt': [7.25], 'spkid': [2.0],
                't': [0.0],
                'V_soma': {'cell_0': [-65.0], 'cell_3': [-64.5]},
                'LFP': [[1.0, 2.0]],
                'LFPPops': {'S': [[0.25, 0.5]], 'M': [[0.75, 1.5]]},
                'avgRate': 12.5},
})

# Integer classes, logical, char matrix, cell matrix, N-d array, int64 gids as uint16.
save('mat-classes.mat', {
    'net': {'pops': {'A': {'cellGids': np.array([4, 5, 6], dtype=np.uint16)}}},
    'simData': {'spkt': np.array([[1.5], [2.5]], dtype=np.float32),
                'spkid': np.array([5, 4], dtype=np.int8),
                'flags': np.array([True, False, True]),
                'names': np.array(['ab', 'cde']),
                'grid': np.arange(8, dtype=np.int32).reshape(2, 2, 2),
                'mixed': [1, 'x', {'k': 2.0}],
                'empty': {}},
})

# Wrong types: a struct where NetPyNE's spike times are.
save('mat-wrong-type.mat', {
    'simData': {'spkt': {'oops': 1.0}, 'spkid': [1.0]},
})

# A sparse matrix (NetPyNE never saves one).
save('mat-sparse.mat', {
    'simData': {'spkt': [1.0], 'spkid': [0.0], 'weights': scipy.sparse.eye(3).tocsc()},
})
