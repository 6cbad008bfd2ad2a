import { describe, expect, it } from 'vitest';
import { compareFunctionalStages, FUNCTIONAL_STAGES, functionalStage } from './functional-stages.js';
import { isSupplierTier, tierInfo, tierQualifies, TIERS } from './tiers.js';
import { CAPACITY_UNITS, capacityUnit, convertCapacity } from './units.js';

describe('tiers', () => {
  it('names tiers 1..4 in both languages', () => {
    expect(TIERS.map((t) => t.tier)).toEqual([1, 2, 3, 4]);
    expect(tierInfo(2).name).toEqual({ es: 'Nivel 2', en: 'Tier 2' });
  });

  it('lets closer-to-OEM suppliers serve further tiers, not the reverse', () => {
    expect(tierQualifies(1, 2)).toBe(true);
    expect(tierQualifies(2, 2)).toBe(true);
    expect(tierQualifies(3, 2)).toBe(false);
    expect(isSupplierTier(4)).toBe(true);
    expect(isSupplierTier(5)).toBe(false);
    expect(isSupplierTier('1')).toBe(false);
  });
});

describe('functional stages', () => {
  it('orders CM < CDM < OEM < ODM < OBM', () => {
    expect(FUNCTIONAL_STAGES.map((s) => s.id)).toEqual(['CM', 'CDM', 'OEM', 'ODM', 'OBM']);
    expect(compareFunctionalStages('CM', 'OBM')).toBeLessThan(0);
    expect(compareFunctionalStages('ODM', 'OEM')).toBeGreaterThan(0);
    expect(functionalStage('odm')?.name.en).toBe('Original design manufacturing');
    expect(functionalStage('XYZ')).toBeUndefined();
  });
});

describe('capacity units', () => {
  it('lists the five units with names and converts mass', () => {
    expect(CAPACITY_UNITS).toHaveLength(5);
    expect(capacityUnit('kg-per-month')?.name.es).toBe('kilogramos por mes');
    expect(convertCapacity(2, 'tonnes-per-month', 'kg-per-month')).toBe(2000);
    expect(convertCapacity(1, 'units-per-month', 'kg-per-month')).toBeUndefined();
  });
});
