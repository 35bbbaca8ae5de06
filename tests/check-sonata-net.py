#!/usr/bin/python3
"""Independent check of a SONATA circuit written by `netloom build --sonata DIR`, with h5py
and numpy (Debian's /usr/bin/python3). Usage: check-sonata-net.py DIR TOTAL_EDGES.
Prints "ok" or fails with an assertion naming what is wrong."""
import json
import os
import shlex
import sys

import h5py
import numpy as np


def csv_rows(path):
    with open(path) as f:
        lines = [shlex.split(line) for line in f if line.strip()]
    return lines[0], lines[1:]


def check_root(f, name):
    assert int(f.attrs["magic"]) == 0x0A7A, name
    assert list(f.attrs["version"]) == [0, 1], name


def brute_index(key, other, n_nodes):
    """[first, end) rows per node, and [first, end) edges per run, runs in node order."""
    n = len(key)
    change = np.ones(n, dtype=bool)
    if n:
        change[1:] = key[1:] != key[:-1]
        if other is not None:
            change[1:] |= other[1:] != other[:-1]
    starts = np.flatnonzero(change)
    ends = np.append(starts[1:], n).astype(np.uint64)
    run_node = key[starts]
    order = np.argsort(run_node, kind="stable")
    ranges = np.stack([starts[order].astype(np.uint64), ends[order]], axis=1) if n else np.zeros((0, 2), np.uint64)
    counts = np.bincount(run_node.astype(np.int64), minlength=n_nodes) if n else np.zeros(n_nodes, np.int64)
    cum = np.concatenate([[0], np.cumsum(counts)]).astype(np.uint64)
    nodes = np.stack([cum[:-1], cum[1:]], axis=1)
    return nodes, ranges


def main():
    d, total = sys.argv[1], int(sys.argv[2])
    cfg = json.load(open(os.path.join(d, "circuit_config.json")))
    assert cfg["manifest"]["$NETWORK_DIR"] == "."
    path = lambda p: os.path.join(d, p.replace("$NETWORK_DIR/", ""))
    sizes = {}
    for n in cfg["networks"]["nodes"]:
        with h5py.File(path(n["nodes_file"]), "r") as f:
            check_root(f, n["nodes_file"])
            (pop,) = list(f["nodes"])
            g = f["nodes"][pop]
            k = len(g["node_type_id"])
            assert g["node_id"].dtype == np.uint64 and (g["node_id"][:] == np.arange(k)).all()
            assert g["node_type_id"].dtype == np.uint64
            assert g["node_group_id"].dtype == np.uint32 and (g["node_group_id"][:] == 0).all()
            assert (g["node_group_index"][:] == np.arange(k)).all()
            for c in g["0"]:
                assert c in ("x", "y", "z") and g["0"][c].dtype == np.float64 and len(g["0"][c]) == k
            head, rows = csv_rows(path(n["node_types_file"]))
            assert head[:3] == ["node_type_id", "model_type", "model_template"], head
            assert {int(r[0]) for r in rows} == set(np.unique(g["node_type_id"][:]).tolist())
            assert all(r[1] in ("biophysical", "virtual", "point_process") for r in rows)
            sizes[pop] = k
    seen = 0
    for e in cfg["networks"]["edges"]:
        with h5py.File(path(e["edges_file"]), "r") as f:
            check_root(f, e["edges_file"])
            (pop,) = list(f["edges"])
            g = f["edges"][pop]
            src, tgt = g["source_node_id"], g["target_node_id"]
            sp, tp = src.attrs["node_population"], tgt.attrs["node_population"]
            sp = sp.decode() if isinstance(sp, bytes) else sp
            tp = tp.decode() if isinstance(tp, bytes) else tp
            assert pop == "%s_to_%s" % (sp, tp), pop
            s, t = src[:], tgt[:]
            n = len(s)
            assert src.dtype == np.uint64 and tgt.dtype == np.uint64 and len(t) == n
            assert n == 0 or (s.max() < sizes[sp] and t.max() < sizes[tp])
            assert (np.diff(t.astype(np.int64)) >= 0).all(), "edges ordered by target"
            assert g["edge_type_id"].dtype == np.uint32 and len(g["edge_type_id"]) == n
            assert (g["edge_group_id"][:] == 0).all() and (g["edge_group_index"][:] == np.arange(n)).all()
            for c in ("syn_weight", "delay"):
                assert g["0"][c].dtype == np.float32 and len(g["0"][c]) == n
            if "afferent_section_id" in g["0"]:
                assert g["0"]["afferent_section_id"].dtype == np.int32
                pos = g["0"]["afferent_section_pos"][:]
                assert ((pos >= 0) & (pos <= 1)).all()
            head, rows = csv_rows(path(e["edge_types_file"]))
            assert head == ["edge_type_id", "model_template", "syn_mech", "conn_rule", "dynamics_params"], head
            for r in rows:
                dyn = json.load(open(os.path.join(path(cfg["components"]["synaptic_models_dir"]), r[4])))
                assert dyn["level_of_detail"] == r[1], (r, dyn)
            assert set(np.unique(g["edge_type_id"][:]).tolist()) == {int(r[0]) for r in rows}
            for name, key, other, count in (("source_to_target", s, t, sizes[sp]),
                                            ("target_to_source", t, None, sizes[tp])):
                ig = g["indices"][name]
                nodes, ranges = brute_index(key, other, count)
                assert ig["node_id_to_range"].dtype == np.uint64
                assert (ig["node_id_to_range"][:] == nodes).all(), (pop, name)
                assert (ig["node_id_to_ranges"][:] == nodes).all(), (pop, name)
                assert (ig["range_to_edge_id"][:] == ranges).all(), (pop, name)
            seen += n
    assert seen == total, (seen, total)
    print("ok: %d node populations, %d edge populations, %d edges" % (len(sizes), len(cfg["networks"]["edges"]), seen))


main()
