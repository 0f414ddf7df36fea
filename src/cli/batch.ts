/**
 * `conv-lens batch`: one JSON object per input line, one answer per output line, in order.
 * A malformed line gets an `error` answer; nothing ends the stream early.
 *
 * Lines are answered on a pool of worker threads (one per core) in chunks, and the answers
 * are written back in input order. Whatever lines have arrived are dispatched at once, so an
 * interactive caller writing one line at a time gets its answer without waiting for more.
 */
import { availableParallelism } from 'node:os';
import { parentPort, Worker } from 'node:worker_threads';
import { answerBatchLine } from '../core/batch';

const CHUNK_LINES = 256;
/** Chunks in flight per worker before reading more input (bounds memory on huge inputs). */
const IN_FLIGHT_PER_WORKER = 4;

interface Job {
  readonly seq: number;
  readonly lines: readonly string[];
}
interface Done {
  readonly seq: number;
  readonly out: string;
}

export function answerLines(lines: readonly string[]): string {
  let out = '';
  for (const line of lines) if (line.trim() !== '') out += `${answerBatchLine(line)}\n`;
  return out;
}

/** The worker side: answer chunks until the main thread closes the port. */
export function serveBatchWorker(): void {
  parentPort?.on('message', (job: Job) => parentPort?.postMessage({ seq: job.seq, out: answerLines(job.lines) } satisfies Done));
}

export async function runBatch(input: AsyncIterable<Buffer | string>, write: (chunk: string) => unknown, workerScript: string): Promise<void> {
  const size = threadCount();
  const workers: Worker[] = [];
  const done = new Map<number, string>();
  let nextSeq = 0;
  let nextToWrite = 0;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const settle = (): void => {
    wake?.();
    wake = undefined;
  };
  const worker = (i: number): Worker => {
    if (!workers[i]) {
      const w = new Worker(workerScript);
      w.on('message', (m: Done) => {
        done.set(m.seq, m.out);
        while (done.has(nextToWrite)) {
          const out = done.get(nextToWrite)!;
          done.delete(nextToWrite++);
          if (out !== '') write(out);
        }
        settle();
      });
      w.on('error', (e) => {
        failure = e;
        settle();
      });
      workers[i] = w;
    }
    return workers[i];
  };
  const waitUntil = async (ready: () => boolean): Promise<void> => {
    while (!ready() && !failure) await new Promise<void>((resolve) => (wake = resolve));
    if (failure) throw failure;
  };
  const dispatch = async (lines: string[]): Promise<void> => {
    for (let i = 0; i < lines.length; i += CHUNK_LINES) {
      await waitUntil(() => nextSeq - nextToWrite < size * IN_FLIGHT_PER_WORKER);
      const seq = nextSeq++;
      worker(seq % size).postMessage({ seq, lines: lines.slice(i, i + CHUNK_LINES) } satisfies Job);
    }
  };

  // One streaming decoder: a multi-byte character split across two chunks stays whole.
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  try {
    for await (const chunk of input) {
      pending += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
      const nl = pending.lastIndexOf('\n');
      if (nl < 0) continue;
      const lines = pending.slice(0, nl).split('\n');
      pending = pending.slice(nl + 1);
      await dispatch(lines);
    }
    pending += decoder.decode();
    if (pending !== '') await dispatch([pending]);
    await waitUntil(() => nextToWrite === nextSeq);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** One worker per core, or CONV_LENS_BATCH_THREADS (for benchmarks and constrained hosts). */
function threadCount(): number {
  const asked = Number(process.env.CONV_LENS_BATCH_THREADS);
  return Number.isInteger(asked) && asked >= 1 ? Math.min(asked, 16) : Math.max(1, Math.min(availableParallelism(), 8));
}
