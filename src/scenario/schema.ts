/**
 * The scenario document: one zod schema that is at once the TypeScript type, the validator and
 * (through `z.toJSONSchema`) the JSON Schema that editors read via `$schema`.
 *
 * A resolved scenario (after `extends` and `addShocks` are applied) must satisfy {@link Scenario};
 * a single file in an `extends` chain may leave out anything its parent supplies.
 */
import * as z from 'zod';
import { UTILITY_SYNTAX } from './formulas.js';
import { SHOCK_TYPES } from './shock-types.js';

const unit = () => z.number().min(0).max(1);
/** A calendar year the model may speak of: a scenario's years, and those of the data it starts from. */
export const FIRST_YEAR = 1900, LAST_YEAR = 2200;
const year = () => z.number().min(FIRST_YEAR).max(LAST_YEAR);
/** A state's code: three upper-case letters (also what a GDP file's `state` column must hold, see load.ts). */
export const STATE_CODE = /^[A-Z]{3}$/;
const code = z.string().regex(STATE_CODE, 'a three-letter upper-case state code');
const sectorName = z.string().regex(/^[a-z][a-z0-9_]*$/, 'a lower-case sector name');

export const StateSchema = z.strictObject({
  name: z.string().describe('Full name of the state.'),
  gdp: z.number().positive().describe('GDP, current USD bn, in the year `gdpYear`.'),
  // bounded as the scenario's own years are: a year mistyped (2203 for 2023) made GDP grow or shrink by the trend over
  // the centuries between, and ran
  gdpYear: year().describe('Calendar year the `gdp` figure refers to (a flow centred mid-year).'),
  gdpGrowth: z.number().min(-0.5).max(0.5).describe('Trend growth of GDP in current USD, per year (0.05 = 5%).'),
  population: z.number().positive().describe('Population, million.'),
  lat: z.number().min(-90).max(90).describe('Latitude of the main economic centre.'),
  lon: z.number().min(-180).max(180).describe('Longitude of the main economic centre.'),
  neighbours: z.array(code).describe('States sharing a land border.'),
  upstream: z.boolean().describe('Upstream riparian (water forms here) rather than downstream.'),
  memberships: z.array(z.string()).describe('Memberships (WTO, EAEU, CIS-FTA, ...), for the record and the docs.'),
  openness: unit().describe('How far domestic politics favours regional deals (0 closed, 1 fully open).'),
  security: unit().describe('Baseline security (1 stable); security recovers toward it after incidents.'),
  waterStress: unit().describe('Baseline water stress (demand against available flow) in a normal year.'),
  support: unit().describe('Initial domestic support for regional integration.'),
  cooperation: z.record(sectorName, unit()).describe('Initial implemented cooperation per sector.'),
  gdpPath: z
    .record(
      z.string().regex(/^\d{4}$/, 'a four-digit year').refine((y) => +y >= FIRST_YEAR && +y <= LAST_YEAR, `a year from ${FIRST_YEAR} to ${LAST_YEAR}`),
      z.number().positive(),
    )
    .refine((path) => Object.keys(path).length > 0, 'expected at least one year')
    .optional()
    .describe('Observed GDP by calendar year (USD bn); between and beyond the points the trend is log-linear and then `gdpGrowth`. Usually filled from `data.gdp`.'),
  exposure: z
    .record(sectorName, z.number().min(-2).max(3))
    .default({})
    .describe('Multiplier of a sector\'s benefit for this state (default 1; negative = loses from cooperation).'),
});

export const SectorSchema = z.strictObject({
  label: z.string().describe('Name shown in plots and reports.'),
  benefit: z.number().min(0).describe('Utility of full cooperation in this sector before costs.'),
  politicalCost: z.number().min(0).describe('Political cost of full cooperation for a fully closed state.'),
  tradeCost: z.number().min(0).describe('Fall in the log trade cost of a dyad when both states cooperate fully.'),
  waterRelief: unit().describe('Share of water stress removed by full regional cooperation in this sector.'),
  integration: z.enum(['negative', 'positive']).describe('Balassa: removing barriers (negative) or building common policy (positive).'),
  balassa: z
    .enum(['market', 'connectivity', 'policy', 'none'])
    .describe('What this sector stands for in Balassa\'s stages: tariffs and customs (market), factor mobility (connectivity), policy coordination (policy).'),
  agreement: unit().describe('What has been formally agreed regionally at the start (0-1).'),
  unilateral: unit().describe('How far a state can cooperate beyond what is agreed, on its own.'),
  securitisedBy: z.array(z.enum(SHOCK_TYPES)).default([]).describe('Shock types that securitise this sector.'),
});

export const ShockSchema = z
  .strictObject({
    type: z.enum(SHOCK_TYPES),
    label: z.string().optional().describe('A name for plots and event lists.'),
    at: z.number().optional().describe('Decimal year of onset (scheduled shock).'),
    probability: z.number().gt(0).max(1).optional().describe('Annual probability (random shock); instead of `at`.'),
    duration: z.number().min(0).max(100).default(1).describe('Years the shock lasts.'),
    magnitude: z.number().describe('Size in the type\'s natural unit (see docs/ODD.md, "Shocks").'),
    targets: z.array(code).optional().describe('State codes; two codes for a dyad. Absent: the type\'s default.'),
    sector: sectorName.optional().describe('Sector the shock applies to (investment).'),
  })
  .describe('A shock: scheduled with `at`, or random with an annual `probability`.');

const DyadSchema = z.strictObject({
  trust: unit().optional().describe('Initial trust.'),
  border: unit().optional().describe('Border openness in normal times (1 open).'),
});

export const ParametersSchema = z.strictObject({
  effort: z.strictObject({
    rate: z.number().positive().describe('Speed at which implemented cooperation adjusts, per year.'),
    steepness: z.number().positive().describe('Slope of the logistic effort response to utility.'),
    threshold: z.number().describe('Utility at which effort reaches half the cap.'),
    noise: z.number().min(0).describe('Standard deviation of cooperation noise per square-root year.'),
  }),
  channels: z.strictObject({
    political: z.number().min(0).describe('Weight of political spillover (support and trust gains) on cooperation.'),
    cultivated: z.number().min(0).describe('Weight of cultivated spillover (institutions pulling toward what is agreed).'),
    investment: z.number().min(0).describe('Utility added by infrastructure investment at saturation.'),
    investmentHalfSaturation: z.number().positive().describe('Investment stock, as a share of GDP, giving half the effect.'),
    investmentDepreciation: z.number().min(0).describe('Depreciation of the investment stock per year.'),
  }),
  summit: z.strictObject({
    step: unit().describe('Largest deepening of an agreement that one summit proposes.'),
    positionScale: z.number().positive().describe('Net gain at which a state asks for the largest deepening.'),
    inequityAversion: z.number().min(0).describe('Reluctance of poorer states, per unit of relative poverty.'),
    sharingCap: unit().describe('Largest share of the winners\' surplus benefit-sharing can move.'),
    institutionGain: z.number().min(0).describe('Rise in institutions per unit of agreement deepened.'),
    institutionRate: z.number().min(0).describe('Rate at which institutions drift toward the institutionalisation lever, per year.'),
  }),
  security: z.strictObject({
    recovery: z.number().min(0).describe('Rate of recovery toward baseline security, per year.'),
    diversion: z.number().min(0).describe('Pull on cooperation per unit of lost security, per year.'),
    clashHit: unit().describe('Security lost in each party of a clash of magnitude 1.'),
    disputeSoftening: unit().describe('Share of a clash\'s hits that full dispute-resolution capacity absorbs.'),
  }),
  trust: z.strictObject({
    initial: unit().describe('Trust of a dyad with no override.'),
    recovery: z.number().min(0).describe('Rate at which trust returns toward its reference, per year.'),
    disputeBoost: z.number().min(0).describe('Extra recovery rate per unit of dispute resolution (multiplier - 1).'),
    politicalGain: z.number().min(0).describe('Rise of reference trust per unit of joint cooperation gained (political spillover).'),
    clashHit: unit().describe('Trust lost in a clash of magnitude 1.'),
  }),
  support: z.strictObject({
    rate: z.number().min(0).describe('Speed at which domestic support follows realised gains, per year.'),
    sensitivity: z.number().min(0).describe('Support gained per unit of relative growth in regional trade.'),
  }),
  water: z.strictObject({
    downstreamSensitivity: unit().describe('Water stress added by a drought of severity 1 downstream.'),
    upstreamSensitivity: unit().describe('Water stress added by a drought of severity 1 upstream.'),
    securitisation: z.number().min(0).describe('Pull on cooperation in a securitised sector per unit of severity, per year.'),
  }),
  border: z.strictObject({
    recovery: z.number().min(0).describe('Rate at which a border reopens toward normal, per year.'),
  }),
  pandemic: z.strictObject({
    gdpHit: unit().describe('Share of GDP lost at severity 1.'),
    borderClosure: unit().describe('Share of border openness lost at severity 1.'),
    diversion: z.number().min(0).describe('Pull on cooperation at severity 1, per year.'),
  }),
  trade: z.strictObject({
    initialTotal: z.number().positive().describe('Intra-regional trade at the start, USD bn per year; fixes the gravity constant.'),
    gdpElasticity: z.number().min(0).describe('Elasticity of trade to each partner\'s GDP.'),
    distanceElasticity: z.number().min(0).describe('Elasticity of trade to distance (enters with a minus sign).'),
    transitCost: z.number().min(0).describe('Log trade cost of a dyad with no common border.'),
    borderCost: z.number().min(0).describe('Log trade cost of a fully closed border.'),
    insecurityCost: z.number().min(0).describe('Log trade cost per unit of lost security (mean of the two).'),
    pandemicCost: z.number().min(0).describe('Log trade cost at pandemic severity 1.'),
    sanctionsCost: z.number().min(0).describe('Log trade cost at sanctions severity 1.'),
    gdpGain: z.number().min(0).describe('Share of a rise in a state\'s regional trade that adds to its GDP.'),
  }),
  stages: z.strictObject({
    pta: unit().describe('Market depth for a preferential trade area (stage 1).'),
    fta: unit().describe('Market depth for a free trade area (stage 2).'),
    customsUnion: unit().describe('Market depth for a customs union (stage 3).'),
    commonMarket: unit().describe('Connectivity depth and mean border openness for a common market (stage 4).'),
    economicUnion: unit().describe('Policy depth and institutions for an economic union (stage 5).'),
    complete: unit().describe('Every depth and institutions for complete integration (stage 6).'),
    coverage: unit().describe('Least member\'s implementation, relative to the depth required, for stages 2 and up.'),
  }),
});

export const PoliciesSchema = z.strictObject({
  councilMeetingsPerYear: z.int().min(0).max(12).default(1).describe('Consultative Meetings of Heads of State per year.'),
  summitPhase: unit().default(0.5).describe('When in the year a summit falls (0 January, 0.5 July).'),
  institutionalization: unit().default(0.2).describe('Lever: how far states delegate to regional bodies.'),
  benefitSharing: unit().default(0).describe('Lever: share of winners\' surplus moved to partners below their outside option.'),
  disputeResolution: unit().default(0.2).describe('Lever: institutionalised dispute-resolution capacity.'),
  coalitionOfTheWilling: z.boolean().default(false).describe('Agreements may go ahead among the states that gain.'),
  summitDates: z
    .array(z.number())
    .optional()
    .describe('Decimal years of the summits; when given, they replace `councilMeetingsPerYear` (historical runs).'),
});

const MatrixSchema = z.record(sectorName, z.record(sectorName, z.number().min(0)));

const CalibrationParameterSchema = z.strictObject({
  path: z.string().describe('Dotted path of a number in the scenario, e.g. "parameters.trade.gdpElasticity".'),
  min: z.number().describe('Lower bound.'),
  max: z.number().describe('Upper bound.'),
});

const CalibrationTargetSchema = z.strictObject({
  name: z.string().describe('Name of the target series in reports.'),
  file: z.string().describe('CSV file with the observations, relative to this scenario file.'),
  where: z.record(z.string(), z.string()).default({}).describe('Keep only rows whose columns have these values.'),
  yearColumn: z.string().default('year'),
  valueColumn: z.string().describe('Column with the observed values.'),
  scale: z.number().positive().default(1).describe('Factor from the file\'s unit to the model\'s (1e9 for USD bn to USD).'),
  entity: z.string().describe('Entity of the simulated variable.'),
  variable: z.string().describe('Simulated variable; its calendar-year mean is compared with the observation.'),
  weight: z.number().min(0).default(1),
});

export const CalibrationSchema = z.strictObject({
  parameters: z.array(CalibrationParameterSchema).min(1).describe('Free parameters with bounds.'),
  targets: z.array(CalibrationTargetSchema).min(1).describe('Observed series to fit.'),
  checks: z.array(CalibrationTargetSchema).default([]).describe('Observed series compared with the fitted run but not fitted: out-of-sample tests.'),
  replicates: z.int().min(1).max(1000).default(4).describe('Runs averaged per evaluation (the model is stochastic).'),
  maxIterations: z.int().min(1).max(100000).default(50).describe('Iterations of the optimiser at most, per start.'),
  restarts: z.int().min(0).max(20).default(2).describe('Further starts of the optimiser, from points drawn from the seed; the best fit is kept.'),
});
export type CalibrationSpec = z.output<typeof CalibrationSchema>;

export const FormulasSchema = z.strictObject({
  utility: z.string().optional().describe(`mathjs expression added to each state's utility of each sector, e.g. "-0.5 * upstream * (1 - agreement)": ${UTILITY_SYNTAX}.`),
});

/**
 * A scenario's or an experiment's name, which names its default output folder: characters any file system takes, and
 * short enough for the folder names made of it (`<name>-calibration`, a report's `report-<name>-vs-...`) and their
 * temporary siblings to stay within the 255 bytes a name may have (a name of 300 characters failed at the end of the
 * run, on a temporary folder's name, as an internal error).
 */
export const OutputName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits, ".", "_" or "-", starting with a letter or digit')
  // the message is the checks' own ("expected at most 100 characters"): a text given here is not shown
  .max(100)
  .describe('Short name; the default output folder.');

export const ScenarioSchema = z.strictObject({
  $schema: z.string().optional(),
  name: OutputName,
  description: z.string().describe('The question this scenario asks.'),
  seed: z.int().min(0).max(2 ** 32 - 1).default(1),
  start: year().describe('Decimal year of the first recorded state.'),
  end: year().describe('Decimal year of the last recorded state.'),
  stepsPerYear: z.int().min(1).max(52).default(4),
  states: z.record(code, StateSchema),
  dyads: z.record(z.string(), DyadSchema).default({}).describe('Per-dyad overrides, keyed "AAA-BBB".'),
  sectors: z.record(sectorName, SectorSchema),
  spillover: z.strictObject({
    strength: z.number().min(0).default(1).describe('0 switches off functional, political and cultivated spillover.'),
    matrix: MatrixSchema.default({}).describe('matrix[from][to]: pressure that cooperation in `from` puts on `to`.'),
  }),
  region: z
    .strictObject({
      institutions: unit().default(0.2).describe('Capacity of regional bodies at the start (Council of National Coordinators, summit format).'),
    })
    .prefault({})
    .describe('The region as a whole at the start.'),
  policies: PoliciesSchema.prefault({}),
  parameters: ParametersSchema,
  shocks: z.array(ShockSchema).default([]),
  formulas: FormulasSchema.default({}),
  data: z
    .strictObject({
      gdp: z.string().optional().describe('CSV of observed GDP (columns state, year, gdp_usd_bn), relative to this file; fills `states.*.gdpPath`.'),
    })
    .default({})
    .describe('Data files the scenario reads.'),
  calibration: CalibrationSchema.optional().describe('What `spillover calibrate` fits, and to which data.'),
  sources: z.record(z.string(), z.string()).default({}).describe('Citations for the values in this file.'),
});

/** A resolved, validated scenario. */
export type Scenario = z.output<typeof ScenarioSchema>;
export type StateSpec = z.output<typeof StateSchema>;
export type SectorSpec = z.output<typeof SectorSchema>;
export type ShockSpec = z.output<typeof ShockSchema>;
export type Parameters = z.output<typeof ParametersSchema>;
export type Policies = z.output<typeof PoliciesSchema>;

/** Keys a file may carry besides the scenario's own: they are consumed by `extends` resolution. */
export const CHAIN_KEYS = ['extends', 'addShocks'] as const;
