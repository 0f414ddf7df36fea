/**
 * Agreement with real PyTorch, case by case. The cases come from test/oracle/generate.py,
 * which ran each source with Debian's PyTorch: the committed fixture by default, or a fresh
 * live sample when ORACLE_CASES names one (scripts/oracle-live.mjs does that under CI).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { answerShapeQuery, shapeFromJson } from '../../src/core/query';

interface OracleCase {
  readonly id: string;
  readonly source: string;
  readonly input: number[];
  readonly output?: number[];
  readonly error?: string;
  readonly rule?: string;
}

const file = process.env.ORACLE_CASES ?? join(__dirname, '..', 'oracle', 'torch-cases.jsonl');
const cases: OracleCase[] = readFileSync(file, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as OracleCase);

/** Why the engine disagrees with PyTorch on one case, or undefined when it agrees. */
function disagreement(c: OracleCase): string | undefined {
  const answer = answerShapeQuery(c.source, shapeFromJson(c.input));
  if (c.output) {
    if ('error' in answer) return `PyTorch gives ${JSON.stringify(c.output)}, Conv Lens refuses (${answer.rule}): ${answer.error}`;
    if (JSON.stringify(answer.output) !== JSON.stringify(c.output)) return `PyTorch gives ${JSON.stringify(c.output)}, Conv Lens ${JSON.stringify(answer.output)}`;
    return undefined;
  }
  if (!('error' in answer)) return `PyTorch refuses (${c.rule}: ${c.error}), Conv Lens gives ${JSON.stringify(answer.output)}`;
  if (answer.rule !== c.rule) return `PyTorch refuses by rule ${c.rule} (${c.error}), Conv Lens by ${answer.rule} (${answer.error})`;
  return undefined;
}

describe(`PyTorch oracle (${cases.length} cases from ${file})`, () => {
  it('has enough cases to mean something', () => assert.ok(cases.length >= 500, `only ${cases.length} cases`));

  it('agrees with PyTorch on every case: the same shape, or a refusal by the same rule', () => {
    const failures = cases.flatMap((c) => {
      const why = disagreement(c);
      return why ? [`${c.id} input ${JSON.stringify(c.input)}\n    ${c.source.replace(/\n/g, '\n    ')}\n  → ${why}`] : [];
    });
    process.stdout.write(`\noracle: ${cases.length - failures.length} passed, ${failures.length} failed\n`);
    assert.equal(failures.length, 0, `${failures.length} disagreements with PyTorch:\n${failures.slice(0, 25).join('\n')}`);
  });
});
