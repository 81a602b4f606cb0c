/**
 * Bad input: each case gets one line naming the file, the path inside it, the value and what was expected.
 * The loader is tested in-process; the CLI's exit code, silence about stacks and "nothing written" below.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { InputError } from '../src/scenario/errors.js';
import { loadScenario } from '../src/scenario/load.js';
import { simulate } from '../src/engine/simulate.js';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BASELINE, tempFolder, writeFixture } from './fixtures.js';

const dir = tempFolder();

/** Loads a fixture that extends the baseline with `content`; returns the error message. */
async function errorOf(content: unknown, name = 'bad.json'): Promise<string> {
  const file = writeFixture(dir, name, typeof content === 'string' ? content : { extends: BASELINE, ...(content as object) });
  try {
    await loadScenario(file);
  } catch (e) {
    assert.instance(e, InputError);
    const message = (e as Error).message;
    assert.not.match(message, /\n/, 'one line');
    return message;
  }
  throw new assert.Assertion({ message: `${name} was accepted`, expects: 'an error', actual: 'none', operator: 'throws', generated: false });
}

const shock = (extra: object) => ({ addShocks: [{ type: 'border_clash', at: 2030, duration: 1, magnitude: 0.5, targets: ['KGZ', 'TJK'], ...extra }] });

test('malformed JSON names the line and column', async () => {
  const m = await errorOf('{\n  "name": "x",\n  "seed": 1,\n}\n', 'malformed.json');
  assert.match(m, /malformed\.json: line 4, column 1: malformed JSON \(property name expected\)/);
});

test('a file that is not JSON at all (a CSV, a README, nothing) says so, not "malformed JSON" at line 1, column 1', async () => {
  assert.match(await errorOf('region,year,value\nKAZ,2024,1\n', 'data.csv'), /data\.csv: not JSON \(it begins "region,year,value"\); expected a JSON file, starting with "\{"$/);
  assert.match(await errorOf('', 'empty.json'), /empty\.json: empty; expected a JSON file, starting with "\{"$/);
  writeFixture(dir, 'observed.csv', 'region,year,value\nKAZ,2024,1\n');
  assert.match(await errorOf({ extends: 'observed.csv' }, 'extends-csv.json'), /extends-csv\.json: extends: ".*observed\.csv" is not JSON \(it begins "region,year,value"\); expected a scenario file$/);
  // a JSON object with a mistake in its first line is still malformed JSON, named by line and column
  assert.match(await errorOf('{ "name": x }', 'first-line.json'), /first-line\.json: line 1, column 11: malformed JSON/);
});

test('a byte order mark (as Windows editors write) is not malformed JSON; a mistake after it keeps its line and column', async () => {
  const file = writeFixture(dir, 'bom.json', `\ufeff${JSON.stringify({ extends: BASELINE, name: 'bom' }, null, 2)}`);
  assert.is((await loadScenario(file)).scenario.name, 'bom');
  const m = await errorOf('\ufeff{\n  "name": "x",\n}\n', 'bom-malformed.json');
  assert.match(m, /bom-malformed\.json: line 3, column 1: malformed JSON \(property name expected\)/);
});

test('a key given twice in one object is refused with both places (JSON.parse kept the second without a word)', async () => {
  const twice = `{\n  "extends": ${JSON.stringify(BASELINE)},\n  "name": "twice",\n  "policies": {\n    "benefitSharing": 0,\n    "disputeResolution": 0.2,\n    "benefitSharing": 0.5\n  }\n}\n`;
  assert.match(await errorOf(twice, 'twice.json'), /twice\.json: policies\.benefitSharing: appears twice in its object \(lines 5 and 7\); expected each key once: JSON keeps the last value, and the first is ignored$/);
  const oneLine = `{"extends":${JSON.stringify(BASELINE)},"name":"a","states":{"KAZ":{"gdpGrowth":0.03,"gdpGrowth":0.04}}}`;
  assert.match(await errorOf(oneLine, 'one-line.json'), /one-line\.json: states\.KAZ\.gdpGrowth: appears twice in its object \(line 1, columns \d+ and \d+\)/);
  // the same key in two objects, or in two objects of an array, is no repeat
  const file = writeFixture(dir, 'apart.json', { extends: BASELINE, name: 'apart', policies: { benefitSharing: 0.5 }, spillover: { strength: 1 }, addShocks: [{ type: 'drought', at: 2030, duration: 1, magnitude: 0.5 }, { type: 'drought', at: 2032, duration: 1, magnitude: 0.5 }] });
  assert.is((await loadScenario(file)).scenario.name, 'apart');
});

test('an unknown key gets "did you mean"', async () => {
  assert.match(await errorOf({ spillover: { strenght: 0 } }), /bad\.json: spillover\.strenght: unknown key; did you mean "strength"\?/);
  assert.match(await errorOf({ shoks: [] }), /bad\.json: shoks: unknown key; did you mean "shocks"\?/);
});

test('a value of the wrong type', async () => {
  assert.match(await errorOf({ stepsPerYear: '4' }), /bad\.json: stepsPerYear: "4" is not a number/);
  assert.match(await errorOf({ stepsPerYear: 2.5 }), /bad\.json: stepsPerYear: 2\.5 is not an integer; expected a whole number from 1 to 52$/);
  // an object of named entries was "is not record", zod's word
  assert.match(await errorOf({ spillover: { matrix: { transport: null } } }), /bad\.json: spillover\.matrix\.transport: null is not an object$/);
  assert.match(await errorOf({ sources: 1 }), /bad\.json: sources: 1 is not an object$/);
  // a shock's type left out read "nothing: expected one of ..."
  assert.match(await errorOf({ addShocks: [{ at: 2030, duration: 1, magnitude: 0.5 }] }), /bad\.json: addShocks\[0\]\.type: missing; expected one of "drought", "border_clash", .*"settlement"$/);
});

test('a value out of range', async () => {
  assert.match(await errorOf({ policies: { benefitSharing: 1.5 } }), /bad\.json: policies\.benefitSharing: 1\.5 is out of range; expected a number <= 1/);
  assert.match(await errorOf({ stepsPerYear: 60 }), /bad\.json: stepsPerYear: 60 is out of range; expected a number <= 52/);
  assert.match(await errorOf({ spillover: { strength: -1 } }), /spillover\.strength: -1 is out of range; expected a number >= 0/);
  // a name of 300 characters made a folder name the file system refused, as an internal error at the end of the run
  assert.match(await errorOf({ name: 'n'.repeat(101) }), /bad\.json: name: "n+\.\.\. has 101 characters; expected at most 100 characters/);
  assert.match(await errorOf(shock({ type: 'drought', targets: undefined, magnitude: 3 })), /addShocks\[0\]\.magnitude: 3 is out of range for drought; expected severity 0-1/);
  assert.match(await errorOf({ end: 2020 }), /bad\.json: end: 2020 is not after start \(2025\)/);
  assert.match(await errorOf({ end: 2040.1 }), /bad\.json: end: 2040\.1 is 60\.400 steps after start at 4 steps a year; expected a whole number of steps \(e\.g\. 2040\.25\)/);
  // an empty GDP path left the trend nothing to start from: an internal error until 0.3.6
  assert.match(await errorOf({ states: { KAZ: { gdpPath: {} } } }), /bad\.json: states\.KAZ\.gdpPath: \{\}: expected at least one year/);
  // a GDP file giving a state's year twice: the later row replaced the first without a word
  writeFixture(dir, 'gdp-twice.csv', 'state,year,gdp_usd_bn\nKAZ,2025,260\nKGZ,2025,14\nKAZ,2025,262\n');
  assert.match(await errorOf({ data: { gdp: './gdp-twice.csv' } }), /gdp-twice\.csv: line 4: KAZ 2025 again \(line 2 has it too\); expected one GDP a state and year$/);
  // a GDP's year outside the years a scenario may have: 2203 for 2023 scaled GDP by the trend over 180 years, and ran
  assert.match(await errorOf({ states: { KGZ: { gdpYear: 2203 } } }), /bad\.json: states\.KGZ\.gdpYear: 2203 is out of range; expected a number <= 2200$/);
  assert.match(await errorOf({ states: { KGZ: { gdpYear: -2024.5 } } }), /states\.KGZ\.gdpYear: -2024\.5 is out of range; expected a number >= 1900$/);
  assert.match(await errorOf({ states: { KGZ: { gdpPath: { '0201': 12 } } } }), /states\.KGZ\.gdpPath\["0201"\]: key "0201": expected a year from 1900 to 2200$/);
  writeFixture(dir, 'gdp-0201.csv', 'state,year,gdp_usd_bn\nKGZ,2023,14\nKGZ,0201,12\n');
  assert.match(await errorOf({ data: { gdp: './gdp-0201.csv' } }), /gdp-0201\.csv: line 3: year "0201", GDP "12"; expected a four-digit year from 1900 to 2200 and a positive number$/);
  // a row naming no state ("kaz", "KAZ ", nothing) dropped that year's GDP without a word, as did a file of its header alone
  writeFixture(dir, 'gdp-kaz.csv', 'state,year,gdp_usd_bn\nKAZ,2023,260\nkaz,2024,262\n');
  assert.match(await errorOf({ data: { gdp: './gdp-kaz.csv' } }), /gdp-kaz\.csv: line 3: state "kaz"; expected a three-letter upper-case state code \(rows of states the scenario does not model are passed over\)$/);
  writeFixture(dir, 'gdp-header.csv', 'state,year,gdp_usd_bn\n');
  assert.match(await errorOf({ data: { gdp: './gdp-header.csv' } }), /gdp-header\.csv: line 1: a header and no rows; expected a row for each state and year \(state, year, gdp_usd_bn\)$/);
  // rows of a state the scenario does not model are passed over
  writeFixture(dir, 'gdp-afg.csv', 'state,year,gdp_usd_bn\nAFG,2023,17\nKAZ,2023,260\n');
  assert.is((await loadScenario(writeFixture(dir, 'afg.json', { extends: BASELINE, name: 'afg', data: { gdp: './gdp-afg.csv' } }))).scenario.states.KAZ.gdpPath?.['2023'], 260);
  for (const gdpYear of [1900, 2200]) assert.is((await loadScenario(writeFixture(dir, 'edge.json', { extends: BASELINE, name: 'edge', states: { KGZ: { gdpYear } } }))).scenario.states.KGZ.gdpYear, gdpYear);
});

test('an unknown state code', async () => {
  assert.match(await errorOf(shock({ targets: ['KGZ', 'KGX'] })), /bad\.json: addShocks\[0\]\.targets\[1\]: "KGX" is not a state of this scenario; expected one of "KAZ", "KGZ", "TJK", "TKM", "UZB"; did you mean "KGZ"\?/);
  assert.match(await errorOf(shock({ targets: ['KGZ', 'tjk'] })), /addShocks\[0\]\.targets\[1\]: "tjk": expected a three-letter upper-case state code/);
  assert.match(await errorOf({ states: { KGZ: { neighbours: ['KAZ', 'TJQ'] } } }), /states\.KGZ\.neighbours\[1\]: "TJQ" is not a state/);
});

test('an unknown sector', async () => {
  assert.match(await errorOf(shock({ type: 'investment', targets: ['KGZ'], magnitude: 1, sector: 'transprt' })), /addShocks\[0\]\.sector: "transprt" is not a sector of this scenario; expected one of "transport", "customs", "water"; did you mean "transport"\?/);
  assert.match(await errorOf({ states: { KAZ: { cooperation: { energy: 0.2 } } } }), /states\.KAZ\.cooperation\.energy: "energy" is not a sector/);
  assert.match(await errorOf({ spillover: { matrix: { transport: { custom: 0.2 } } } }), /spillover\.matrix\.transport\.custom: "custom" is not a sector.*did you mean "customs"/);
  assert.match(await errorOf(shock({ type: 'investment', targets: ['KGZ'], magnitude: 1 })), /addShocks\[0\]\.sector: missing; expected the sector the investment goes into/);
});

test('an unknown shock type', async () => {
  assert.match(await errorOf(shock({ type: 'earthquake' })), /bad\.json: addShocks\[0\]\.type: "earthquake": expected one of "drought", "border_clash"/);
  assert.match(await errorOf(shock({ type: 'draught' })), /did you mean "drought"\?/);
});

test('a shock outside [start, end), or both or neither of "at" and "probability"', async () => {
  assert.match(await errorOf(shock({ at: 2050 })), /bad\.json: addShocks\[0\]\.at: 2050 is outside the scenario; expected a decimal year in \[2025, 2040\)/);
  assert.match(await errorOf(shock({ at: 2020 })), /addShocks\[0\]\.at: 2020 is outside the scenario/);
  // the last step ends at the end year, so a shock there would be accepted and never strike
  assert.match(await errorOf(shock({ at: 2040 })), /addShocks\[0\]\.at: 2040 is the scenario's end, where no step starts, so the shock would never strike; expected a decimal year in \[2025, 2040\), before the end/);
  const last = await loadScenario(writeFixture(dir, 'last-step.json', { extends: BASELINE, ...shock({ at: 2039.9 }) }));
  assert.ok(simulate(last).events.some((e) => e.kind === 'shock' && e.type === 'border_clash' && e.time === 2039.9), 'a shock in the last step strikes');
  assert.match(await errorOf(shock({ probability: 0.1 })), /addShocks\[0\]\.probability: given together with "at"/);
  assert.match(await errorOf(shock({ at: undefined })), /addShocks\[0\]: has neither "at" nor "probability"/);
});

test('a dyad that names one state twice', async () => {
  assert.match(await errorOf(shock({ targets: ['KGZ', 'KGZ'] })), /addShocks\[0\]\.targets\[1\]: "KGZ" names the same state twice; expected two different states/);
  assert.match(await errorOf(shock({ targets: ['KGZ', 'TJK', 'UZB'] })), /addShocks\[0\]\.targets: \["KGZ","TJK","UZB"\] has 3 codes; expected two codes for the dyad/);
  assert.match(await errorOf({ dyads: { 'KGZ-KGZ': { trust: 0.2 } } }), /dyads\["KGZ-KGZ"\]: key "KGZ-KGZ" names KGZ twice; expected two different states/);
  // a list of states naming one twice, most often a slip for another, ran as if the list were shorter
  assert.match(await errorOf(shock({ type: 'drought', targets: ['KGZ', 'UZB', 'KGZ'], magnitude: 0.3 })), /bad\.json: addShocks\[0\]\.targets\[2\]: "KGZ" is listed twice \(also at \[0\]\); expected each state once$/);
  assert.match(await errorOf({ states: { KAZ: { neighbours: ['KGZ', 'UZB', 'UZB'] } } }), /bad\.json: states\.KAZ\.neighbours\[2\]: "UZB" is listed twice \(also at \[1\]\); expected each state once$/);
});

test('a broken or forbidden expression', async () => {
  const f = (utility: string) => errorOf({ formulas: { utility } });
  assert.match(await f('coop +* 2'), /bad\.json: formulas\.utility: "coop \+\* 2": cannot parse/);
  for (const fn of ['import', 'createUnit', 'evaluate', 'parse', 'compile', 'simplify', 'derivative'])
    assert.match(await f(`${fn}("x")`), new RegExp(`formulas\\.utility: "${fn}\\(\\\\"x\\\\"\\)": function "${fn}" is not allowed; expected one of abs,`));
  assert.match(await f('x = 5'), /formulas\.utility: "x = 5": assignment expressions are not allowed/);
  assert.match(await f('f(x) = x'), /functionassignment expressions are not allowed/);
  assert.match(await f('foo * 2'), /formulas\.utility: "foo \* 2": unknown variable "foo"; expected one of coop,/);
  assert.match(await f('[1, 2]'), /array expressions are not allowed/);
  assert.match(await f('coop > 0.5'), /gives boolean; expected an expression that gives a number/);
});

test('a link to a scenario whose extends is missing beside the link says where it is found', async () => {
  // paths follow the link's folder (as in git-annex and DataLad datasets); the message says the file linked to has them
  const link = join(dir, 'linked-baseline.json');
  symlinkSync(resolve('scenarios/baseline.json'), link);
  try {
    await loadScenario(link);
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /linked-baseline\.json: extends: cannot read ".*calibrated\/state-2025\.json": no such file \(.*linked-baseline\.json is a link, and its paths are read from the link's folder; from the folder of the file it links to, .*scenarios\/baseline\.json, this one is ".*scenarios\/calibrated\/state-2025\.json", which is there: give that file instead\)$/);
  }
  // a file that is not a link, or a link whose target has no such file either, gets no such clause
  assert.match(await errorOf({ extends: './missing.json' }, 'plain.json'), /no such file$/);
  mkdirSync(join(dir, 'elsewhere'));
  symlinkSync(join(dir, 'plain.json'), join(dir, 'elsewhere', 'plain-link.json'));
  try {
    await loadScenario(join(dir, 'elsewhere', 'plain-link.json'));
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /no such file$/);
  }
});

test('a missing file or extends target, and an extends cycle', async () => {
  try {
    await loadScenario(`${dir}/no-such-file.json`);
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /no-such-file\.json: no such file/);
  }
  assert.match(await errorOf({ extends: './missing.json' }, 'child.json'), /child\.json: extends: cannot read ".*missing\.json": no such file/);
  writeFixture(dir, 'a.json', { extends: './b.json' });
  writeFixture(dir, 'b.json', { extends: './a.json' });
  try {
    await loadScenario(`${dir}/a.json`);
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /b\.json: extends: ".*a\.json" makes an extends cycle \(.*a\.json -> .*b\.json -> .*a\.json\)/);
  }
});

test('a new member with missing attributes names the missing one', async () => {
  assert.match(await errorOf({ states: { AZE: { name: 'Azerbaijan' } } }), /bad\.json: states\.AZE\.gdp: missing; expected a number/);
});

test('an error in an inherited file names that file, not the child', async () => {
  const parent = writeFixture(dir, 'parent.json', { extends: BASELINE, policies: { disputeResolution: 7 } });
  const child = writeFixture(dir, 'child-ok.json', { extends: parent, name: 'child' });
  try {
    await loadScenario(child);
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /parent\.json: policies\.disputeResolution: 7 is out of range/);
  }
});

test.run();
