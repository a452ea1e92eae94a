// The seed plan's Settings page (Task 13), saved to the server: the toggle
// and intensity save at once; thresholds save when they are valid and the
// user pauses (or leaves the field).
import { useEffect, useRef, useState } from 'react';
import { Bell, BellRing, Brain, Clock, Palette, Settings as SettingsIcon, Check, Target } from 'lucide-react';
import { useCoach } from '../contexts/CoachContext';
import { useTheme, type Theme } from '../contexts/ThemeContext';
import { BOUNDS, LEVELS, MORNING_PUSH, parseDays, validMorningPushTime } from '../lib/settings';
import { useHub } from '../contexts/HubContext';
import { useSoundEnabled } from '../lib/localPrefs';
import { playChime } from '../lib/sound';
import { cn } from '../lib/format';
import { useTitle } from '../lib/hooks';
import { ErrorBanner, PageHeader, Spinner, errorMessage } from '../components/ui';
import type { CoachSettings } from '../types';

type SaveState = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved' } | { kind: 'error'; error: unknown };

function DaysInput({
  id,
  label,
  value,
  bound,
  onSave,
}: {
  id: string;
  label: string;
  value: number;
  bound: { min: number; max: number };
  onSave: (n: number) => void;
}) {
  const [text, setText] = useState(String(value));
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => setText(String(value)), [value]);
  const n = parseDays(text);
  const invalid = !(n >= bound.min && n <= bound.max);
  const commit = () => {
    clearTimeout(timer.current);
    if (!invalid && n !== value) onSave(n);
  };
  return (
    <div>
      <label htmlFor={id} className="mb-1 block text-sm text-gray-700 dark:text-slate-300">
        {label}
      </label>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        min={bound.min}
        max={bound.max}
        value={text}
        aria-invalid={invalid}
        aria-describedby={`${id}-help`}
        onChange={(e) => {
          setText(e.target.value);
          clearTimeout(timer.current);
          const v = parseDays(e.target.value);
          if (v >= bound.min && v <= bound.max && v !== value) timer.current = setTimeout(() => onSave(v), 600);
        }}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
        className={cn(
          'w-full rounded-lg border bg-gray-50 px-3 py-2 text-gray-900 dark:bg-slate-700 dark:text-white',
          invalid ? 'border-red-500' : 'border-gray-300 dark:border-slate-600',
        )}
      />
      <p id={`${id}-help`} className={cn('mt-1 text-xs', invalid ? 'text-red-700 dark:text-red-300' : 'text-gray-600 dark:text-slate-400')}>
        {invalid ? `Enter a whole number from ${bound.min} to ${bound.max}` : `${bound.min}–${bound.max} days`}
      </p>
    </div>
  );
}

// A labelled on/off switch.
function Switch({ id, label, desc, checked, onChange }: { id: string; label: string; desc: string; checked: boolean; onChange: (on: boolean) => void }) {
  return (
    <div className="flex items-center justify-between gap-4">
      <div>
        <p id={`${id}-label`} className="text-sm font-medium text-gray-900 dark:text-white">
          {label}
        </p>
        <p id={`${id}-desc`} className="text-sm text-gray-600 dark:text-slate-400">
          {desc}
        </p>
      </div>
      <button
        type="button"
        role="switch"
        id={id}
        aria-checked={checked}
        aria-labelledby={`${id}-label`}
        aria-describedby={`${id}-desc`}
        onClick={() => onChange(!checked)}
        className={cn('relative inline-flex h-6 w-11 shrink-0 items-center rounded-full transition-colors', checked ? 'bg-blue-600' : 'bg-gray-400 dark:bg-slate-500')}
      >
        <span aria-hidden className={cn('inline-block h-4 w-4 transform rounded-full bg-white transition-transform', checked ? 'translate-x-6' : 'translate-x-1')} />
      </button>
    </div>
  );
}

// The morning push time, 04:00-11:00; saved when a valid time is chosen.
function MorningTime({ value, onSave }: { value: string; onSave: (t: string) => void }) {
  const [text, setText] = useState(value);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => setText(value), [value]);
  useEffect(() => () => clearTimeout(timer.current), []);
  const invalid = !validMorningPushTime(text);
  return (
    <div>
      <label htmlFor="morning-push-time" className="mb-1 block text-sm font-medium text-gray-900 dark:text-white">
        Morning must-dos at
      </label>
      <input
        id="morning-push-time"
        type="time"
        min={MORNING_PUSH.min}
        max={MORNING_PUSH.max}
        step={300}
        value={text}
        aria-invalid={invalid}
        aria-describedby="morning-push-help"
        onChange={(e) => {
          const t = e.target.value;
          setText(t);
          clearTimeout(timer.current);
          // Typing a time changes it field by field: save once it settles.
          if (validMorningPushTime(t) && t !== value) timer.current = setTimeout(() => onSave(t), 500);
        }}
        className={cn(
          'w-40 rounded-lg border bg-gray-50 px-3 py-2 text-gray-900 dark:bg-slate-700 dark:text-white dark:[color-scheme:dark]',
          invalid ? 'border-red-500' : 'border-gray-300 dark:border-slate-600',
        )}
      />
      <p id="morning-push-help" className={cn('mt-1 text-xs', invalid ? 'text-red-700 dark:text-red-300' : 'text-gray-600 dark:text-slate-400')}>
        {invalid ? 'Choose a time from 4:00 AM to 11:00 AM' : 'Your three must-dos arrive at this time on working days (4:00 AM – 11:00 AM, your time zone).'}
      </p>
    </div>
  );
}

const THEMES: { value: Theme; label: string }[] = [
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
  { value: 'system', label: 'Match system' },
];

export default function Settings() {
  useTitle('Settings');
  const { settings, updateSettings, settingsLoaded } = useCoach();
  const { theme, setTheme } = useTheme();
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });
  const [sound, setSound] = useSoundEnabled();
  const { permission, enableBrowserNotifications } = useHub();

  const apply = async (patch: Partial<CoachSettings>) => {
    setSave({ kind: 'saving' });
    try {
      await updateSettings(patch);
      setSave({ kind: 'saved' });
    } catch (error) {
      setSave({ kind: 'error', error });
    }
  };

  return (
    <div className="flex h-full flex-col">
      <PageHeader
        title="Settings"
        subtitle="Configure your app preferences"
        icon={<SettingsIcon aria-hidden className="h-8 w-8 text-gray-400" />}
      />
      <div className="flex-1 overflow-auto px-4 py-6 sm:px-8">
        <div className="max-w-2xl space-y-6">
          <section aria-labelledby="coach-heading" className="overflow-hidden rounded-xl border border-gray-200 bg-white shadow-sm dark:border-slate-700 dark:bg-slate-800">
            <div className="border-b border-gray-200 px-6 py-4 dark:border-slate-700">
              <div className="flex items-center justify-between gap-3">
                <div className="flex items-center gap-3">
                  <div className="rounded-lg bg-blue-50 p-2 dark:bg-blue-900/30">
                    <Brain aria-hidden className="h-5 w-5 text-blue-600 dark:text-blue-400" />
                  </div>
                  <div>
                    <h2 id="coach-heading" className="text-lg font-semibold text-gray-900 dark:text-white">
                      AI Business Coach
                    </h2>
                    <p className="text-sm text-gray-600 dark:text-slate-400">Get proactive advice to grow your business</p>
                  </div>
                </div>
                <p role="status" aria-live="polite" className="text-sm" data-testid="settings-status">
                  {save.kind === 'saving' && <span className="muted">Saving…</span>}
                  {save.kind === 'saved' && (
                    <span className="inline-flex items-center gap-1 text-green-800 dark:text-green-300">
                      <Check aria-hidden className="h-4 w-4" /> Saved
                    </span>
                  )}
                  {save.kind === 'error' && <span className="text-red-700 dark:text-red-300">Not saved: {errorMessage(save.error)}</span>}
                </p>
              </div>
            </div>

            {!settingsLoaded ? (
              <Spinner className="p-6" label="Loading settings" />
            ) : (
              <div className="space-y-6 p-6">
                <div className="flex items-center justify-between gap-4">
                  <div>
                    <p id="enable-label" className="text-sm font-medium text-gray-900 dark:text-white">
                      Enable Coach
                    </p>
                    <p id="enable-desc" className="text-sm text-gray-600 dark:text-slate-400">
                      Receive coaching tips and insights
                    </p>
                  </div>
                  <button
                    type="button"
                    role="switch"
                    aria-checked={settings.coach_enabled}
                    aria-labelledby="enable-label"
                    aria-describedby="enable-desc"
                    onClick={() => apply({ coach_enabled: !settings.coach_enabled })}
                    className={cn(
                      'relative inline-flex h-6 w-11 shrink-0 items-center rounded-full transition-colors',
                      settings.coach_enabled ? 'bg-blue-600' : 'bg-gray-400 dark:bg-slate-500',
                    )}
                  >
                    <span
                      aria-hidden
                      className={cn(
                        'inline-block h-4 w-4 transform rounded-full bg-white transition-transform',
                        settings.coach_enabled ? 'translate-x-6' : 'translate-x-1',
                      )}
                    />
                  </button>
                </div>

                <fieldset disabled={!settings.coach_enabled} className="space-y-6 disabled:opacity-60">
                  <div>
                    <p className="mb-3 block text-sm font-medium text-gray-900 dark:text-white">Coaching Intensity</p>
                    <div role="radiogroup" aria-label="Coaching Intensity" className="flex items-center rounded-xl bg-gray-100 p-1 dark:bg-slate-700">
                      {LEVELS.map(({ level, label }) => (
                        <button
                          key={level}
                          type="button"
                          role="radio"
                          aria-checked={settings.coach_level === level}
                          onClick={() => apply({ coach_level: level })}
                          onKeyDown={(e) => {
                            const d = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -1 : 0;
                            if (!d) return;
                            e.preventDefault();
                            const next = (((settings.coach_level - 1 + d + 3) % 3) + 1) as 1 | 2 | 3;
                            apply({ coach_level: next });
                            const group = e.currentTarget.parentElement;
                            requestAnimationFrame(() => (group?.children[next - 1] as HTMLElement | undefined)?.focus());
                          }}
                          tabIndex={settings.coach_level === level ? 0 : -1}
                          className={cn(
                            'flex-1 rounded-lg px-3 py-2 text-sm font-medium transition-all',
                            settings.coach_level === level
                              ? 'bg-white text-gray-900 shadow-sm dark:bg-slate-600 dark:text-white'
                              : 'text-gray-600 hover:text-gray-800 dark:text-slate-300 dark:hover:text-slate-100',
                          )}
                        >
                          {label}
                        </button>
                      ))}
                    </div>
                    <p className="mt-2 text-xs text-gray-600 dark:text-slate-400">{LEVELS[settings.coach_level - 1].desc}</p>
                  </div>

                  <div className="space-y-4 border-t border-gray-200 pt-4 dark:border-slate-700">
                    <h3 className="flex items-center gap-2 text-sm font-medium text-gray-900 dark:text-white">
                      <Clock aria-hidden className="h-4 w-4" />
                      Alert Thresholds
                    </h3>
                    <div className="grid gap-4 sm:grid-cols-2">
                      <DaysInput
                        id="stale-lead-days"
                        label="Stale lead alert (days)"
                        value={settings.stale_lead_days}
                        bound={BOUNDS.stale_lead_days}
                        onSave={(n) => apply({ stale_lead_days: n })}
                      />
                      <DaysInput
                        id="stuck-deal-days"
                        label="Stuck deal alert (days)"
                        value={settings.stuck_deal_days}
                        bound={BOUNDS.stuck_deal_days}
                        onSave={(n) => apply({ stuck_deal_days: n })}
                      />
                    </div>
                  </div>
                </fieldset>
              </div>
            )}
          </section>

          <section aria-labelledby="hub-heading" className="overflow-hidden rounded-xl border border-gray-200 bg-white shadow-sm dark:border-slate-700 dark:bg-slate-800">
            <div className="flex items-center gap-3 border-b border-gray-200 px-6 py-4 dark:border-slate-700">
              <div className="rounded-lg bg-green-50 p-2 dark:bg-green-900/30">
                <Target aria-hidden className="h-5 w-5 text-green-700 dark:text-green-400" />
              </div>
              <div>
                <h2 id="hub-heading" className="text-lg font-semibold text-gray-900 dark:text-white">
                  Accountability hub
                </h2>
                <p className="text-sm text-gray-600 dark:text-slate-400">Morning must-dos, nudges and summaries</p>
              </div>
            </div>
            {!settingsLoaded ? (
              <Spinner className="p-6" label="Loading settings" />
            ) : (
              <div className="space-y-5 p-6">
                <MorningTime value={settings.morning_push_time} onSave={(t) => apply({ morning_push_time: t })} />
                <Switch
                  id="pace-nudges"
                  label="Pace nudges"
                  desc="A nudge when today's calls run behind your own usual pace"
                  checked={settings.pace_nudges}
                  onChange={(on) => apply({ pace_nudges: on })}
                />
                <Switch
                  id="daily-summary"
                  label="Daily summary"
                  desc="An end-of-day summary of what you moved forward"
                  checked={settings.daily_summary}
                  onChange={(on) => apply({ daily_summary: on })}
                />
              </div>
            )}
          </section>

          <section aria-labelledby="alerts-heading" className="rounded-xl border border-gray-200 bg-white p-6 shadow-sm dark:border-slate-700 dark:bg-slate-800">
            <h2 id="alerts-heading" className="mb-1 flex items-center gap-2 text-lg font-semibold">
              <Bell aria-hidden className="h-5 w-5" /> Alerts on this device
            </h2>
            <p className="mb-4 text-sm text-gray-600 dark:text-slate-400">Kept in this browser only.</p>
            <div className="space-y-5">
              <Switch
                id="celebration-sound"
                label="Celebration sound"
                desc="A short chime when you complete a task or reach a goal"
                checked={sound}
                onChange={(on) => {
                  setSound(on);
                  if (on) playChime('goal');
                }}
              />
              <div className="flex flex-wrap items-center justify-between gap-3">
                <div>
                  <p className="text-sm font-medium text-gray-900 dark:text-white">Browser notifications</p>
                  <p className="text-sm text-gray-600 dark:text-slate-400" data-testid="browser-permission">
                    {permission === 'granted'
                      ? 'On: new notifications also pop up from your browser.'
                      : permission === 'denied'
                        ? "Blocked: allow notifications for this site in the browser's settings."
                        : permission === 'unsupported'
                          ? 'This browser does not support notifications.'
                          : 'Get your must-dos and nudges as browser notifications.'}
                  </p>
                </div>
                {permission === 'default' && (
                  <button type="button" className="btn-secondary" onClick={() => void enableBrowserNotifications()}>
                    <BellRing aria-hidden className="h-4 w-4" /> Enable browser notifications
                  </button>
                )}
              </div>
            </div>
          </section>

          <section aria-labelledby="appearance-heading" className="rounded-xl border border-gray-200 bg-white p-6 shadow-sm dark:border-slate-700 dark:bg-slate-800">
            <h2 id="appearance-heading" className="mb-3 flex items-center gap-2 text-lg font-semibold">
              <Palette aria-hidden className="h-5 w-5" /> Appearance
            </h2>
            <fieldset>
              <legend className="sr-only">Theme</legend>
              <div className="flex flex-wrap gap-4">
                {THEMES.map((t) => (
                  <label key={t.value} className="flex items-center gap-2 text-sm">
                    <input type="radio" name="theme" value={t.value} checked={theme === t.value} onChange={() => setTheme(t.value)} />
                    {t.label}
                  </label>
                ))}
              </div>
            </fieldset>
          </section>
          {save.kind === 'error' && <ErrorBanner error={save.error} />}
        </div>
      </div>
    </div>
  );
}
