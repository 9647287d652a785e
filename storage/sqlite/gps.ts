// SQLite GpsRepo: GPS points, geofences and map placement (issue 5).
import type { GpsRepo } from '../repos/gps';
import type { Db } from './db';

export class SqliteGpsRepo implements GpsRepo {
  constructor(private readonly db: Db) {
    void this.db;
  }
}
