export { tokenize, stem, isStopWord } from './tokenize.js';
export { Bitset, failingOneOrTwo } from './bitset.js';
export { TextIndex, DEFAULT_BM25, type Bm25Params, type WeightedTerm } from './text-index.js';
export { haversineKm } from './geo.js';
export { createIndex, MatchIndex, normaliseName } from './engine-index.js';
export {
  match,
  scoreAll,
  evaluateSuppliers,
  queryTerms,
  DEFAULT_WEIGHTS,
  type SupplierEvaluation,
} from './match.js';
export * from './types.js';
export {
  standingOf,
  upgradeRoadmap,
  upgradeKey,
  upgradeLabel,
  monthlyDemand,
  isRelevant,
  type Standing,
  type Upgrade,
  type Roadmap,
  type RoadmapEntry,
  type RoadmapLink,
  type RoadmapRequirement,
  type CapacityEntry,
  type DemandTotal,
} from './roadmap.js';
