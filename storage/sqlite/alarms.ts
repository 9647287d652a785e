// SQLite AlarmRepo: alarms, their workflow and linkage rules (issue 7).
import type { AlarmRepo } from '../repos/alarms';
import type { Db } from './db';

export class SqliteAlarmRepo implements AlarmRepo {
  constructor(private readonly db: Db) {
    void this.db;
  }
}
