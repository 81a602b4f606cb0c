/**
 * The engine's elementary functions: the same bits in every JavaScript engine and version.
 *
 * ECMAScript fixes `+ - * /` and `Math.sqrt` to the bit (IEEE 754, correctly rounded), but leaves `Math.exp`,
 * `Math.log`, `Math.pow`, `Math.sin` and the rest "implementation-approximated", and they do differ: the engine's runs
 * in Node 20 (V8 11.3), in Chromium 156 (a later V8, whose `Math.log(3)` is one unit in the last place above Node
 * 20's) and in Firefox 153 (SpiderMonkey) parted at their first run, for every shipped scenario. A run depended on the
 * JavaScript engine as well as on (scenario, seed). The engine calls these instead, each made of the operations
 * JavaScript fixes, as Java's `StrictMath` is for the same reason.
 */
export { asin } from './asin.js';
export { exp } from './exp.js';
export { cosh, sinh, tanh } from './hyperbolic.js';
export { log, log10, log2 } from './log.js';
export { pow } from './pow.js';
export { cbrt, hypot } from './roots.js';
export { cos, sin } from './trig.js';
