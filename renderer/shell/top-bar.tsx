// Top bar: product name, global search (filters the device tree; Ctrl+F), event stream state, clock, language, user menu.
import { useEffect, useRef } from 'preact/hooks';
import { AlarmCounter } from '../alarms/alarm-counter';
import { LANGS, setLang, useI18n, type Lang } from '../i18n/index';
import { useServices } from '../services';
import { useStore } from '../state/store';
import { Clock } from './clock';
import { StreamIndicator } from './stream-indicator';
import { UserMenu } from './user-menu';

function LanguageSwitch() {
  const { t, lang } = useI18n();
  const label = (l: Lang) => (l === 'en' ? t('lang.en') : t('lang.zh-CN'));
  return (
    <div class="segmented" role="group" aria-label={t('lang.label')}>
      {LANGS.map((l) => (
        <button type="button" key={l} lang={l} aria-pressed={lang === l} onClick={() => setLang(l)}>
          {label(l)}
        </button>
      ))}
    </div>
  );
}

export function TopBar({ onSignOut }: { onSignOut: () => void }) {
  const { t } = useI18n();
  const { search, user, events } = useServices();
  const query = useStore(search);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'f') {
        e.preventDefault();
        input.current?.focus();
        input.current?.select();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  return (
    <header class="top-bar">
      <div class="brand">
        <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
          <path d="M2 12 C6 5 18 5 22 12 C18 19 6 19 2 12 Z" fill="none" stroke="currentColor" stroke-width="2" />
          <circle cx="12" cy="12" r="3.5" fill="currentColor" />
        </svg>
        <span class="brand-name">{t('app.name')}</span>
      </div>
      <div class="global-search">
        <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
          <circle cx="7" cy="7" r="5" fill="none" stroke="currentColor" stroke-width="1.6" />
          <path d="M11 11 L14.5 14.5" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" />
        </svg>
        <input
          ref={input}
          type="search"
          aria-label={t('top.search.label')}
          placeholder={t('top.search.placeholder')}
          value={query}
          onInput={(e) => search.set(e.currentTarget.value)}
          onKeyDown={(e) => e.key === 'Escape' && search.set('')}
        />
      </div>
      <div class="top-spacer" />
      <AlarmCounter />
      <StreamIndicator events={events} />
      <Clock />
      <LanguageSwitch />
      <UserMenu user={user} onSignOut={onSignOut} />
    </header>
  );
}
