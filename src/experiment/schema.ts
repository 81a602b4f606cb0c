/**
 * Experiment files: which scenario, which design of parameter values, how many replicates, which seed, which
 * variables to aggregate. Experiments are data (after EMA Workbench): the CLI's `ensemble` builds one in memory.
 */
import * as z from 'zod';
import { OutputName } from '../scenario/schema.js';

/**
 * A design parameter's path: dotted, so never one of the scenario's top-level numbers (start, end, stepsPerYear), which
 * fix the steps every design point must share.
 */
export const PARAMETER_PATH = /^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)+$/;
/** What a design parameter's path is expected to be, in the errors of experiment files and design CSVs. */
export const PARAMETER_PATH_EXPECTED = 'a dotted path such as "policies.benefitSharing" (every design point has the scenario\'s start, end and stepsPerYear)';
const parameterPath = z.string().regex(PARAMETER_PATH, PARAMETER_PATH_EXPECTED);

/** A grid parameter's values as a range (see grid-range.ts). */
const GridRange = z.strictObject({
  from: z.number().describe('The first value.'),
  to: z.number().describe('The last value, included when a whole number of steps reach it.'),
  by: z.number().describe('The step, above 0.'),
});
const GridValues = z.union([z.array(z.number()).min(1), GridRange], { error: 'a list of values or a range {"from", "to", "by"}' });
const GridDesign = z.strictObject({
  type: z.literal('grid'),
  parameters: z
    .record(parameterPath, GridValues)
    .describe('Values of each parameter path, each listed once, or a range {"from": 0, "to": 1, "by": 0.25} (0, 0.25, 0.5, 0.75, 1); every combination is a design point.'),
});
const LhsDesign = z.strictObject({
  type: z.literal('lhs'),
  samples: z.int().min(1).max(1_000_000).describe('Number of design points.'),
  parameters: z.record(parameterPath, z.tuple([z.number(), z.number()])).describe('[low, high] bounds of each parameter path.'),
});
const CsvDesign = z.strictObject({
  type: z.literal('csv'),
  file: z.string().describe('CSV of design points, one column per parameter path and one row per point (no point twice), relative to the experiment file; a first column "point" (as a sweep\'s points.csv has) is ignored.'),
});
const ReplicatesDesign = z.strictObject({ type: z.literal('replicates') });

export const DESIGN_TYPES = ['grid', 'lhs', 'csv', 'replicates'] as const;

export const ExperimentSchema = z.strictObject({
  $schema: z.string().optional(),
  name: OutputName,
  description: z.string().default('').describe('The question the experiment asks.'),
  scenario: z.string().describe('Scenario file, relative to this file or absolute.'),
  design: z.discriminatedUnion('type', [GridDesign, LhsDesign, CsvDesign, ReplicatesDesign]).default({ type: 'replicates' }),
  replicates: z.int().min(1).max(10_000_000).default(10).describe('Runs per design point.'),
  seed: z.int().min(0).max(2 ** 32 - 1).default(1).describe('Base seed; each run\'s seed derives from (seed, design point, replicate).'),
  pairedSeeds: z
    .boolean()
    .optional()
    .describe('true: every design point runs on the same seeds, replicate r of each point on the seed of replicate r of an ensemble (common random numbers), so that points differ by their values alone and compare run by run (a design of replicates alone is paired already); default: each point\'s seeds derive from its values too.'),
  keep: z.array(z.string()).optional().describe('Variables to aggregate, for every entity that records them; [] for none: runs.csv only, with an empty quantiles.csv (for designs of many points read through their outcomes).'),
});
export type Experiment = z.output<typeof ExperimentSchema>;

/** What `keep` is when an experiment does not say. */
export const DEFAULT_KEEP = ['cooperation.*', 'trade_usd', 'integration_index', 'balassa_stage', 'negative_integration', 'positive_integration'];
