/**
 * The batch protocol, one line at a time:
 *   in:  {"id": …, "source": "…", "input": [1, 16, 32, 32], "framework": "torch"}
 *   out: {"id": …, "output": […], "layers": […]} or {"id": …, "error": "<reason>", "rule": "…"}
 * `input` and `framework` are optional. The id is echoed as given (any JSON value). Without a
 * framework it is read from the text (its imports, `nn.` or `layers.`); with one, bare class
 * names are that framework's (`Conv2DTranspose(8, 3)` with "keras"), as after a star import.
 */
import { answerShapeQuery, shapeFromJson } from './query';

/** What a framework's name in a request means: the import that makes its bare names known. */
const PRELUDES: Readonly<Record<string, string>> = {
  torch: 'from torch.nn import *\n',
  pytorch: 'from torch.nn import *\n',
  keras: 'from keras.layers import *\nimport keras\n',
  tensorflow: 'from keras.layers import *\nimport keras\n',
  tf: 'from keras.layers import *\nimport keras\n',
  onnx: 'from onnx.helper import *\n',
};

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
  const prelude = typeof r.framework === 'string' ? PRELUDES[r.framework.toLowerCase()] : undefined;
  if (r.framework !== undefined && prelude === undefined) {
    return JSON.stringify({ id, error: `framework ${JSON.stringify(r.framework)} is not supported; give "torch", "keras" or "onnx" (or leave it out: it is read from the text)`, rule: 'argument' });
  }
  let input;
  if (r.input !== undefined && r.input !== null) {
    input = shapeFromJson(r.input);
    if (!input) return JSON.stringify({ id, error: '"input" must be an array of non-negative integers (or symbol names)', rule: 'argument' });
  }
  try {
    return JSON.stringify({ id, ...answerShapeQuery(`${prelude ?? ''}${r.source}`, input) });
  } catch (e) {
    // A bug must cost one line its answer, never the stream.
    return JSON.stringify({ id, error: `internal error: ${e instanceof Error ? e.message : String(e)}`, rule: 'other' });
  }
}
