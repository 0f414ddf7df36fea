/**
 * The panel's upsampling family, judged by real PyTorch (Debian's python3-torch; missing is
 * a failure, never a skip): nearest and bilinear against F.interpolate, max-unpooling
 * against max_pool2d's switches and max_unpool2d, and FCN's bilinear transposed conv
 * against conv_transpose2d — and that one equals bilinear away from the borders.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { upsamplingFamily, type Signal } from '../../src/core/visual/upsampling';

const PYTHON = `
import json, sys, torch, torch.nn.functional as F
out = []
for case in json.loads(sys.stdin.read()):
    h, w, s = case["h"], case["w"], case["s"]
    x = torch.tensor(case["x"], dtype=torch.float64).reshape(1, 1, h, w)
    k = 2 * s - s % 2
    factor = (k + 1) // 2
    center = factor - 1 if k % 2 == 1 else factor - 0.5
    og = torch.arange(k, dtype=torch.float64)
    f1 = 1 - (og - center).abs() / factor
    weight = (f1[:, None] * f1[None, :]).reshape(1, 1, k, k)
    pad = (s - 1 + 1) // 2
    ex = torch.tensor(case["example"], dtype=torch.float64).reshape(1, 1, h * s, w * s)
    pooled, switches = F.max_pool2d(ex, s, s, return_indices=True)
    out.append({
        "nearest": F.interpolate(x, scale_factor=s, mode="nearest").flatten().tolist(),
        "bilinear": F.interpolate(x, scale_factor=s, mode="bilinear", align_corners=False).flatten().tolist(),
        "pooled": pooled.flatten().tolist(),
        "unpool": F.max_unpool2d(pooled, switches, s, s).flatten().tolist(),
        "fcn": F.conv_transpose2d(x, weight, stride=s, padding=pad).flatten().tolist(),
    })
print(json.dumps(out))
`;

describe('the upsampling family (real PyTorch)', () => {
  const cases = [
    { h: 3, w: 4, s: 2 },
    { h: 2, w: 3, s: 3 },
    { h: 4, w: 4, s: 4 },
  ].map((c) => ({ ...c, x: Array.from({ length: c.h * c.w }, (_, i) => ((i * 5) % 7) + 1) }));

  it('matches F.interpolate, max_pool2d/max_unpool2d and conv_transpose2d, and the bilinear kernel gives bilinear in the interior', () => {
    const families = cases.map((c) => upsamplingFamily({ size: [c.h, c.w], values: c.x }, [c.s, c.s]));
    // Torch max-pools the same example input, and must find the input and the same switches.
    const examples = families.map((f) => f[3].pooledFrom!.values);
    const run = spawnSync('/usr/bin/python3', ['-c', PYTHON], { input: JSON.stringify(cases.map((c, n) => ({ ...c, example: examples[n] }))), encoding: 'utf8' });
    assert.equal(run.status, 0, `PyTorch did not run (Debian's python3-torch is required): ${run.stderr}`);
    const torch = JSON.parse(run.stdout) as Record<string, number[]>[];
    cases.forEach((c, n) => {
      const [nearest, bilinear, , unpool, fcn] = families[n].map((u) => u.result);
      const close = (a: Signal, b: number[], what: string): void => {
        assert.deepEqual(a.size, [c.h * c.s, c.w * c.s], what);
        a.values.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-9, `${what} at ${i}: ${v} vs ${b[i]} (case ${JSON.stringify(c)})`));
      };
      close(nearest, torch[n].nearest, 'nearest');
      close(bilinear, torch[n].bilinear, 'bilinear');
      assert.deepEqual(torch[n].pooled, c.x, 'the example pools to the input');
      close(unpool, torch[n].unpool, 'max-unpooling');
      close(fcn, torch[n].fcn, 'FCN transposed conv');
      // Away from the borders (s cells in from each side), the FCN kernel is bilinear.
      const W = c.w * c.s;
      for (let y = c.s; y < c.h * c.s - c.s; y++) {
        for (let x = c.s; x < W - c.s; x++) assert.ok(Math.abs(fcn.values[y * W + x] - bilinear.values[y * W + x]) < 1e-9, `interior (${y}, ${x}) for s=${c.s}`);
      }
    });
  });
});
