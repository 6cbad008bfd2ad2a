export { foldText, foldTokens } from './text.js';
export { parseCsv, parseCsvRecords } from './csv.js';
export {
  isScianClass,
  isScianCode,
  listScianClasses,
  nearestScian2023Class,
  scianAncestors,
  scianCode,
  scianDescendantClasses,
  searchScian,
  type NearestScianClass,
  type ScianEntry,
  type ScianLevel,
} from './scian.js';
export {
  certificationStandard,
  findCertificationStandard,
  listCertificationStandards,
  satisfies,
  type CertificationKind,
  type CertificationStandard,
  type IndustrySector,
} from './certifications.js';
export { isSupplierTier, tierInfo, tierQualifies, TIERS, type SupplierTier, type TierInfo } from './tiers.js';
export {
  compareFunctionalStages,
  FUNCTIONAL_STAGES,
  functionalStage,
  type FunctionalStage,
  type FunctionalStageInfo,
} from './functional-stages.js';
export { MX_STATES, resolveState, stateByCode, type MxState } from './states.js';
export {
  classifySize,
  MX_SIZE_RULE,
  sizeSectorOfScian,
  type SizeBand,
  type SizeClass,
  type SizeInput,
  type SizeResult,
  type SizeRuleRef,
  type SizeSector,
} from './size.js';
export { findProcessTags, listProcessTags, processTag, type ProcessTag } from './processes.js';
export {
  CAPACITY_UNITS,
  capacityUnit,
  convertCapacity,
  type CapacityUnit,
  type CapacityUnitInfo,
} from './units.js';
