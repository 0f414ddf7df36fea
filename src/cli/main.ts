/**
 * `conv-lens`: the core's answers for terminals, scripts and benchmarks.
 *
 *   conv-lens shape [--input 1,16,32,32] [--json] SOURCE|-
 *   conv-lens batch            (JSON Lines on stdin → JSON Lines on stdout)
 *   conv-lens convert [--json] SOURCE|-
 *   conv-lens solve [--transposed] (--scale F | --input L --output N) [--json]
 *   conv-lens translate [--to torch|keras|onnx|flax] [--json] SOURCE|-
 *
 * Exit codes: 0 answered, 1 the layer is refused (or cannot be computed), 2 usage error.
 */
import { readFileSync } from 'node:fs';
import { answerConvertQuery, answerShapeQuery, answerTranslateQuery, parseShapeSpec, type ShapeAnswer } from '../core/query';
import { TRANSLATION_TARGETS, type TranslationTarget } from '../core/translate';
import { isMainThread } from 'node:worker_threads';
import { configText, solve, type Target } from '../core/solve/solver';
import { runBatch, serveBatchWorker } from './batch';

const USAGE = `usage:
  conv-lens shape [--input SHAPE] [--json] SOURCE   SOURCE is Python text, or - for stdin
  conv-lens batch                                   JSON Lines on stdin, one answer per line on stdout
  conv-lens convert [--json] SOURCE                 the last transposed conv of SOURCE as a zero-inserted conv
  conv-lens solve [--transposed] --input L --output N [--json]
  conv-lens solve --transposed --scale F [--json]   kernel/stride/padding/output_padding/dilation giving that size
  conv-lens translate [--to FRAMEWORK] [--json] SOURCE
                                                    the last transposed conv of SOURCE in torch, keras, onnx and flax terms
  conv-lens --help | --version

SHAPE is the input tensor shape: 1,16,32,32 or "(N, 16, H, W)" (names stay symbolic).
Exit status: 0 answered, 1 refused or not computable, 2 usage error.`;

declare const CONV_LENS_VERSION: string;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    (command === undefined ? process.stderr : process.stdout).write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version') {
    process.stdout.write(`${typeof CONV_LENS_VERSION === 'string' ? CONV_LENS_VERSION : 'dev'}\n`);
    return 0;
  }
  if (command === 'shape') return shapeCommand(rest);
  if (command === 'convert') return convertCommand(rest);
  if (command === 'solve') return solveCommand(rest);
  if (command === 'translate') return translateCommand(rest);
  if (command === 'batch') {
    if (rest.length > 0) return usage(`batch takes no arguments (got ${rest.join(' ')})`);
    // The bundle is its own worker script: see the isMainThread switch at the bottom.
    await runBatch(process.stdin, (chunk) => process.stdout.write(chunk), __filename);
    return 0;
  }
  return usage(`unknown command '${command}'`);
}

function usage(message: string): number {
  process.stderr.write(`conv-lens: ${message}\n${USAGE}\n`);
  return 2;
}

function shapeCommand(args: string[]): number {
  let json = false;
  let inputText: string | undefined;
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--json') json = true;
    else if (a === '--input' || a === '-i') {
      inputText = args[++i];
      if (inputText === undefined) return usage('--input needs a shape, e.g. --input 1,16,32,32');
    } else if (a.startsWith('--input=')) inputText = a.slice('--input='.length);
    else if (a.startsWith('-') && a !== '-') return usage(`unknown option '${a}'`);
    else positional.push(a);
  }
  if (positional.length !== 1) return usage(positional.length === 0 ? 'shape needs a SOURCE (Python text, or - for stdin)' : 'shape takes one SOURCE; quote the Python text');
  const input = inputText === undefined ? undefined : parseShapeSpec(inputText);
  if (inputText !== undefined && input === undefined) return usage(`cannot read the input shape '${inputText}'; write it as 1,16,32,32`);
  const source = positional[0] === '-' ? readFileSync(0, 'utf8') : positional[0];
  const answer = answerShapeQuery(source, input);
  if (json) process.stdout.write(`${JSON.stringify(answer)}\n`);
  else writeHuman(answer);
  return 'error' in answer ? 1 : 0;
}

function convertCommand(args: string[]): number {
  const json = args.includes('--json');
  const positional = args.filter((a) => a !== '--json');
  const unknown = positional.find((a) => a.startsWith('-') && a !== '-');
  if (unknown !== undefined) return usage(`unknown option '${unknown}'`);
  if (positional.length !== 1) return usage(positional.length === 0 ? 'convert needs a SOURCE (Python text, or - for stdin)' : 'convert takes one SOURCE; quote the Python text');
  const source = positional[0] === '-' ? readFileSync(0, 'utf8') : positional[0];
  const answer = answerConvertQuery(source);
  if (json) process.stdout.write(`${JSON.stringify(answer)}\n`);
  else if ('error' in answer) process.stderr.write(`conv-lens: cannot convert: ${answer.error}\n`);
  else process.stdout.write(`${answer.replacement}\n\n# needs these helpers, once per file (after the imports):\n${answer.helpers}`);
  return 'error' in answer ? 1 : 0;
}

function translateCommand(args: string[]): number {
  let json = false;
  let to: TranslationTarget | undefined;
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--json') json = true;
    else if (a === '--to') {
      const t = args[++i];
      if (!TRANSLATION_TARGETS.includes(t as TranslationTarget)) return usage(`--to needs one of ${TRANSLATION_TARGETS.join(', ')}`);
      to = t as TranslationTarget;
    } else if (a.startsWith('-') && a !== '-') return usage(`unknown option '${a}'`);
    else positional.push(a);
  }
  if (positional.length !== 1) return usage(positional.length === 0 ? 'translate needs a SOURCE (Python text, or - for stdin)' : 'translate takes one SOURCE; quote the Python text');
  const answer = answerTranslateQuery(positional[0] === '-' ? readFileSync(0, 'utf8') : positional[0], to);
  if (json) process.stdout.write(`${JSON.stringify(answer)}\n`);
  else if ('error' in answer) process.stderr.write(`conv-lens: cannot translate: ${answer.error}\n`);
  else {
    for (const t of answer.translations) {
      process.stdout.write(`# ${t.name}${t.exact ? '' : ' (not one layer)'}${t.note ? `: ${t.note}` : ''}\n${t.code || '(none)'}\n\n`);
    }
  }
  return 'error' in answer ? 1 : 0;
}

function solveCommand(args: string[]): number {
  const json = args.includes('--json');
  const kind = args.includes('--transposed') ? 'convTranspose' : 'conv';
  const numbers = new Map<string, number>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--json' || a === '--transposed') continue;
    if (a !== '--input' && a !== '--output' && a !== '--scale') return usage(`unknown option '${a}'`);
    const n = Number(args[++i]);
    if (!Number.isSafeInteger(n) || n < 1) return usage(`${a} needs a positive integer`);
    numbers.set(a, n);
  }
  const scale = numbers.get('--scale');
  const input = numbers.get('--input');
  const output = numbers.get('--output');
  let target: Target;
  if (scale !== undefined && input === undefined && output === undefined) {
    if (kind !== 'convTranspose') return usage('--scale is for a transposed conv: add --transposed');
    target = { kind: 'scale', factor: scale };
  } else if (scale === undefined && input !== undefined && output !== undefined) target = { kind: 'exact', input, size: output };
  else return usage('solve needs --input L --output N, or --transposed --scale F');
  const solutions = solve(kind, target);
  if (json) process.stdout.write(`${JSON.stringify({ solutions })}\n`);
  else if (solutions.length === 0) process.stderr.write('conv-lens: no configuration with kernel ≤ 7, stride ≤ 4, dilation ≤ 3 gives that size\n');
  else for (const c of solutions) process.stdout.write(`${configText(kind, c)}\n`);
  return solutions.length === 0 ? 1 : 0;
}

function shapeText(dims: readonly (number | string)[]): string {
  return `(${dims.join(', ')})`;
}

function writeHuman(answer: ShapeAnswer): void {
  if ('error' in answer) {
    writeTrace(answer.layers, process.stderr);
    process.stderr.write(`conv-lens: ${answer.rule === 'not-constant' || answer.rule === 'no-layer' ? 'cannot compute' : 'refused'}: ${answer.error}\n`);
    return;
  }
  process.stdout.write(`${shapeText(answer.output)}\n`);
  if (answer.layers.length > 1) writeTrace(answer.layers, process.stdout);
  for (const c of answer.conditions ?? []) process.stdout.write(`  valid when ${c}\n`);
  for (const n of answer.notes ?? []) process.stdout.write(`  note: ${n}\n`);
}

function writeTrace(layers: ShapeAnswer['layers'], out: NodeJS.WritableStream): void {
  if (layers.length < 2) return;
  const width = Math.max(...layers.map((l) => l.type.length));
  for (const l of layers) {
    const body = l.error !== undefined ? `refused: ${l.error}` : `${shapeText(l.input ?? [])} → ${shapeText(l.output ?? [])}`;
    out.write(`  ${l.type.padEnd(width)}  ${body}\n`);
  }
}

if (!isMainThread) serveBatchWorker();
else
  main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`conv-lens: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 3;
  },
);
