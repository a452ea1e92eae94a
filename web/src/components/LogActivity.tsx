// The quick "log activity" bar: call (with outcome), text, email, meeting,
// video post (with topic); entirely usable with the keyboard (native radio
// buttons move with the arrow keys, Enter logs).
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Mail, MessageSquare, Phone, Users, Video, Check } from 'lucide-react';
import { api } from '../lib/api';
import { useCoach } from '../contexts/CoachContext';
import { activityLabel, cn } from '../lib/format';
import type { ActivityType } from '../types';
import { ContactPicker } from './pickers';
import { ErrorBanner } from './ui';

const TYPES: { type: ActivityType; icon: typeof Phone }[] = [
  { type: 'call', icon: Phone },
  { type: 'text', icon: MessageSquare },
  { type: 'email', icon: Mail },
  { type: 'meeting', icon: Users },
  { type: 'video_post', icon: Video },
];

const OUTCOMES: { value: string; label: string; types: ActivityType[] }[] = [
  { value: 'answered', label: 'Answered', types: ['call'] },
  { value: 'no_answer', label: 'No answer', types: ['call'] },
  { value: 'voicemail', label: 'Left voicemail', types: ['call'] },
  { value: 'appointment_set', label: 'Appointment set', types: ['call', 'text', 'email', 'meeting'] },
  { value: 'application_taken', label: 'Application taken', types: ['call', 'meeting'] },
];

export function LogActivity({
  contact,
  initialType = 'call',
  autoFocus,
  onLogged,
}: {
  contact?: { id: number; name: string };
  initialType?: ActivityType;
  autoFocus?: boolean;
  onLogged?: () => void;
}) {
  const uid = useId();
  const [type, setType] = useState<ActivityType>(initialType);
  const [outcome, setOutcome] = useState('answered');
  const [topic, setTopic] = useState('');
  const [notes, setNotes] = useState('');
  const [who, setWho] = useState<{ id: number; name: string } | null>(contact ?? null);
  const [done, setDone] = useState<string | null>(null);
  const [topicError, setTopicError] = useState<string>();
  const firstRadio = useRef<HTMLInputElement>(null);
  const queryClient = useQueryClient();
  const { checkAction } = useCoach();

  useEffect(() => {
    if (autoFocus) firstRadio.current?.focus();
  }, [autoFocus]);
  useEffect(() => setType(initialType), [initialType]);

  const outcomes = OUTCOMES.filter((o) => o.types.includes(type));
  const mutation = useMutation({
    mutationFn: () =>
      api.createActivity({
        type,
        outcome: outcomes.some((o) => o.value === outcome) ? outcome : undefined,
        topic: type === 'video_post' ? topic.trim() : undefined,
        notes: notes.trim() || undefined,
        contact_id: who?.id,
      }),
    onSuccess: (a) => {
      setDone(`${activityLabel(a.type)} logged${who ? ` with ${who.name}` : ''}.`);
      setNotes('');
      setTopic('');
      if (!contact) setWho(null);
      queryClient.invalidateQueries({ queryKey: ['activities'] });
      queryClient.invalidateQueries({ queryKey: ['contacts'] });
      queryClient.invalidateQueries({ queryKey: ['timeline'] });
      checkAction({ action: `${a.type}_logged`, entity_type: 'activity', entity_id: a.id });
      onLogged?.();
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setDone(null);
    if (type === 'video_post' && !topic.trim()) {
      setTopicError('Give the video a topic, e.g. "VA loans"');
      return;
    }
    setTopicError(undefined);
    mutation.mutate();
  };

  return (
    <form onSubmit={submit} aria-label="Log activity" className="space-y-3" data-testid="log-activity">
      <fieldset>
        <legend className="label">Activity</legend>
        <div className="flex flex-wrap gap-1.5">
          {TYPES.map(({ type: t, icon: Icon }, i) => (
            <label
              key={t}
              className={cn(
                'flex cursor-pointer items-center gap-1.5 rounded-lg border px-3 py-1.5 text-sm font-medium has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-blue-500',
                type === t
                  ? 'border-blue-600 bg-blue-600 text-white'
                  : 'border-slate-300 bg-white text-slate-700 hover:bg-slate-50 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-200 dark:hover:bg-slate-700',
              )}
            >
              <input
                ref={i === 0 ? firstRadio : undefined}
                type="radio"
                name={`type-${uid}`}
                value={t}
                checked={type === t}
                onChange={() => {
                  setType(t);
                  if (t !== 'call' && ['answered', 'no_answer', 'voicemail'].includes(outcome)) setOutcome('');
                  if (t === 'call' && !outcome) setOutcome('answered');
                }}
                className="sr-only"
              />
              <Icon aria-hidden className="h-4 w-4" />
              {activityLabel(t)}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="grid gap-3 sm:grid-cols-2">
        {!contact && <ContactPicker value={who} onChange={setWho} id={`who-${uid}`} label="With (optional)" />}
        {outcomes.length > 0 && (
          <div>
            <label htmlFor={`outcome-${uid}`} className="label">
              Outcome
            </label>
            <select id={`outcome-${uid}`} className="input" value={outcome} onChange={(e) => setOutcome(e.target.value)}>
              {type !== 'call' && <option value="">—</option>}
              {outcomes.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
        )}
        {type === 'video_post' && (
          <div>
            <label htmlFor={`topic-${uid}`} className="label">
              Topic
            </label>
            <input
              id={`topic-${uid}`}
              className="input"
              maxLength={100}
              placeholder="e.g. VA loans"
              value={topic}
              aria-invalid={!!topicError}
              aria-describedby={topicError ? `topic-${uid}-error` : undefined}
              onChange={(e) => setTopic(e.target.value)}
            />
            {topicError && (
              <p id={`topic-${uid}-error`} role="alert" className="mt-1 text-xs text-red-700 dark:text-red-300">
                {topicError}
              </p>
            )}
          </div>
        )}
        <div className={cn(contact || outcomes.length === 0 ? '' : 'sm:col-span-2')}>
          <label htmlFor={`notes-${uid}`} className="label">
            Notes
          </label>
          <input id={`notes-${uid}`} className="input" placeholder="What happened?" value={notes} onChange={(e) => setNotes(e.target.value)} />
        </div>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className="btn-primary" disabled={mutation.isPending}>
          {mutation.isPending ? 'Logging…' : `Log ${activityLabel(type).toLowerCase()}`}
        </button>
        <p role="status" className="flex items-center gap-1 text-sm text-green-800 dark:text-green-300">
          {done && (
            <>
              <Check aria-hidden className="h-4 w-4" /> {done}
            </>
          )}
        </p>
      </div>
      <ErrorBanner error={mutation.error} />
    </form>
  );
}
