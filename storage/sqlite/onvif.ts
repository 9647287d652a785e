// SQLite OnvifRepo: ONVIF devices, stored credentials, PTZ presets and tours (issue 4).
import type { OnvifRepo } from '../repos/onvif';
import type { Db } from './db';

export class SqliteOnvifRepo implements OnvifRepo {
  constructor(private readonly db: Db) {
    void this.db;
  }
}
