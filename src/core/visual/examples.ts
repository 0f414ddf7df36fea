/**
 * Numbers mode's example values: the input (1, 2, 3, … row by row unless the user types
 * others) and a kernel of ones, FCN's bilinear filter, or seeded random integers.
 */
export type KernelChoice = 'ones' | 'bilinear' | 'random';

export const KERNEL_CHOICES: readonly { readonly id: KernelChoice; readonly label: string }[] = [
  { id: 'ones', label: 'Kernel: ones' },
  { id: 'bilinear', label: 'Kernel: bilinear (FCN)' },
  { id: 'random', label: 'Kernel: random (seed 1)' },
];

export function defaultInput(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i + 1);
}

/** A kernel of the given size per axis, row-major. */
export function exampleKernel(choice: KernelChoice, sizes: readonly number[]): number[] {
  const count = sizes.reduce((n, k) => n * k, 1);
  if (choice === 'ones') return new Array<number>(count).fill(1);
  if (choice === 'random') {
    const next = mulberry32(1);
    return Array.from({ length: count }, () => Math.floor(next() * 5) - 2);
  }
  // FCN's bilinear filter (upsample_filt): separable, 1 − |x − center| / factor per axis.
  const perAxis = sizes.map((k) => {
    const factor = Math.floor((k + 1) / 2);
    const center = k % 2 === 1 ? factor - 1 : factor - 0.5;
    return Array.from({ length: k }, (_, x) => 1 - Math.abs(x - center) / factor);
  });
  return Array.from({ length: count }, (_, flat) => {
    let rest = flat;
    let w = 1;
    for (let k = sizes.length - 1; k >= 0; k--) {
      w *= perAxis[k][rest % sizes[k]];
      rest = Math.floor(rest / sizes[k]);
    }
    return w;
  });
}

/** Numbers typed by the user: commas or spaces between them; undefined unless exactly `count` finite numbers. */
export function parseValues(text: string, count: number): number[] | undefined {
  const parts = text.split(/[\s,;]+/).filter((p) => p !== '');
  const values = parts.map(Number);
  return values.length === count && values.every(Number.isFinite) ? values : undefined;
}

/** A small seeded generator (mulberry32): the same kernel on every machine and run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
