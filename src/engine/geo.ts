import { asin, cos, sin } from '../math/index.js';

/** Great-circle distance in km between two points given in degrees (haversine formula, Sinnott 1984). */
export function greatCircleKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const sLat = sin(dLat / 2), sLon = sin(dLon / 2);
  const a = sLat * sLat + cos(lat1 * rad) * cos(lat2 * rad) * sLon * sLon;
  return 2 * 6371 * asin(Math.min(1, Math.sqrt(a)));
}
