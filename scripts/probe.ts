// Tuning probe (not shipped as a test): prints the effect sizes the theory tests check.
import { at, load, run, variant } from '../test/helpers.js';
const world = await load('scenarios/world/central-asia.json');
const inv = { type: 'investment' as const, label: 'x', at: 2026, duration: 3, magnitude: 13, targets: ['KAZ', 'KGZ', 'TJK', 'TKM', 'UZB'], sector: 'transport' };
for (const strength of [1, 0]) {
  const a = run(variant(world, (s) => { s.spillover.strength = strength; }));
  const b = run(variant(world, (s) => { s.spillover.strength = strength; s.shocks.push({ ...inv }); }));
  console.log('strength', strength, 'transport', (at(b, 'region', 'cooperation.transport', 2031) - at(a, 'region', 'cooperation.transport', 2031)).toFixed(4),
    'customs', (at(b, 'region', 'cooperation.customs', 2032) - at(a, 'region', 'cooperation.customs', 2032)).toFixed(4));
}
for (const bs of [0, 1]) {
  const r = run(variant(world, (s) => { s.policies.benefitSharing = bs; }));
  console.log('bs', bs, ['KGZ', 'TJK', 'KAZ'].map((c) => ['transport', 'customs', 'water'].map((x) => at(r, c, `cooperation.${x}`, 2040).toFixed(3)).join('/')).join('  '), 'stage', at(r, 'region', 'balassa_stage', 2040));
}
{
  const a = run(world);
  const b = run(variant(world, (s) => { s.shocks.push({ ...inv }); }));
  console.log('profile', [2027, 2029, 2031, 2033, 2035, 2037].map((y) => `${y}: T${(at(b, 'region', 'cooperation.transport', y) - at(a, 'region', 'cooperation.transport', y)).toFixed(3)} C${(at(b, 'region', 'cooperation.customs', y) - at(a, 'region', 'cooperation.customs', y)).toFixed(3)}`).join(' '));
}
