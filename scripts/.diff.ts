import { readFileSync } from 'node:fs';
import { answerShapeQuery, shapeFromJson } from '../src/core/query';
const file = process.argv[2];
for (const l of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
  const c = JSON.parse(l);
  const a: any = answerShapeQuery(c.source, shapeFromJson(c.input));
  let why = '';
  if (c.output) { if ('error' in a) why = `torch ${JSON.stringify(c.output)} / ours refuses ${a.rule}: ${a.error}`; else if (JSON.stringify(a.output) !== JSON.stringify(c.output)) why = `torch ${JSON.stringify(c.output)} / ours ${JSON.stringify(a.output)}`; }
  else if (!('error' in a)) why = `torch refuses ${c.rule}: ${c.error} / ours ${JSON.stringify(a.output)}`;
  else if (a.rule !== c.rule) why = `torch ${c.rule}: ${c.error} / ours ${a.rule}: ${a.error}`;
  if (why) console.log(`--- ${c.id} ${JSON.stringify(c.input)}\n${c.source}\n=> ${why}`);
}
