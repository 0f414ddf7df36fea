/**
 * `conv-lens batch`: one JSON object per input line, one answer per output line, in order.
 * A malformed line gets an `error` answer; nothing ends the stream early.
 */
import { answerBatchLine } from '../core/batch';

export async function runBatch(input: AsyncIterable<Buffer | string>, write: (chunk: string) => unknown): Promise<void> {
  let pending = '';
  const out: string[] = [];
  const flush = (): void => {
    if (out.length > 0) write(out.join(''));
    out.length = 0;
  };
  for await (const chunk of input) {
    pending += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      if (line.trim() !== '') out.push(`${answerBatchLine(line)}\n`);
    }
    // Answers leave in chunks: one write per input chunk, not one per line.
    flush();
  }
  if (pending.trim() !== '') out.push(`${answerBatchLine(pending)}\n`);
  flush();
}
