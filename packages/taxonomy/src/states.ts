import { foldText } from './text.js';

export interface MxState {
  /** INEGI Marco Geoestadístico entity code, two digits. */
  readonly code: string;
  /** ISO 3166-2 code. */
  readonly iso: string;
  /** Official name as INEGI publishes it (e.g. "Coahuila de Zaragoza"). */
  readonly officialName: string;
  readonly shortName: string;
  readonly aliases: readonly string[];
  /**
   * Approximate geographic centre (decimal degrees, within ~0.3°), hand-entered: good for a default map
   * position or a coarse state-to-state distance, not for radius filtering of facilities.
   */
  readonly centroid: { readonly lat: number; readonly lon: number };
}

function st(
  code: string,
  iso: string,
  officialName: string,
  shortName: string,
  lat: number,
  lon: number,
  aliases: string[] = [],
): MxState {
  return { code, iso: `MX-${iso}`, officialName, shortName, aliases, centroid: { lat, lon } };
}

export const MX_STATES: readonly MxState[] = [
  st('01', 'AGU', 'Aguascalientes', 'Aguascalientes', 21.88, -102.36, ['Ags']),
  st('02', 'BCN', 'Baja California', 'Baja California', 30.55, -115.1, ['BC', 'Baja California Norte']),
  st('03', 'BCS', 'Baja California Sur', 'Baja California Sur', 25.85, -111.95, ['BCS']),
  st('04', 'CAM', 'Campeche', 'Campeche', 18.85, -90.4, ['Camp']),
  st('05', 'COA', 'Coahuila de Zaragoza', 'Coahuila', 27.3, -102.05, ['Coah']),
  st('06', 'COL', 'Colima', 'Colima', 19.1, -103.9, ['Col']),
  st('07', 'CHP', 'Chiapas', 'Chiapas', 16.5, -92.45, ['Chis']),
  st('08', 'CHH', 'Chihuahua', 'Chihuahua', 28.8, -106.1, ['Chih']),
  st('09', 'CMX', 'Ciudad de México', 'Ciudad de México', 19.32, -99.15, [
    'CDMX',
    'Distrito Federal',
    'DF',
    'D.F.',
    'Mexico City',
  ]),
  st('10', 'DUR', 'Durango', 'Durango', 24.9, -104.9, ['Dgo']),
  st('11', 'GUA', 'Guanajuato', 'Guanajuato', 20.9, -101.0, ['Gto']),
  st('12', 'GRO', 'Guerrero', 'Guerrero', 17.6, -99.9, ['Gro']),
  st('13', 'HID', 'Hidalgo', 'Hidalgo', 20.5, -98.9, ['Hgo']),
  st('14', 'JAL', 'Jalisco', 'Jalisco', 20.55, -103.65, ['Jal']),
  // INEGI's official name for the state is just "México"; "Estado de México" is how everyone says it.
  st('15', 'MEX', 'México', 'Estado de México', 19.35, -99.6, [
    'Estado de México',
    'Edomex',
    'Edo. Mex.',
    'Edo Mex',
  ]),
  st('16', 'MIC', 'Michoacán de Ocampo', 'Michoacán', 19.2, -101.9, ['Mich']),
  st('17', 'MOR', 'Morelos', 'Morelos', 18.75, -99.05, ['Mor']),
  st('18', 'NAY', 'Nayarit', 'Nayarit', 21.85, -104.85, ['Nay']),
  st('19', 'NLE', 'Nuevo León', 'Nuevo León', 25.55, -99.9, ['NL', 'N.L.']),
  st('20', 'OAX', 'Oaxaca', 'Oaxaca', 17.0, -96.4, ['Oax']),
  st('21', 'PUE', 'Puebla', 'Puebla', 19.0, -97.9, ['Pue']),
  st('22', 'QUE', 'Querétaro', 'Querétaro', 20.85, -99.85, ['Querétaro de Arteaga', 'Qro']),
  st('23', 'ROO', 'Quintana Roo', 'Quintana Roo', 19.6, -88.0, ['Q. Roo', 'QRoo']),
  st('24', 'SLP', 'San Luis Potosí', 'San Luis Potosí', 22.6, -100.4, ['SLP', 'S.L.P.']),
  st('25', 'SIN', 'Sinaloa', 'Sinaloa', 25.0, -107.5, ['Sin']),
  st('26', 'SON', 'Sonora', 'Sonora', 29.7, -110.8, ['Son']),
  st('27', 'TAB', 'Tabasco', 'Tabasco', 17.95, -92.6, ['Tab']),
  st('28', 'TAM', 'Tamaulipas', 'Tamaulipas', 24.3, -98.6, ['Tamps']),
  st('29', 'TLA', 'Tlaxcala', 'Tlaxcala', 19.4, -98.15, ['Tlax']),
  st('30', 'VER', 'Veracruz de Ignacio de la Llave', 'Veracruz', 19.4, -96.5, ['Ver', 'Veracruz-Llave']),
  st('31', 'YUC', 'Yucatán', 'Yucatán', 20.7, -89.0, ['Yuc']),
  st('32', 'ZAC', 'Zacatecas', 'Zacatecas', 23.3, -102.7, ['Zac']),
];

// Punctuation and spacing vary more than spelling ("Edo. Mex.", "Q. Roo", "Veracruz-Llave"), so keys keep
// only letters and digits.
function key(s: string): string {
  return foldText(s).replace(/[^a-z0-9]+/g, '');
}

const BY_KEY: ReadonlyMap<string, MxState> = (() => {
  const m = new Map<string, MxState>();
  for (const s of MX_STATES) {
    for (const name of [s.code, s.iso, s.iso.slice(3), s.officialName, s.shortName, ...s.aliases]) {
      const k = key(name);
      const prev = m.get(k);
      if (prev && prev !== s) throw new Error(`states: alias ${name} is ambiguous`);
      m.set(k, s);
    }
  }
  return m;
})();

/**
 * A state from its name, short name, common alias, INEGI code ('09', '9') or ISO code ('MX-CMX'),
 * ignoring accents, case and punctuation; "Estado de X" also resolves to X.
 */
export function resolveState(name: string): MxState | undefined {
  let k = key(name);
  if (/^\d$/.test(k)) k = `0${k}`;
  const direct = BY_KEY.get(k);
  if (direct) return direct;
  const bare = k.replace(/^(estadode|edode|estado)/, '');
  return bare && bare !== k ? BY_KEY.get(bare) : undefined;
}

export function stateByCode(code: string): MxState | undefined {
  return MX_STATES.find((s) => s.code === code);
}
