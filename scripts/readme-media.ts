/**
 * README's pictures, from the e2e suite's screenshots (test-results/e2e/, written by
 * `npm run test:e2e` in code-server): the chosen screenshots are copied to docs/images/ under
 * stable names, and the sliding kernel's frames (the e2e's stepping test) become an animated
 * GIF. Run: `npm run test:e2e && npm run readme:media`. Offline: pngjs decodes the frames,
 * gifenc quantises and encodes them.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GIFEncoder, applyPalette, quantize } from 'gifenc';
import { PNG } from 'pngjs';

const SHOTS = 'test-results/e2e';
const OUT = 'docs/images';

/** docs/images name ← the e2e step's screenshot (`NN-<step>.png`). */
const PICTURES: readonly (readonly [string, string])[] = [
  ['hover.png', 'dcgan-hover'],
  ['inlay-hints.png', 'inlay-hints'],
  ['diagnostic.png', 'diagnostic'],
  ['quick-fix.png', 'quick-fix-menu'],
  ['panel-sliding-kernel.png', 'panel-open'],
  ['panel-numbers.png', 'panel-numbers'],
  ['panel-scatter.png', 'view-scatter'],
  ['panel-overlap.png', 'view-overlap'],
  ['panel-matrix.png', 'view-matrix'],
  ['panel-compare.png', 'view-compare'],
  ['panel-upsampling-family.png', 'view-upsampling-family'],
  ['panel-chain.png', 'panel-chain'],
  ['converted.png', 'converted'],
  ['keras-hover.png', 'keras-hover'],
  ['layer-shapes.png', 'layer-shapes'],
];

function screenshotOf(step: string): string {
  const found = readdirSync(SHOTS).filter((f) => f.endsWith(`-${step}.png`) && /^\d+-/.test(f));
  if (found.length === 0) throw new Error(`no screenshot of the e2e step '${step}' in ${SHOTS}: run \`npm run test:e2e\` first`);
  return join(SHOTS, found.sort().pop()!);
}

/** The frames as one GIF: a shared palette, each frame `delayMs`, looping. */
function gif(frames: readonly string[], delayMs: number): Uint8Array {
  const images = frames.map((f) => PNG.sync.read(readFileSync(f)));
  const { width, height } = images[0];
  // One palette for all frames (they differ only where the kernel and the output are).
  const all = new Uint8Array(images.reduce((n, i) => n + i.data.length, 0));
  let at = 0;
  for (const i of images) {
    all.set(i.data, at);
    at += i.data.length;
  }
  const palette = quantize(all, 256);
  const encoder = GIFEncoder();
  for (const image of images) {
    if (image.width !== width || image.height !== height) throw new Error('frames differ in size');
    encoder.writeFrame(applyPalette(image.data, palette), width, height, { palette, delay: delayMs, repeat: 0 });
  }
  encoder.finish();
  return encoder.bytes();
}

mkdirSync(OUT, { recursive: true });
for (const [name, step] of PICTURES) copyFileSync(screenshotOf(step), join(OUT, name));
const framesDir = join(SHOTS, 'frames');
if (!existsSync(framesDir)) throw new Error(`no frames in ${framesDir}: run \`npm run test:e2e\` first`);
const frames = readdirSync(framesDir).filter((f) => f.endsWith('.png')).sort().map((f) => join(framesDir, f));
writeFileSync(join(OUT, 'sliding-kernel.gif'), gif(frames, 700));
console.log(`${PICTURES.length} screenshots and sliding-kernel.gif (${frames.length} frames) written to ${OUT}/`);
