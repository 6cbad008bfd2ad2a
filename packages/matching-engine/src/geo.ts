const EARTH_KM = 6371.0088;
const RAD = Math.PI / 180;

/** Great-circle distance in kilometres. */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Grid cells of half a degree (~55 km of latitude): few enough cells per radius query, few facilities per cell. */
export const CELL_DEG = 0.5;

export function cellOf(lat: number, lon: number): number {
  const row = Math.floor((lat + 90) / CELL_DEG);
  const col = Math.floor((lon + 180) / CELL_DEG);
  return row * 1000 + col;
}

/**
 * Whether every point of `cell` lies within `radiusKm` of (lat, lon). The farthest point of a latitude-longitude
 * box from a point is one of its corners (distance is monotone along a parallel and unimodal along a meridian),
 * so checking the four corners suffices; a small margin absorbs rounding.
 */
export function cellInside(cell: number, lat: number, lon: number, radiusKm: number): boolean {
  const row = Math.floor(cell / 1000);
  const col = cell - row * 1000;
  const lat0 = row * CELL_DEG - 90;
  const lon0 = col * CELL_DEG - 180;
  const limit = radiusKm - 0.001;
  return (
    haversineKm(lat, lon, lat0, lon0) <= limit &&
    haversineKm(lat, lon, lat0 + CELL_DEG, lon0) <= limit &&
    haversineKm(lat, lon, lat0, lon0 + CELL_DEG) <= limit &&
    haversineKm(lat, lon, lat0 + CELL_DEG, lon0 + CELL_DEG) <= limit
  );
}

/** The cells whose area can hold a point within `radiusKm` of (lat, lon). */
export function cellsWithin(lat: number, lon: number, radiusKm: number): number[] {
  const dLat = radiusKm / 111.32;
  const cos = Math.max(0.01, Math.cos(Math.min(89.9, Math.abs(lat) + dLat) * RAD));
  const dLon = Math.min(180, radiusKm / (111.32 * cos));
  const r0 = Math.floor((Math.max(-90, lat - dLat) + 90) / CELL_DEG);
  const r1 = Math.floor((Math.min(90, lat + dLat) + 90) / CELL_DEG);
  const c0 = Math.floor((lon - dLon + 180) / CELL_DEG);
  const c1 = Math.floor((lon + dLon + 180) / CELL_DEG);
  const maxCol = Math.round(360 / CELL_DEG);
  const cells = new Set<number>();
  for (let r = r0; r <= r1; r++)
    for (let c = c0; c <= c1; c++) cells.add(r * 1000 + (((c % maxCol) + maxCol) % maxCol));
  return [...cells];
}
