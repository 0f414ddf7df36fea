/**
 * The batch protocol, one line at a time:
 *   in:  {"id": …, "source": "…", "input": [1, 16, 32, 32], "framework": "torch"}
 *   out: {"id": …, "output": […], "layers": […]} or {"id": …, "error": "<reason>", "rule": "…"}
 * `input` and `framework` are optional. The id is echoed as given (any JSON value).
 */
import { answerShapeQuery, shapeFromJson } from './query';

const TORCH_NAMES = new Set(['torch', 'pytorch']);

export function answerBatchLine(line: string): string {
  let request: unknown;
  try {
    request = JSON.parse(line);
  } catch (e) {
    return JSON.stringify({ id: null, error: `malformed JSON line: ${e instanceof Error ? e.message : String(e)}`, rule: 'argument' });
  }
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    return JSON.stringify({ id: null, error: 'each line must be a JSON object with "source"', rule: 'argument' });
  }
  const r = request as Record<string, unknown>;
  const id = r.id ?? null;
  if (typeof r.source !== 'string') return JSON.stringify({ id, error: '"source" must be a string of Python text', rule: 'argument' });
  if (r.framework !== undefined && !(typeof r.framework === 'string' && TORCH_NAMES.has(r.framework.toLowerCase()))) {
    return JSON.stringify({ id, error: `framework ${JSON.stringify(r.framework)} is not supported; this version reads PyTorch ("torch")`, rule: 'argument' });
  }
  let input;
  if (r.input !== undefined && r.input !== null) {
    input = shapeFromJson(r.input);
    if (!input) return JSON.stringify({ id, error: '"input" must be an array of non-negative integers (or symbol names)', rule: 'argument' });
  }
  try {
    return JSON.stringify({ id, ...answerShapeQuery(r.source, input) });
  } catch (e) {
    // A bug must cost one line its answer, never the stream.
    return JSON.stringify({ id, error: `internal error: ${e instanceof Error ? e.message : String(e)}`, rule: 'other' });
  }
}
