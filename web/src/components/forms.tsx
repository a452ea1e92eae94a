// Create / edit dialogs for contacts, deals and tasks. Server validation
// errors are shown on the field they name.
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from '../lib/api';
import { useCoach } from '../contexts/CoachContext';
import { titleCase } from '../lib/format';
import {
  CONTACT_STATUSES,
  DEAL_STAGES,
  LOAN_TYPES,
  PURPOSES,
  TASK_PRIORITIES,
  type Contact,
  type Deal,
  type Task,
} from '../types';
import { ContactPicker } from './pickers';
import { ErrorBanner, Field, Modal } from './ui';

function fieldErrors(e: unknown): { field?: string; message?: string } {
  if (e instanceof ApiError && e.field) return { field: e.field, message: e.message };
  return {};
}

function FormShell({
  title,
  onClose,
  onSubmit,
  busy,
  error,
  submitLabel,
  children,
}: {
  title: string;
  onClose: () => void;
  onSubmit: () => void;
  busy: boolean;
  error: unknown;
  submitLabel: string;
  children: ReactNode;
}) {
  const formId = useId();
  const fe = fieldErrors(error);
  return (
    <Modal
      title={title}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form={formId} className="btn-primary" disabled={busy}>
            {busy ? 'Saving…' : submitLabel}
          </button>
        </>
      }
    >
      <form
        id={formId}
        noValidate
        className="space-y-4"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          onSubmit();
        }}
      >
        {children}
        {error && !fe.field ? <ErrorBanner error={error} /> : null}
      </form>
    </Modal>
  );
}

const orNull = (s: string) => (s.trim() === '' ? null : s.trim());

export function ContactForm({ contact, onClose, onSaved }: { contact?: Contact; onClose: () => void; onSaved?: (c: Contact) => void }) {
  const id = useId();
  const queryClient = useQueryClient();
  const [name, setName] = useState(contact?.name ?? '');
  const [email, setEmail] = useState(contact?.email ?? '');
  const [phone, setPhone] = useState(contact?.phone ?? '');
  const [status, setStatus] = useState<string>(contact?.status ?? 'LEAD');
  const [source, setSource] = useState(contact?.source ?? '');
  const [tags, setTags] = useState((contact?.tags ?? []).join(', '));
  const [notes, setNotes] = useState(contact?.notes ?? '');
  const [localError, setLocalError] = useState<string>();
  const m = useMutation({
    mutationFn: () => {
      const body: Partial<Contact> = {
        name: name.trim(),
        email: orNull(email),
        phone: orNull(phone),
        status: status as Contact['status'],
        source: orNull(source),
        tags: tags
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
        notes: orNull(notes),
      };
      return contact ? api.updateContact(contact.id, body) : api.createContact(body);
    },
    onSuccess: (c) => {
      queryClient.invalidateQueries({ queryKey: ['contacts'] });
      queryClient.invalidateQueries({ queryKey: ['timeline'] });
      queryClient.setQueryData(['contact', c.id], c);
      onSaved?.(c);
      onClose();
    },
  });
  const fe = fieldErrors(m.error);
  const err = (f: string) => (fe.field === f ? fe.message : f === 'name' ? localError : undefined);
  const aria = (f: string) => ({ 'aria-invalid': !!err(f), 'aria-describedby': err(f) ? `${id}-${f}-error` : undefined });
  return (
    <FormShell
      title={contact ? `Edit ${contact.name}` : 'New contact'}
      onClose={onClose}
      busy={m.isPending}
      error={m.error}
      submitLabel={contact ? 'Save changes' : 'Create contact'}
      onSubmit={() => {
        if (!name.trim()) return setLocalError('Name is required');
        setLocalError(undefined);
        m.mutate();
      }}
    >
      <Field id={`${id}-name`} label="Name" error={err('name')}>
        <input id={`${id}-name`} className="input" value={name} onChange={(e) => setName(e.target.value)} maxLength={120} autoFocus {...aria('name')} />
      </Field>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id={`${id}-email`} label="Email" error={err('email')}>
          <input id={`${id}-email`} type="email" className="input" value={email} onChange={(e) => setEmail(e.target.value)} {...aria('email')} />
        </Field>
        <Field id={`${id}-phone`} label="Phone" error={err('phone')}>
          <input id={`${id}-phone`} type="tel" className="input" value={phone} onChange={(e) => setPhone(e.target.value)} {...aria('phone')} />
        </Field>
        <Field id={`${id}-status`} label="Status" error={err('status')}>
          <select id={`${id}-status`} className="input" value={status} onChange={(e) => setStatus(e.target.value)}>
            {CONTACT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {titleCase(s)}
              </option>
            ))}
          </select>
        </Field>
        <Field id={`${id}-source`} label="Source" error={err('source')}>
          <input
            id={`${id}-source`}
            className="input"
            list={`${id}-sources`}
            value={source}
            onChange={(e) => setSource(e.target.value)}
            maxLength={64}
            {...aria('source')}
          />
          <datalist id={`${id}-sources`}>
            {['Zillow', 'Realtor.com', 'referral', 'website', 'open house', 'past client', 'social'].map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
        </Field>
      </div>
      <Field id={`${id}-tags`} label="Tags" hint="Comma separated, e.g. VA loan, first-time buyer" error={err('tags')}>
        <input id={`${id}-tags`} className="input" value={tags} onChange={(e) => setTags(e.target.value)} {...aria('tags')} />
      </Field>
      <Field id={`${id}-notes`} label="Notes" error={err('notes')}>
        <textarea id={`${id}-notes`} className="input min-h-[80px]" value={notes} onChange={(e) => setNotes(e.target.value)} {...aria('notes')} />
      </Field>
    </FormShell>
  );
}

export function DealForm({
  deal,
  defaults,
  onClose,
  onSaved,
}: {
  deal?: Deal;
  defaults?: { contact?: { id: number; name: string } | null; stage?: string };
  onClose: () => void;
  onSaved?: (d: Deal) => void;
}) {
  const id = useId();
  const queryClient = useQueryClient();
  const { checkAction } = useCoach();
  const contactQuery = useQuery({
    queryKey: ['contact', deal?.contact_id],
    queryFn: () => api.getContact(deal!.contact_id!),
    enabled: !!deal?.contact_id,
  });
  const [title, setTitle] = useState(deal?.title ?? '');
  const [contact, setContact] = useState<{ id: number; name: string } | null | undefined>(deal ? undefined : (defaults?.contact ?? null));
  const [value, setValue] = useState(deal?.value != null ? String(deal.value) : '');
  const [loanType, setLoanType] = useState(deal?.loan_type ?? '');
  const [purpose, setPurpose] = useState(deal?.purpose ?? '');
  const [stage, setStage] = useState<string>(deal?.stage ?? defaults?.stage ?? 'Lead');
  const [close, setClose] = useState(deal?.expected_close_date ?? '');
  const [localError, setLocalError] = useState<{ field: string; message: string }>();
  const pickedContact =
    contact !== undefined ? contact : deal?.contact_id ? { id: deal.contact_id, name: contactQuery.data?.name ?? `Contact #${deal.contact_id}` } : null;
  const m = useMutation({
    mutationFn: () => {
      const body: Partial<Deal> = {
        title: title.trim(),
        contact_id: pickedContact?.id ?? null,
        value: value.trim() === '' ? null : Number(value),
        loan_type: loanType || null,
        purpose: purpose || null,
        stage: stage as Deal['stage'],
        expected_close_date: close || null,
      };
      return deal ? api.updateDeal(deal.id, body) : api.createDeal(body);
    },
    onSuccess: (d) => {
      queryClient.invalidateQueries({ queryKey: ['deals'] });
      queryClient.invalidateQueries({ queryKey: ['timeline'] });
      if (!deal) {
        // The plan's Task 16.
        checkAction({ action: 'deal_created', entity_type: 'deal', entity_id: d.id, metadata: { value: d.value, stage: d.stage } });
      } else if (d.stage !== deal.stage && (d.stage === 'Closed Won' || d.stage === 'Closed Lost')) {
        checkAction({
          action: 'deal_closed',
          entity_type: 'deal',
          entity_id: d.id,
          metadata: d.stage === 'Closed Won' ? { won: true, value: d.value } : { won: false },
        });
      }
      onSaved?.(d);
      onClose();
    },
  });
  const fe = fieldErrors(m.error);
  const err = (f: string) => (localError?.field === f ? localError.message : fe.field === f ? fe.message : undefined);
  const aria = (f: string) => ({ 'aria-invalid': !!err(f), 'aria-describedby': err(f) ? `${id}-${f}-error` : undefined });
  return (
    <FormShell
      title={deal ? `Edit ${deal.title}` : 'New deal'}
      onClose={onClose}
      busy={m.isPending}
      error={m.error}
      submitLabel={deal ? 'Save changes' : 'Create deal'}
      onSubmit={() => {
        if (!title.trim()) return setLocalError({ field: 'title', message: 'Title is required' });
        if (value.trim() !== '' && !(Number(value) >= 0)) return setLocalError({ field: 'value', message: 'Enter the loan amount in dollars' });
        setLocalError(undefined);
        m.mutate();
      }}
    >
      <Field id={`${id}-title`} label="Title" error={err('title')}>
        <input id={`${id}-title`} className="input" value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} autoFocus {...aria('title')} />
      </Field>
      <ContactPicker value={pickedContact} onChange={setContact} id={`${id}-contact`} label="Borrower" />
      {fe.field === 'contact_id' && (
        <p role="alert" className="text-xs text-red-700 dark:text-red-300">
          {fe.message}
        </p>
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id={`${id}-value`} label="Loan amount ($)" error={err('value')}>
          <input id={`${id}-value`} inputMode="decimal" className="input" value={value} onChange={(e) => setValue(e.target.value)} {...aria('value')} />
        </Field>
        <Field id={`${id}-stage`} label="Stage" error={err('stage')}>
          <select id={`${id}-stage`} className="input" value={stage} onChange={(e) => setStage(e.target.value)}>
            {DEAL_STAGES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </Field>
        <Field id={`${id}-loan`} label="Loan type" error={err('loan_type')}>
          <select id={`${id}-loan`} className="input" value={loanType} onChange={(e) => setLoanType(e.target.value)}>
            <option value="">—</option>
            {LOAN_TYPES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </Field>
        <Field id={`${id}-purpose`} label="Purpose" error={err('purpose')}>
          <select id={`${id}-purpose`} className="input" value={purpose} onChange={(e) => setPurpose(e.target.value)}>
            <option value="">—</option>
            {PURPOSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </Field>
        <Field id={`${id}-close`} label="Expected close" error={err('expected_close_date')}>
          <input id={`${id}-close`} type="date" className="input" value={close} onChange={(e) => setClose(e.target.value)} />
        </Field>
      </div>
    </FormShell>
  );
}

export function TaskForm({
  task,
  defaults,
  onClose,
  onSaved,
}: {
  task?: Task;
  defaults?: { title?: string; priority?: string; contact?: { id: number; name: string } | null; deal_id?: number };
  onClose: () => void;
  onSaved?: (t: Task) => void;
}) {
  const id = useId();
  const queryClient = useQueryClient();
  const { checkAction } = useCoach();
  const [title, setTitle] = useState(task?.title ?? defaults?.title ?? '');
  const [priority, setPriority] = useState<string>(task?.priority ?? defaults?.priority ?? 'medium');
  const [due, setDue] = useState(task?.due_date ?? '');
  const [time, setTime] = useState(task?.due_time ?? '');
  const [notes, setNotes] = useState(task?.notes ?? '');
  const contactId = task?.contact_id ?? defaults?.contact?.id;
  const contactQuery = useQuery({
    queryKey: ['contact', contactId],
    queryFn: () => api.getContact(contactId!),
    enabled: !!contactId && !defaults?.contact?.name,
  });
  const [contact, setContact] = useState<{ id: number; name: string } | null | undefined>(undefined);
  const pickedContact =
    contact !== undefined ? contact : contactId ? { id: contactId, name: defaults?.contact?.name || contactQuery.data?.name || `Contact #${contactId}` } : null;
  const [dealId, setDealId] = useState<string>(String(task?.deal_id ?? defaults?.deal_id ?? ''));
  const deals = useQuery({ queryKey: ['deals', 'picker'], queryFn: () => api.listDeals({ limit: 200, sort: '-updated_at' }) });
  const [localError, setLocalError] = useState<{ field: string; message: string }>();
  const m = useMutation({
    mutationFn: () => {
      const body: Partial<Task> = {
        title: title.trim(),
        priority: priority as Task['priority'],
        due_date: due || null,
        due_time: due && time ? time : null,
        notes: orNull(notes),
        contact_id: pickedContact?.id ?? null,
        deal_id: dealId ? Number(dealId) : null,
      };
      return task ? api.updateTask(task.id, body) : api.createTask(body);
    },
    onSuccess: (t) => {
      queryClient.invalidateQueries({ queryKey: ['tasks'] });
      queryClient.invalidateQueries({ queryKey: ['timeline'] });
      if (!task) checkAction({ action: 'task_created', entity_type: 'task', entity_id: t.id, metadata: { priority: t.priority } });
      onSaved?.(t);
      onClose();
    },
  });
  const fe = fieldErrors(m.error);
  const err = (f: string) => (localError?.field === f ? localError.message : fe.field === f ? fe.message : undefined);
  const aria = (f: string) => ({ 'aria-invalid': !!err(f), 'aria-describedby': err(f) ? `${id}-${f}-error` : undefined });
  const dealItems = deals.data?.items ?? [];
  return (
    <FormShell
      title={task ? 'Edit task' : 'New task'}
      onClose={onClose}
      busy={m.isPending}
      error={m.error}
      submitLabel={task ? 'Save changes' : 'Create task'}
      onSubmit={() => {
        if (!title.trim()) return setLocalError({ field: 'title', message: 'Title is required' });
        setLocalError(undefined);
        m.mutate();
      }}
    >
      <Field id={`${id}-title`} label="Title" error={err('title')}>
        <input id={`${id}-title`} className="input" value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} autoFocus {...aria('title')} />
      </Field>
      <div className="grid gap-4 sm:grid-cols-3">
        <Field id={`${id}-priority`} label="Priority" error={err('priority')}>
          <select id={`${id}-priority`} className="input" value={priority} onChange={(e) => setPriority(e.target.value)}>
            {TASK_PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {titleCase(p)}
              </option>
            ))}
          </select>
        </Field>
        <Field id={`${id}-due`} label="Due date" error={err('due_date')}>
          <input id={`${id}-due`} type="date" className="input" value={due} onChange={(e) => setDue(e.target.value)} {...aria('due_date')} />
        </Field>
        <Field id={`${id}-time`} label="Time" error={err('due_time')}>
          <input id={`${id}-time`} type="time" className="input" value={time} disabled={!due} onChange={(e) => setTime(e.target.value)} />
        </Field>
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <ContactPicker value={pickedContact} onChange={setContact} id={`${id}-contact`} label="Contact" />
        <Field id={`${id}-deal`} label="Deal" error={err('deal_id')}>
          <select id={`${id}-deal`} className="input" value={dealId} onChange={(e) => setDealId(e.target.value)}>
            <option value="">—</option>
            {dealId && !dealItems.some((d) => String(d.id) === dealId) && <option value={dealId}>Deal #{dealId}</option>}
            {dealItems.map((d) => (
              <option key={d.id} value={d.id}>
                {d.title}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <Field id={`${id}-notes`} label="Notes" error={err('notes')}>
        <textarea id={`${id}-notes`} className="input min-h-[70px]" value={notes} onChange={(e) => setNotes(e.target.value)} />
      </Field>
    </FormShell>
  );
}
