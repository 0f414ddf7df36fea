"""Runs Conv Lens's zero-inserted rewrites of transposed convs with real PyTorch.

Reads JSON Lines on stdin, one case each:
  {"id", "source": "nn.ConvTranspose2d(...)", "inputs": [[1, 4, 5, 6], ...],
   "replacement", "helpers", "fromTransposed"}   (the last three as `conv-lens convert --json` prints them)
and writes one JSON line per case: {"id", "ok": true, "maxDiff": ...} or {"id", "ok": false, "why": ...}.

For each case, after `import torch, torch.nn as nn, torch.nn.functional as F` and exec(helpers):
- eval(fromTransposed)(ct) must give ct's outputs (max abs difference <= 1e-5, float32);
- eval(replacement), built under the same seed as ct, must draw the same random numbers and
  give ct's outputs too, for every listed input size (so it has ct's shape for all of them).
"""
import json
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

TOLERANCE = 1e-5


def check(case):
    scope = {"torch": torch, "nn": nn, "F": F}
    exec(case["helpers"], scope)
    torch.manual_seed(case["id"])
    ct = eval(case["source"], scope)
    after_ct = torch.rand(1).item()
    torch.manual_seed(case["id"])
    rewritten = eval(case["replacement"], scope)
    # Building the rewrite must draw exactly the random numbers ConvTranspose draws, or the
    # layers built after it in a model would start from different weights.
    if torch.rand(1).item() != after_ct:
        return {"ok": False, "why": "building the replacement draws different random numbers than ConvTranspose"}
    converted = eval(case["fromTransposed"], scope)(ct)
    worst = 0.0
    for shape in case["inputs"]:
        x = torch.randn(*shape)
        expected = ct(x)
        for name, module in (("fromTransposed", converted), ("replacement", rewritten)):
            got = module(x)
            if got.shape != expected.shape:
                return {"ok": False, "why": f"{name}: shape {tuple(got.shape)} for input {tuple(shape)}, ConvTranspose gives {tuple(expected.shape)}"}
            diff = (got - expected).abs().max().item() if expected.numel() else 0.0
            worst = max(worst, diff)
            if diff > TOLERANCE:
                return {"ok": False, "why": f"{name}: max abs difference {diff} for input {tuple(shape)}"}
    return {"ok": True, "maxDiff": worst}


def main():
    torch.set_num_threads(1)
    for line in sys.stdin:
        case = json.loads(line)
        try:
            result = check(case)
        except Exception as e:  # the rewrite must never raise where ConvTranspose does not
            result = {"ok": False, "why": f"{type(e).__name__}: {e}"}
        print(json.dumps({"id": case["id"], **result}), flush=True)


if __name__ == "__main__":
    main()
