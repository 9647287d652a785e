// What route handlers and other features may ask of the gps feature (issue 5).
import type { PlaceQueries } from '../contracts';

export interface GpsControl extends PlaceQueries {}
