#!/usr/bin/python3
"""Turns a network saved by `netloom build --save NET.json` into the flat arrays the
hand-written HOC model reads: conns.bin = n, then pre[n], post[n], type[n] (0 exc, 1 inh),
weight[n], delay[n], all float64 (Vector.fread's default)."""
import json
import sys

import numpy as np

net = json.load(open(sys.argv[1]))["net"]
pre, post, kind, weight, delay = [], [], [], [], []
for cell in net["cells"]:
    for c in cell["conns"]:
        if not isinstance(c["preGid"], int):
            continue  # the background NetStims: the HOC model makes its own
        pre.append(c["preGid"])
        post.append(cell["gid"])
        kind.append(0 if c["synMech"] == "exc" else 1)
        weight.append(c["weight"])
        delay.append(c["delay"])
with open(sys.argv[2], "wb") as f:
    np.array([len(pre)], dtype="<f8").tofile(f)
    for a in (pre, post, kind, weight, delay):
        np.asarray(a, dtype="<f8").tofile(f)
print(len(pre), "connections")
