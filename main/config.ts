// Server configuration: one declaration per setting (main/platform/settings.ts), loaded by main/platform/config-load.ts.
export { SETTINGS, SETTING_KEYS, envName, type SettingDecl, type SettingKey, type Settings } from './platform/settings';
export {
  AUTO_MIN_FREE_FRACTION,
  AUTO_MIN_FREE_MAX_BYTES,
  autoMinFreeBytes,
  ConfigError,
  dataDirFrom,
  loadConfig,
  settingFromEnv,
  volumeOf,
  type Config,
  type ConfigOverrides,
  type Origin,
} from './platform/config-load';
export { effectiveSettingsLine, renderReadme, settingsTable } from './platform/config-docs';
