/** The `conv-lens` command line, run as a user runs it: the built dist/cli.js in a child process. */
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');

function run(args: string[], stdin = ''): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { input: stdin, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('conv-lens CLI', function () {
  this.timeout(60000);
  before(() => {
    if (!existsSync(cli)) execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  });

  it('prints a concrete output shape for a known input', () => {
    const r = run(['shape', '--input', '1,16,32,32', 'nn.ConvTranspose2d(16, 33, 3, stride=2, padding=1, output_padding=1)']);
    assert.equal(r.status, 0);
    assert.equal(r.stdout, '(1, 33, 64, 64)\n');
  });

  it('convert --json prints exactly replacement, helpers and fromTransposed', () => {
    const r = run(['convert', '--json', 'nn.ConvTranspose2d(16, 33, 4, 2, 1)']);
    assert.equal(r.status, 0);
    const answer = JSON.parse(r.stdout) as Record<string, string>;
    assert.deepEqual(Object.keys(answer), ['replacement', 'helpers', 'fromTransposed']);
    assert.equal(answer.replacement.split('\n').pop(), '    16, 33, 4, 2, 1)');
    assert.equal(answer.fromTransposed, 'ZeroInsertedConvTranspose2d.from_transposed');
  });

  it('convert refuses with exit 1 and the reason when there is nothing to convert', () => {
    const r = run(['convert', 'nn.Conv2d(16, 33, 3)']);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, 'conv-lens: cannot convert: no transposed convolution (nn.ConvTranspose1d/2d/3d) found in the source\n');
  });

  it('solve --transposed --scale 2 lists the configurations that double every size, simplest first', () => {
    const r = run(['solve', '--transposed', '--scale', '2']);
    assert.equal(r.status, 0);
    assert.deepEqual(r.stdout.split('\n').slice(0, 2), ['kernel_size=2, stride=2', 'kernel_size=4, stride=2, padding=1']);
  });

  it('solve --json answers exact sizes, and exits 1 with an empty list when none fits', () => {
    assert.deepEqual((JSON.parse(run(['solve', '--json', '--input', '32', '--output', '16']).stdout) as { solutions: unknown[] }).solutions[0], { kernel: 1, stride: 2, padding: 0, outputPadding: 0, dilation: 1 });
    const none = run(['solve', '--json', '--input', '4', '--output', '40']);
    assert.equal(none.status, 1);
    assert.deepEqual(JSON.parse(none.stdout), { solutions: [] });
  });

  it('prints a symbolic shape when no input is given', () => {
    const r = run(['shape', 'nn.ConvTranspose2d(16, 33, 4, 2, 1)']);
    assert.equal(r.stdout, '(N, 33, 2·H, 2·W)\n');
  });

  it('answers in JSON with the per-layer trace', () => {
    const r = run(['shape', '--json', '--input', '1,100,1,1', 'nn.Sequential(nn.ConvTranspose2d(100, 64, 4, 1, 0), nn.ReLU())']);
    assert.equal(r.status, 0);
    assert.deepEqual(JSON.parse(r.stdout), {
      output: [1, 64, 4, 4],
      layers: [
        {
          type: 'ConvTranspose2d',
          input: [1, 100, 1, 1],
          output: [1, 64, 4, 4],
          parameters: 102464,
          axes: [0, 1].map(() => ({ kernel: 4, stride: 1, dilation: 1, effectiveKernel: 4, padding: [0, 0], outputPadding: 0, zeroInsertion: { zerosBetween: 0, padding: [3, 3] } })),
        },
        { type: 'ReLU', input: [1, 64, 4, 4], output: [1, 64, 4, 4], parameters: 0 },
      ],
    });
  });

  it('exits 1 with the reason when PyTorch would refuse the layer', () => {
    const r = run(['shape', '--input', '1,16,8,8', 'nn.ConvTranspose2d(16, 33, 3, output_padding=1)']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /refused: output padding must be smaller than either stride or dilation/);
  });

  it('reads the source from stdin with -', () => {
    const r = run(['shape', '--input', '1,3,64,64', '-'], 'import torch.nn as nn\nk = 3\nnn.Conv2d(3, 8, k, 2, 1)\n');
    assert.equal(r.stdout, '(1, 8, 32, 32)\n');
  });

  it('exits 2 on a usage error', () => {
    assert.equal(run(['shape']).status, 2);
    assert.equal(run(['frobnicate']).status, 2);
    assert.equal(run(['shape', '--input', '1,a-b', 'nn.ReLU()']).status, 2);
  });

  it('keeps a multi-byte character whole when it arrives split across two input chunks', async () => {
    const { runBatch } = await import('../../src/cli/batch');
    const line = Buffer.from(`${JSON.stringify({ id: 'größe', source: 'nn.ReLU()', input: [1, 2] })}\n`, 'utf8');
    const cut = line.indexOf(Buffer.from('ö', 'utf8')) + 1; // inside the two bytes of ö
    let out = '';
    await runBatch(
      Readable.from([line.subarray(0, cut), line.subarray(cut)]),
      (chunk) => (out += chunk),
      cli,
    );
    assert.deepEqual(JSON.parse(out), { id: 'größe', output: [1, 2], layers: [{ type: 'ReLU', input: [1, 2], output: [1, 2], parameters: 0 }] });
  });

  it('answers batch lines in order, one JSON object per line, malformed lines included', () => {
    const input = [
      JSON.stringify({ id: 1, source: 'nn.ConvTranspose2d(16, 33, 3, stride=2)', input: [1, 16, 32, 32] }),
      '{not json',
      JSON.stringify({ id: 'b', source: 'nn.Conv2d(16, 33, 5)', input: [1, 16, 4, 4] }),
      JSON.stringify({ id: 3, source: 'nn.MaxPool2d(2)', input: [1, 3, 8, 8], framework: 'torch' }),
    ].join('\n');
    const r = run(['batch'], `${input}\n`);
    assert.equal(r.status, 0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines.length, 4);
    assert.deepEqual([lines[0].id, lines[0].output], [1, [1, 33, 65, 65]]);
    assert.equal(lines[1].id, null);
    assert.match(String(lines[1].error), /malformed JSON/);
    assert.deepEqual([lines[2].id, lines[2].rule], ['b', 'kernel-too-large']);
    assert.deepEqual(lines[3].output, [1, 3, 4, 4]);
  });

  it('reads batch lines of any framework: named ("keras", "onnx"), or read from the text', () => {
    const input = [
      JSON.stringify({ id: 1, source: "Conv2DTranspose(8, 3, strides=2, padding='same')", input: [1, 7, 7, 4], framework: 'keras' }),
      JSON.stringify({ id: 2, source: 'layers.Conv2DTranspose(8, 3, strides=2, padding="same")', input: [1, 7, 7, 4] }),
      JSON.stringify({ id: 3, source: 'make_node("ConvTranspose", ["X", "W"], ["Y"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 0, 0])', input: [1, 4, 7, 7], framework: 'onnx' }),
      JSON.stringify({ id: 4, source: 'x', framework: 'caffe2' }),
    ].join('\n');
    const lines = run(['batch'], `${input}\n`).stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(lines.map((l) => l.output ?? l.error), [[1, 14, 14, 8], [1, 14, 14, 8], [1, 'M', 14, 14], 'framework "caffe2" is not supported; give "torch", "keras" or "onnx" (or leave it out: it is read from the text)']);
  });

  it('translates the last transposed conv of a source into every framework', () => {
    const r = run(['translate', '--to', 'torch', "from tensorflow.keras import layers\nup = layers.Conv2DTranspose(64, 5, strides=2, padding='same')"]);
    assert.equal(r.status, 0);
    assert.equal(r.stdout, '# PyTorch (not one layer): PyTorch crops padding at the start and padding − output_padding at the end: it cannot crop more at the end than at the start, so the full output is sliced\ny = nn.ConvTranspose2d(C, 64, kernel_size=5, stride=2, padding=0)(x)\ny = y[..., 1:-2, 1:-2]\n\n');
  });
});
