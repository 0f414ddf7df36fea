#!/usr/bin/python3
"""ONNX cases for Conv Lens' ONNX engine, judged by Debian's python3-onnx (1.12).

Two kinds, one JSON object per line:
  * "backend": the 45 node test cases onnx ships for Conv, ConvTranspose, MaxPool,
    AveragePool and MaxUnpool (onnx/backend/test/case/node/*.py), with their attributes,
    input shapes, expected output shapes and, for 2-D Conv and ConvTranspose, the input,
    weight and expected output values;
  * "inference": random nodes whose output shape onnx's own shape inference computes, in
    the configurations where ONNX's spec and onnx 1.12's inference agree (see
    ../shared/reference/conv-arithmetic.md §4: inference rounds toward zero where the window
    is longer than the padded input, and omits the ceil_mode last-window rule of ONNX 1.16).

Usage: /usr/bin/python3 test/oracle/onnx_cases.py [--backend] [--count N] [--seed S] --out FILE
"""
import argparse
import importlib
import json
import random
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, shape_inference

OPS = ["conv", "convtranspose", "maxpool", "averagepool", "maxunpool"]


def attributes(node):
    out = {}
    for a in node.attribute:
        v = helper.get_attribute_value(a)
        if isinstance(v, bytes):
            v = v.decode()
        elif isinstance(v, list):
            v = [int(x) for x in v]
        out[a.name] = v
    return out


def dims(value_info):
    return [d.dim_value for d in value_info.type.tensor_type.shape.dim]


def backend_cases():
    # Importing a case module runs its exports, which record the cases.
    package = importlib.import_module("onnx.backend.test.case.node")
    for name in OPS:
        importlib.import_module("onnx.backend.test.case.node." + name)
    for case in package._NodeTestCases:
        node = case.model.graph.node[0]
        inputs, outputs = case.data_sets[0]
        record = {
            "kind": "backend",
            "name": case.name,
            "op": node.op_type,
            "attributes": attributes(node),
            "inputs": [list(x.shape) if hasattr(x, "shape") else None for x in inputs],
            "outputs": [list(y.shape) for y in outputs],
        }
        # The output_shape input of MaxUnpool is a tensor: its values are the shape.
        if node.op_type == "MaxUnpool" and len(inputs) == 3:
            record["output_shape_input"] = [int(v) for v in inputs[2]]
        if node.op_type in ("Conv", "ConvTranspose") and len(inputs[0].shape) == 4:
            record["x"] = inputs[0].tolist()
            record["w"] = inputs[1].tolist()
            record["y"] = outputs[0].tolist()
        yield record


def infer(op, attrs, x_shape, w_shape):
    inputs = [helper.make_tensor_value_info("X", TensorProto.FLOAT, x_shape)]
    names = ["X"]
    if w_shape is not None:
        inputs.append(helper.make_tensor_value_info("W", TensorProto.FLOAT, w_shape))
        names.append("W")
    node = helper.make_node(op, names, ["Y"], **attrs)
    graph = helper.make_graph([node], "g", inputs, [helper.make_tensor_value_info("Y", TensorProto.FLOAT, None)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 12)])
    inferred = shape_inference.infer_shapes(model, strict_mode=True)
    shape = inferred.graph.output[0].type.tensor_type.shape
    return [d.dim_value for d in shape.dim]


def random_case(r):
    nd = r.choice([1, 2, 2, 2, 3])
    op = r.choice(["Conv", "ConvTranspose", "ConvTranspose", "MaxPool", "AveragePool"])
    k = [r.randint(1, 4) for _ in range(nd)]
    s = [r.randint(1, 3) for _ in range(nd)]
    d = [r.randint(1, 2) for _ in range(nd)] if op != "AveragePool" else [1] * nd
    keff = [d[i] * (k[i] - 1) + 1 for i in range(nd)]
    spatial = [r.randint(1, 9) for _ in range(nd)]
    c = r.randint(1, 4)
    attrs = {"kernel_shape": k, "strides": s}
    if op != "AveragePool" and any(x > 1 for x in d):
        attrs["dilations"] = d
    mode = r.choice(["NOTSET", "NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"])
    if mode != "NOTSET":
        attrs["auto_pad"] = mode
    elif r.random() < 0.7:
        attrs["pads"] = [r.randint(0, 2) for _ in range(2 * nd)]
    w_shape = None
    if op in ("Conv", "ConvTranspose"):
        group = r.choice([1, 1, 2]) if c % 2 == 0 else 1
        if group > 1:
            attrs["group"] = group
        m = r.randint(1, 3) * group
        w_shape = [m, c // group] + k if op == "Conv" else [c, m // group] + k
    if op == "ConvTranspose":
        if r.random() < 0.3:
            attrs["output_padding"] = [r.randint(0, s[i] - 1) for i in range(nd)]
        if mode == "NOTSET" and r.random() < 0.2:
            attrs.pop("pads", None)
            full = [s[i] * (spatial[i] - 1) + attrs.get("output_padding", [0] * nd)[i] + keff[i] for i in range(nd)]
            attrs["output_shape"] = [max(1, full[i] + r.randint(-2, 1)) for i in range(nd)]
    if op in ("MaxPool", "AveragePool") and r.random() < 0.3:
        attrs["ceil_mode"] = 1
    # Where spec and onnx 1.12 inference part ways, this generator does not go (see above).
    pads = attrs.get("pads", [0] * (2 * nd))
    if op != "ConvTranspose" and mode in ("NOTSET", "VALID"):
        if any(spatial[i] + pads[i] + pads[i + nd] < keff[i] for i in range(nd)):
            return None
    if op in ("MaxPool", "AveragePool"):
        if any(p >= kk for p, kk in zip(pads, k + k)):
            return None
        if attrs.get("ceil_mode"):
            for i in range(nd):
                span = spatial[i] + pads[i] + pads[i + nd] - keff[i]
                n = -(-span // s[i]) + 1
                if (n - 1) * s[i] >= spatial[i] + pads[i]:
                    return None
    if op == "ConvTranspose" and mode in ("SAME_UPPER", "SAME_LOWER") and "output_shape" not in attrs:
        pass  # the spec's formula, which inference follows (reference §4.2)
    x_shape = [r.randint(1, 2), c] + spatial
    try:
        out = infer(op, attrs, x_shape, w_shape)
    except Exception as e:  # inference refused: not a case for shape agreement
        return None
    if len(out) != nd + 2 or any(v <= 0 for v in out):
        return None
    return {"kind": "inference", "op": op, "attributes": attrs, "inputs": [x_shape, w_shape], "outputs": [out]}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--count", type=int, default=0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--backend", action="store_true")
    p.add_argument("--out", required=True)
    a = p.parse_args()
    r = random.Random(a.seed)
    lines = []
    if a.backend:
        lines.extend(backend_cases())
    made = 0
    while made < a.count:
        case = random_case(r)
        if case:
            lines.append(case)
            made += 1
    with open(a.out, "w") as f:
        for line in lines:
            f.write(json.dumps(line) + "\n")
    print(f"onnx {onnx.__version__}: {len(lines)} cases ({sum(1 for l in lines if l['kind'] == 'backend')} backend) -> {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
