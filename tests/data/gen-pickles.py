#!/usr/bin/python3
"""Writes the pickle test data of tests/test-pickle.c into tests/data/pickle/.

Run with Debian's /usr/bin/python3 (numpy installed) from the source root:

    /usr/bin/python3 tests/data/gen-pickles.py [/path/to/shared]

For each NAME.pkl it writes NAME.json, the sidecar: {"expect": <the value NetLoom must decode,
under nl-pickle.h's mapping>, "opcodes": [the opcode names the pickle holds]} — or
{"error": "<text the error message must contain>"} for files that must be refused.
Floats JSON cannot hold are written {"__float__": "nan" | "inf" | "-inf"}.

NetPyNE is not installed here, so its Dict/ODict classes are stood in for by classes of the same
module and names (netpyne.specs.dicts) whose pickled form matches: dict/OrderedDict subclasses
with empty __slots__ whose __getstate__ returns a plain (ordered) dict copy of the items.
"""

import collections
import gzip
import json
import math
import os
import pickle
import pickletools
import struct
import sys
import types

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, 'pickle')
SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, '..', '..', '..', 'shared')


# ---------------------------------------------------------------------------------------------
# Stand-ins for netpyne.specs.dicts.Dict / ODict


def _plain(x):
    if isinstance(x, collections.OrderedDict):
        return collections.OrderedDict((k, _plain(v)) for k, v in x.items())
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return type(x)(_plain(v) for v in x)
    return x


class Dict(dict):
    __slots__ = []

    def __getstate__(self):
        return _plain(self)

    def __setstate__(self, state):
        self.update(state)


class ODict(collections.OrderedDict):
    __slots__ = []

    def __getstate__(self):
        return _plain(self)

    def __setstate__(self, state):
        self.update(state)


# netpyne.specs.netParams: netParams' containers, ODict subclasses (net.params in saveData).
PARAM_CLASSES = {name: type(name, (ODict,), {'__module__': 'netpyne.specs.netParams'})
                 for name in ('PopParams', 'CellParams', 'ConnParams', 'SynMechParams', 'SubConnParams',
                              'StimSourceParams', 'StimTargetParams', 'RxDParams')}


def _install_netpyne_module():
    netpyne = types.ModuleType('netpyne')
    specs = types.ModuleType('netpyne.specs')
    dicts = types.ModuleType('netpyne.specs.dicts')
    params = types.ModuleType('netpyne.specs.netParams')
    netpyne.specs = specs
    specs.dicts = dicts
    specs.netParams = params
    for cls in (Dict, ODict):
        cls.__module__ = 'netpyne.specs.dicts'
        cls.__qualname__ = cls.__name__
        setattr(dicts, cls.__name__, cls)
    for name, cls in PARAM_CLASSES.items():
        setattr(params, name, cls)
    sys.modules.update({'netpyne': netpyne, 'netpyne.specs': specs, 'netpyne.specs.dicts': dicts,
                        'netpyne.specs.netParams': params})


_install_netpyne_module()


# ---------------------------------------------------------------------------------------------
# The expected decoding (nl-pickle.h's mapping)

def key_str(k):
    return k if isinstance(k, str) else str(k)


def expect(x):
    if isinstance(x, dict):
        return {key_str(k): expect(v) for k, v in x.items()}
    if isinstance(x, np.ndarray):
        return expect(x.tolist())
    if isinstance(x, np.generic):
        return expect(x.item())
    if isinstance(x, (list, tuple, set, frozenset)):
        return [expect(v) for v in x]
    if isinstance(x, (bytes, bytearray)):
        try:
            s = bytes(x).decode('utf-8')
            if '\0' not in s:
                return s
        except UnicodeDecodeError:
            pass
        return list(bytes(x))
    if isinstance(x, bool) or x is None or isinstance(x, str):
        return x
    if isinstance(x, int):
        if -2**63 <= x < 2**63:
            return x
        try:
            return float(x)
        except OverflowError:
            return {'__float__': 'inf' if x > 0 else '-inf'}
    if isinstance(x, float):
        if math.isnan(x):
            return {'__float__': 'nan'}
        if math.isinf(x):
            return {'__float__': 'inf' if x > 0 else '-inf'}
        return x
    raise TypeError(type(x))


def opcodes(data):
    return sorted({op.name for op, _, _ in pickletools.genops(data)})


def write(name, data, sidecar):
    with open(os.path.join(OUT, name + '.pkl'), 'wb') as f:
        f.write(data)
    with open(os.path.join(OUT, name + '.json'), 'w', encoding='utf-8') as f:
        json.dump(sidecar, f, ensure_ascii=False, allow_nan=False, indent=None)
        f.write('\n')


def write_ok(name, data, **loads_args):
    # Python itself decodes the bytes: the sidecar holds what they mean, not what we meant.
    write(name, data, {'expect': expect(pickle.loads(data, **loads_args)), 'opcodes': opcodes(data)})


def write_err(name, data, message):
    write(name, data, {'error': message})


# ---------------------------------------------------------------------------------------------
# The data

def basic():
    shared = ['shared', 'list']
    many = ['s%03d' % i for i in range(300)]   # > 256 memo entries: LONG_BINPUT / LONG_BINGET
    return {
        'ints': [0, 1, 255, 256, 65535, 65536, -1, -2**31, 2**31 - 1, 2**31, 2**32,
                 2**63 - 1, -2**63, 2**63, 2**64 + 1, -2**64 - 3, 10**30, -10**30 - 7,
                 2**100 + 2**47 + 1, 2**3000, -2**3000],
        'floats': [0.0, -0.0, 1.5, -2.25, 0.1, 1e300, 5e-324, 2.2250738585072014e-308,
                   float('inf'), float('-inf'), float('nan'), 1e16, 123456789.125],
        'consts': [None, True, False],
        'strs': ['', 'a', 'µm', 'snow ☃ and 𝄞', 'x' * 300, "it's \"quoted\"", 'tab\there'],
        'bytes': [b'', b'abc', b'\x00\xff\x80', b'y' * 300, bytearray(b'ba'), bytearray(b'\xfe\x01')],
        'tuples': [(), (1,), (1, 2), (1, 2, 3), (1, 2, 3, 4), ('a', (None,))],
        'sets': [set(), {3, 1, 2}, frozenset(), frozenset({7, 5})],
        'keys': {1: 'int', -5: 'neg', 2.5: 'float', 1e20: 'big float', 1e-5: 'small float',
                 (1, 'a'): 'tuple', ("it's",): 'quote', (): 'empty tuple', None: 'none',
                 False: 'false', frozenset({4}): 'fs', b'k\x01': 'bytes', 'str': 'str',
                 (1.0, -0.0, float('inf')): 'floats', ('tab\t', 'é', '\x07'): 'escapes'},
        'shared': [shared, shared, {'again': shared}],
        'many': many + [many[299], many[0]],
        'long_list': list(range(2500)),
        'nested': [[[[[['deep']]]]]],
        'ordered': collections.OrderedDict([('z', 1), ('a', 2), ('m', [3])]),
        'dict_cls': Dict(b=1, a=Dict(c=[1, 2])),
        'odict_cls': ODict([('second', 2), ('first', Dict(x=1))]),
    }


def numpy_data():
    rng = np.random.default_rng(7)
    d = {}
    for t in ['f2', 'f4', 'f8', 'i1', 'i2', 'i4', 'i8', 'u1', 'u2', 'u4', 'u8']:
        info = np.finfo(t) if t[0] == 'f' else np.iinfo(t)
        vals = [0, 1, info.max, info.min, 7]
        d['<' + t] = np.array(vals, dtype='<' + t)
        d['>' + t] = np.array(vals, dtype='>' + t)
    d['f8_values'] = np.array([0.1, -2.5e-300, 1e308, np.inf, -np.inf, np.nan, -0.0])
    d['bool'] = np.array([True, False, True])
    d['2d_C'] = np.arange(12, dtype='f8').reshape(3, 4) * 1.5
    d['2d_F'] = np.asfortranarray(np.arange(12, dtype='i4').reshape(3, 4))
    d['3d_F_be'] = np.asfortranarray(np.arange(24, dtype='>f4').reshape(2, 3, 4))
    d['3d_C'] = rng.standard_normal((2, 3, 2))
    d['strided'] = np.arange(10.0)[::3]
    d['empty'] = np.zeros(0)
    d['empty_2d'] = np.zeros((3, 0), dtype='i2')
    d['zero_d'] = np.array(4.5)
    d['objects'] = np.array([1, 'a', None, [2.5]], dtype=object)
    d['scalars'] = [np.float64(1.5), np.float32(0.1), np.int32(-7), np.uint64(2**64 - 1),
                    np.int8(-128), np.bool_(True), np.float16(0.5)]
    d['shared_dtype'] = [np.array([1.0, 2.0]), np.array([3.0])]
    return d


def netpyne_layout():
    """A small sim.saveData result as NetPyNE 1.1 builds it (see netpyne/sim/save.py, gather.py)."""
    spkt = np.array([1.25, 2.5, 2.5, 7.0, 9.75, 12.0])
    spkid = np.array([0, 3, 1, 4, 0, 2])
    pops = ODict()
    pops['E'] = {'cellGids': [0, 1, 2], 'tags': {'cellType': 'PYR', 'numCells': 3, 'pop': 'E'}}
    pops['I'] = {'cellGids': [3, 4], 'tags': {'cellType': 'BAS', 'numCells': 2, 'pop': 'I'}}
    cells = [Dict({'gid': g, 'tags': Dict({'pop': 'E' if g < 3 else 'I', 'x': 10.0 * g}),
                   'conns': [], 'secs': Dict()}) for g in range(5)]
    t = np.arange(0, 20.0, 0.5)
    sim = Dict()
    sim['spkt'] = spkt
    sim['spkid'] = spkid
    sim['t'] = t
    sim['V_soma'] = Dict({'cell_0': np.sin(t) - 65.0, 'cell_3': np.cos(t) - 70.0})
    sim['avgRate'] = np.float64(60.0)
    params = {'scale': 1, 'sizeX': 100, 'shape': 'cuboid', 'mapping': {},
              'popParams': PARAM_CLASSES['PopParams'](E={'cellType': 'PYR', 'numCells': 3},
                                                      I={'cellType': 'BAS', 'numCells': 2}),
              'cellParams': PARAM_CLASSES['CellParams'](PYR={'secs': {'soma': {'geom': {'L': 18.8}}}}),
              'connParams': PARAM_CLASSES['ConnParams']({'E->I': {'weight': '0.01*post_ynorm'}}),
              'synMechParams': PARAM_CLASSES['SynMechParams'](exc={'mod': 'Exp2Syn', 'tau1': 0.1}),
              'subConnParams': PARAM_CLASSES['SubConnParams'](),
              'stimSourceParams': PARAM_CLASSES['StimSourceParams'](bkg={'type': 'NetStim', 'rate': 10}),
              'stimTargetParams': PARAM_CLASSES['StimTargetParams'](),
              'rxdParams': PARAM_CLASSES['RxDParams']()}
    return {
        'netpyne_version': '1.1.0',
        'netpyne_changeset': '',
        'simConfig': {'duration': 20.0, 'dt': 0.025, 'recordStep': 0.5, 'filename': 'model_output',
                      'recordTraces': {'V_soma': {'sec': 'soma', 'loc': 0.5, 'var': 'v'}},
                      'savePickle': True},
        'net': {'params': params, 'cells': cells, 'pops': pops},
        'simData': sim,
    }


def tut2():
    """NetPyNE's tut2 reference results, wrapped as saveData holds them before pickle.dump:
    allSimData a Dict (spkt/spkid/t lists, traces Dicts of lists), allPops an ODict, allCells
    a list of Dicts."""
    path = os.path.join(SHARED, 'reference', 'netpyne', 'tut2', 'tut2_data.json.gz')
    with gzip.open(path, 'rt') as f:
        d = json.load(f)

    def dotify(x):
        if isinstance(x, dict):
            return Dict((k, dotify(v)) for k, v in x.items())
        if isinstance(x, list):
            return [dotify(v) for v in x]
        return x

    net = d['net']
    pops = ODict()
    for name, pop in net['pops'].items():
        pops[name] = pop
    params = dict(net['params'])
    for key, value in params.items():   # popParams → PopParams …, as NetParams holds them
        cls = PARAM_CLASSES.get(key[0].upper() + key[1:])
        if cls is not None and isinstance(value, dict):
            params[key] = cls((k, dotify(v)) for k, v in value.items())
    data = {'netpyne_version': d['netpyne_version'], 'netpyne_changeset': d['netpyne_changeset'],
            'net': {'params': params, 'cells': [dotify(c) for c in net['cells']], 'pops': pops},
            'simConfig': d['simConfig'], 'simData': dotify(d['simData'])}
    return data


# ---------------------------------------------------------------------------------------------
# Hand-assembled pickles: opcodes CPython never writes, and hostile input


def op(code, *parts):
    return bytes([code]) + b''.join(parts)


def su(s):   # SHORT_BINUNICODE
    b = s.encode()
    return op(0x8c, bytes([len(b)]), b)


def handmade():
    """DUP, POP, POP_MARK, LIST, DICT, TUPLE, BINUNICODE8, BINBYTES8, NEWOBJ_EX, READONLY_BUFFER,
    protocol-0 INT/LONG/FLOAT/PUT/GET, BINSTRING/SHORT_BINSTRING, LONG_BINGET and the
    copyreg/_codecs/builtins helpers, in one protocol-5 pickle whose meaning Python confirms."""
    p = op(0x80, b'\x05')
    p += b'('                                   # MARK: the top-level dict's items follow
    p += su('dup') + b'K\x07' + b'2' + op(0x86)  # (7, 7) through DUP, TUPLE2
    p += su('pop') + b'K\x01' + b'K\x02' + b'0' + op(0x85)   # POP drops 2 → (1,)
    p += su('pop_mark') + b'(K\x09K\x09' + b'1' + b'K\x03' + op(0x85)   # POP_MARK → (3,)
    p += su('list') + b'(K\x01K\x02l'          # LIST
    p += su('tuple') + b'(K\x01K\x02K\x03K\x04t'   # TUPLE
    p += su('dict') + b'(' + su('a') + b'K\x01' + su('b') + b'K\x02d'   # DICT
    s8 = 'eight-byte length'.encode()
    p += su('unicode8') + op(0x8d, struct.pack('<Q', len(s8)), s8)
    p += su('bytes8') + op(0x8e, struct.pack('<Q', 3), b'\x01\x02\xff')
    p += su('readonly') + op(0x43, b'\x02', b'hi') + op(0x98)   # SHORT_BINBYTES, READONLY_BUFFER
    p += su('newobj_ex') + su('builtins') + su('dict') + op(0x93) + b')}' + op(0x92)
    p += su('text') + b'(' + b'I42\n' + b'I01\n' + b'L-123456789012345678901234567890L\n' + b'F2.5\n'
    p += b'p7\n' + b'g7\n' + b't'                # PUT/GET (memo 7): 2.5 twice
    p += su('py2_str') + op(0x55, b'\x03', b'abc') + op(0x54, struct.pack('<i', 2), b'\xc3\xa9') + op(0x86)
    p += su('memo_long') + su('stored') + op(0x72, struct.pack('<I', 70000)) + b'0' + op(0x6a, struct.pack('<I', 70000))
    p += su('codecs') + su('_codecs') + su('encode') + op(0x93) + su('\u00e9t\u00e9') + su('latin1') + op(0x86) + b'R'
    p += su('reconstructor') + su('copyreg') + su('_reconstructor') + op(0x93)
    p += su('netpyne.specs.dicts') + su('Dict') + op(0x93) + su('builtins') + su('dict') + op(0x93)
    p += b'}' + su('k') + b'K\x05s' + op(0x87) + b'R'
    p += su('set_reduce') + su('builtins') + su('set') + op(0x93) + b']K\x04a' + op(0x85) + b'R'
    p += su('frozenset') + b'(K\x01K\x02' + op(0x91)
    p += su('additems') + op(0x8f) + b'(K\x08K\x09' + op(0x90)
    p += b'd'                                  # DICT closes the outer MARK
    p += b'.'
    return p


def write_handmade():
    data = handmade()
    write_ok('handmade-p5', data, encoding='bytes')   # BINSTRING as bytes, as NetLoom reads it


def strip_frames(data):
    """The same pickle without its FRAME opcodes (framing is optional), so strings can change length."""
    out, last = b'', 0
    for opc, _, pos in pickletools.genops(data):
        if opc.name == 'FRAME':
            out += data[last:pos]
            last = pos + 9
    return out + data[last:]


def write_numpy2_names():
    """numpy >= 1.25 pickles name numpy._core.* where numpy 1.24 (installed here) writes
    numpy.core.*: the same arrays under the new names, expected to decode to the same values."""
    for proto in (2, 5):
        data = pickle.dumps(numpy_data(), protocol=proto)
        expected = expect(pickle.loads(data))
        if proto == 2:   # GLOBAL: module and name are text lines
            data = data.replace(b'cnumpy.core.multiarray\n', b'cnumpy._core.multiarray\n')
        else:            # STACK_GLOBAL: SHORT_BINUNICODE module names
            data = strip_frames(data)
            for old in (b'numpy.core.multiarray', b'numpy.core.numeric'):
                new = old.replace(b'numpy.core', b'numpy._core')
                data = data.replace(bytes([0x8c, len(old)]) + old, bytes([0x8c, len(new)]) + new)
        assert b'numpy.core' not in data
        write('numpy2-names-p%d' % proto, data, {'expect': expected, 'opcodes': opcodes(data)})


def write_bad():
    # The classic: GLOBAL os.system, then REDUCE with a command.
    write_err('evil-os-system', b'\x80\x02cos\nsystem\nq\x00X\x0c\x00\x00\x00echo pwned!!\x85R.', 'os.system')
    # Protocol 4, STACK_GLOBAL builtins.eval.
    write_err('evil-eval', op(0x80, b'\x04') + su('builtins') + su('eval') + op(0x93) + su('1+1') + op(0x85) + b'R.',
              'builtins.eval')

    class Evil:
        def __reduce__(self):
            return (os.system, ('echo pwned',))
    write_err('evil-reduce', pickle.dumps({'simData': Evil()}, protocol=4), 'posix.system')
    # Recursive list: l = [l].
    write_err('recursive', op(0x80, b'\x02') + b']q\x00h\x00a.', 'holds itself')
    # Memo bombs: each level a list holding the previous one twice; 2^64 leaves from ~600 bytes.
    p = op(0x80, b'\x04') + su('x' * 200) + op(0x94)
    for i in range(64):
        p += b']' + op(0x94) + b'(' + op(0x6a, struct.pack('<I', i)) + op(0x6a, struct.pack('<I', i)) + b'e'
    p += b'.'
    write_err('memo-bomb', p, 'expands to far more')
    # A complex numpy array.
    write_err('complex-dtype', pickle.dumps(np.array([1 + 2j]), protocol=4), "numpy dtype 'c16' is not supported")
    # Declared length far beyond the file.
    write_err('huge-length', op(0x80, b'\x04') + op(0x8d, struct.pack('<Q', 2**62)) + b'abc.', 'declares 4611686018427387904 bytes')
    # Protocol 6.
    write_err('protocol-6', op(0x80, b'\x06') + b'N.', 'protocol 6')
    # Deep nesting: 600 lists inside each other.
    write_err('deep', op(0x80, b'\x02') + b']' * 600 + b'a' * 599 + b'.', 'deeper than 512')
    # An unknown opcode.
    write_err('bad-opcode', op(0x80, b'\x04') + b'N\xff.', 'opcode 0xff')


def main():
    os.makedirs(OUT, exist_ok=True)
    for proto in (2, 3, 4, 5):
        write_ok('basic-p%d' % proto, pickle.dumps(basic(), protocol=proto))
        write_ok('numpy-p%d' % proto, pickle.dumps(numpy_data(), protocol=proto))
        write_ok('netpyne-p%d' % proto, pickle.dumps(netpyne_layout(), protocol=proto))
    write_handmade()
    write_numpy2_names()
    write_bad()
    # NetPyNE's saveData calls pickle.dump with the default protocol (4 on Python 3.8+).
    data = pickle.dumps(tut2())
    with open(os.path.join(OUT, 'tut2_data.pkl'), 'wb') as f:
        f.write(data)
    print('wrote', len(os.listdir(OUT)), 'files to', OUT)


if __name__ == '__main__':
    main()
