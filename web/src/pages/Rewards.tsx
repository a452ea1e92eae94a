// The reward store: spend points on the org's rewards (one redemption per
// click intent, whatever the clicks), follow one's redemptions, decide the
// team's (managers and admins), and run the store, the points table and the
// leaderboard's names (admins).
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router-dom';
import { Check, Coins, Gift, Inbox, PackagePlus, Pencil, RotateCcw, Save, Settings2, ShoppingBag, X } from 'lucide-react';
import { ApiError, gameApi } from '../lib/api';
import { cn, formatDate, localDate, relativeTime } from '../lib/format';
import {
  REDEMPTION_STATUS,
  finishIntent,
  formatPoints,
  gameKeys,
  idleIntent,
  newRequestId,
  parseWhole,
  pointsTableChanges,
  startIntent,
  stockLabel,
  type RedeemIntent,
} from '../lib/game';
import { useTitle } from '../lib/hooks';
import { useAuth } from '../contexts/AuthContext';
import { SectionCard } from '../components/hub';
import { GameTabs, LabeledSwitch } from '../components/game';
import { Badge, EmptyState, ErrorBanner, Field, Modal, PageHeader, Spinner, errorMessage } from '../components/ui';
import type { Redemption, Reward } from '../types';

type Tab = 'store' | 'mine' | 'decide' | 'manage';

function useBalance() {
  return useQuery({ queryKey: gameKeys.profile, queryFn: () => gameApi.profile() });
}

// --- The store ---

function RewardCard({ reward, balance }: { reward: Reward; balance: number | undefined }) {
  const queryClient = useQueryClient();
  // The click intent lives in a ref: a second click of a double click sees
  // it in flight at once, before any re-render disables the button.
  const intent = useRef<RedeemIntent>(idleIntent);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<Redemption | null>(null);
  const [retry, setRetry] = useState(false);
  const out = reward.stock <= 0;
  const short = balance !== undefined ? reward.cost - balance : 0;

  const redeem = async () => {
    const started = startIntent(intent.current, newRequestId);
    if (!started) return;
    intent.current = started.state;
    setBusy(true);
    setError(null);
    setDone(null);
    let status = 0;
    try {
      const r = await gameApi.redeem(reward.id, started.requestId);
      status = 201;
      setDone(r);
    } catch (e) {
      status = e instanceof ApiError ? e.status : 0;
      setError(e);
    } finally {
      intent.current = finishIntent(intent.current, status);
      setRetry(intent.current.requestId !== null);
      setBusy(false);
      void queryClient.invalidateQueries({ queryKey: gameKeys.all });
    }
  };

  const id = `reward-${reward.id}`;
  return (
    <li className="card flex flex-col p-4" data-testid="reward" data-reward-id={reward.id} aria-labelledby={`${id}-name`}>
      <div className="flex items-start gap-3">
        <span className="flex h-10 w-10 shrink-0 items-center justify-center rounded-lg bg-pink-100 text-pink-700 dark:bg-pink-950 dark:text-pink-200">
          <Gift aria-hidden className="h-5 w-5" />
        </span>
        <div className="min-w-0 flex-1">
          <h3 id={`${id}-name`} className="font-semibold">
            {reward.name}
          </h3>
          {reward.description && <p className="mt-0.5 whitespace-pre-line text-sm muted">{reward.description}</p>}
        </div>
      </div>
      <div className="mt-3 flex flex-wrap items-center justify-between gap-2 text-sm">
        <span className="inline-flex items-center gap-1 font-semibold tabular-nums" data-testid="reward-cost">
          <Coins aria-hidden className="h-4 w-4 text-amber-500" />
          {formatPoints(reward.cost)} points
        </span>
        <span className={cn('text-xs', out ? 'font-medium text-red-700 dark:text-red-300' : 'muted')} data-testid="reward-stock">
          {stockLabel(reward.stock)}
        </span>
      </div>
      <div className="mt-auto pt-3">
        <button
          type="button"
          className="btn-primary w-full"
          onClick={() => void redeem()}
          disabled={busy || out || short > 0}
          aria-describedby={`${id}-status`}
          data-testid="redeem"
        >
          <ShoppingBag aria-hidden className="h-4 w-4" />
          {busy ? 'Redeeming…' : retry ? 'Try again' : 'Redeem'}
          <span className="sr-only"> {reward.name}</span>
        </button>
        <div id={`${id}-status`} className="mt-2 min-h-[1.25rem] text-xs" aria-live="polite">
          {error ? (
            <p role="alert" className="text-red-700 dark:text-red-300" data-testid="redeem-error">
              {errorMessage(error)}
            </p>
          ) : done ? (
            <p className="font-medium text-green-800 dark:text-green-300" data-testid="redeem-done">
              Redeemed for {formatPoints(done.cost)} points: waiting for approval.
            </p>
          ) : short > 0 && !out ? (
            <p className="muted">{formatPoints(short)} more points to go</p>
          ) : null}
        </div>
      </div>
    </li>
  );
}

function Store({ balance }: { balance: number | undefined }) {
  const rewards = useQuery({ queryKey: gameKeys.rewards, queryFn: gameApi.rewards });
  const active = (rewards.data?.items ?? []).filter((r) => r.active);
  return rewards.isLoading ? (
    <Spinner label="Loading rewards" />
  ) : rewards.error ? (
    <ErrorBanner error={rewards.error} />
  ) : active.length === 0 ? (
    <div className="card">
      <EmptyState icon={<Gift className="h-8 w-8" />} title="No rewards yet">
        Your admin adds the rewards points can buy.
      </EmptyState>
    </div>
  ) : (
    <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-label="Rewards" data-testid="reward-list">
      {active.map((r) => (
        <RewardCard key={r.id} reward={r} balance={balance} />
      ))}
    </ul>
  );
}

// --- My redemptions ---

function StatusBadge({ status }: { status: string }) {
  const s = REDEMPTION_STATUS[status] ?? { label: status, color: 'gray' as const };
  return <Badge color={s.color}>{s.label}</Badge>;
}

function MyRedemptions() {
  const { user } = useAuth();
  const mine = useQuery({ queryKey: gameKeys.redemptions(false), queryFn: () => gameApi.redemptions(false) });
  const items = mine.data?.items ?? [];
  return (
    <SectionCard id="mine-title" title="My redemptions" icon={<ShoppingBag aria-hidden className="h-4 w-4 text-pink-600 dark:text-pink-300" />} testId="my-redemptions">
      {mine.isLoading ? (
        <Spinner label="Loading your redemptions" />
      ) : mine.error ? (
        <ErrorBanner error={mine.error} />
      ) : items.length === 0 ? (
        <p className="text-sm muted">Nothing redeemed yet.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-sm">
            <caption className="sr-only">My redemptions</caption>
            <thead>
              <tr className="border-b border-slate-200 text-left text-xs uppercase tracking-wide muted dark:border-slate-700">
                <th scope="col" className="px-2 py-2 font-medium">
                  Reward
                </th>
                <th scope="col" className="px-2 py-2 text-right font-medium">
                  Points
                </th>
                <th scope="col" className="px-2 py-2 font-medium">
                  Status
                </th>
                <th scope="col" className="px-2 py-2 font-medium">
                  Dates
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.id} className="border-b border-slate-100 last:border-0 dark:border-slate-800" data-testid="my-redemption" data-status={r.status}>
                  <td className="px-2 py-2">
                    <span className="font-medium">{r.reward}</span>
                    {r.note && <p className="text-xs muted">Note: {r.note}</p>}
                  </td>
                  <td className="px-2 py-2 text-right tabular-nums">{formatPoints(r.cost)}</td>
                  <td className="px-2 py-2">
                    <StatusBadge status={r.status} />
                  </td>
                  <td className="px-2 py-2 text-xs muted">
                    Requested {formatDate(localDate(user?.timezone, new Date(r.created_at)))}
                    {r.decided_at && <span className="block">Decided {formatDate(localDate(user?.timezone, new Date(r.decided_at)))}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </SectionCard>
  );
}

// --- To decide (managers and admins) ---

function DecisionRow({ r }: { r: Redemption }) {
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const decide = useMutation({
    mutationFn: (approve: boolean) => gameApi.decide(r.id, approve, note.trim() || undefined),
    onSettled: () => queryClient.invalidateQueries({ queryKey: gameKeys.all }),
  });
  const noteId = `note-${r.id}`;
  return (
    <li className="grid gap-3 py-3 md:grid-cols-[1fr_auto] md:items-end" data-testid="to-decide" data-redemption-id={r.id}>
      <div className="min-w-0">
        <p className="text-sm">
          <span className="font-semibold">{r.user_name}</span> asks for <span className="font-semibold">{r.reward}</span>{' '}
          <span className="tabular-nums muted">({formatPoints(r.cost)} points)</span>
        </p>
        <p className="text-xs muted">Requested {relativeTime(r.created_at)}</p>
        <div className="mt-2 max-w-md">
          <label htmlFor={noteId} className="sr-only">
            Note for {r.user_name} (optional)
          </label>
          <input
            id={noteId}
            className="input"
            placeholder="Note (optional)"
            maxLength={500}
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
        </div>
        {decide.error && (
          <p role="alert" className="mt-1 text-xs text-red-700 dark:text-red-300">
            {errorMessage(decide.error)}
          </p>
        )}
      </div>
      <div className="flex gap-2">
        <button type="button" className="btn-primary" disabled={decide.isPending} onClick={() => decide.mutate(true)}>
          <Check aria-hidden className="h-4 w-4" /> Approve<span className="sr-only"> {r.reward} for {r.user_name}</span>
        </button>
        <button type="button" className="btn-secondary" disabled={decide.isPending} onClick={() => decide.mutate(false)}>
          <X aria-hidden className="h-4 w-4" /> Reject<span className="sr-only"> {r.reward} for {r.user_name}</span>
        </button>
      </div>
    </li>
  );
}

function ToDecide() {
  const pending = useQuery({ queryKey: gameKeys.redemptions(true), queryFn: () => gameApi.redemptions(true), refetchInterval: 60_000 });
  const items = pending.data?.items ?? [];
  return (
    <SectionCard id="decide-title" title="To decide" icon={<Inbox aria-hidden className="h-4 w-4 text-blue-600 dark:text-blue-400" />} testId="decide-list">
      <p className="mb-2 text-sm muted">Approving hands the reward over; rejecting returns the points and the unit of stock. Either is final.</p>
      {pending.isLoading ? (
        <Spinner label="Loading requests" />
      ) : pending.error ? (
        <ErrorBanner error={pending.error} />
      ) : items.length === 0 ? (
        <p className="text-sm muted" data-testid="decide-empty">
          Nothing waiting. Your team's new redemptions show up here.
        </p>
      ) : (
        <ul className="divide-y divide-slate-100 dark:divide-slate-800">
          {items.map((r) => (
            <DecisionRow key={r.id} r={r} />
          ))}
        </ul>
      )}
    </SectionCard>
  );
}

// --- Manage (admins) ---

interface RewardDraft {
  name: string;
  description: string;
  cost: string;
  stock: string;
  active: boolean;
}

function RewardForm({ reward, onClose }: { reward?: Reward; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [d, setD] = useState<RewardDraft>(() => ({
    name: reward?.name ?? '',
    description: reward?.description ?? '',
    cost: reward ? String(reward.cost) : '',
    stock: reward ? String(reward.stock) : '',
    active: reward?.active ?? true,
  }));
  const [touched, setTouched] = useState(false);
  const cost = parseWhole(d.cost, 1, 10_000_000);
  const stock = parseWhole(d.stock, 0, 1_000_000);
  const errors: Partial<Record<keyof RewardDraft, string>> = {};
  if (!d.name.trim()) errors.name = 'Give the reward a name';
  else if ([...d.name.trim()].length > 100) errors.name = 'At most 100 characters';
  if ([...d.description].length > 1000) errors.description = 'At most 1,000 characters';
  if (cost === null) errors.cost = 'A whole number of points from 1 to 10,000,000';
  if (stock === null) errors.stock = 'A whole number from 0 to 1,000,000';
  const save = useMutation({
    mutationFn: () => {
      const body = { name: d.name.trim(), description: d.description.trim(), cost: cost!, stock: stock!, active: d.active };
      return reward ? gameApi.updateReward(reward.id, body) : gameApi.createReward(body);
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: gameKeys.rewards });
      onClose();
    },
  });
  const serverField = save.error instanceof ApiError ? save.error.field : undefined;
  const err = (k: keyof RewardDraft) => (touched ? errors[k] : undefined) ?? (serverField === k ? errorMessage(save.error) : undefined);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (Object.keys(errors).length) return;
    save.mutate();
  };
  return (
    <Modal
      title={reward ? `Edit ${reward.name}` : 'New reward'}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="reward-form" className="btn-primary" disabled={save.isPending}>
            <Save aria-hidden className="h-4 w-4" /> {reward ? 'Save reward' : 'Add reward'}
          </button>
        </>
      }
    >
      <form id="reward-form" className="space-y-3" onSubmit={submit} noValidate>
        <Field id="rw-name" label="Name" error={err('name')}>
          <input
            id="rw-name"
            className="input"
            value={d.name}
            maxLength={100}
            aria-invalid={!!err('name')}
            aria-describedby={err('name') ? 'rw-name-error' : undefined}
            onChange={(e) => setD({ ...d, name: e.target.value })}
            autoFocus
          />
        </Field>
        <Field id="rw-desc" label="Description" error={err('description')} hint="Optional: what it is and how it is handed over.">
          <textarea
            id="rw-desc"
            className="input"
            rows={3}
            value={d.description}
            aria-invalid={!!err('description')}
            aria-describedby={err('description') ? 'rw-desc-error' : 'rw-desc-hint'}
            onChange={(e) => setD({ ...d, description: e.target.value })}
          />
        </Field>
        <div className="grid grid-cols-2 gap-3">
          <Field id="rw-cost" label="Cost (points)" error={err('cost')}>
            <input
              id="rw-cost"
              inputMode="numeric"
              className="input tabular-nums"
              value={d.cost}
              aria-invalid={!!err('cost')}
              aria-describedby={err('cost') ? 'rw-cost-error' : undefined}
              onChange={(e) => setD({ ...d, cost: e.target.value })}
            />
          </Field>
          <Field id="rw-stock" label="Stock" error={err('stock')}>
            <input
              id="rw-stock"
              inputMode="numeric"
              className="input tabular-nums"
              value={d.stock}
              aria-invalid={!!err('stock')}
              aria-describedby={err('stock') ? 'rw-stock-error' : undefined}
              onChange={(e) => setD({ ...d, stock: e.target.value })}
            />
          </Field>
        </div>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={d.active} onChange={(e) => setD({ ...d, active: e.target.checked })} className="h-4 w-4" />
          Active: officers can see and redeem it
        </label>
        {save.error && !serverField ? <ErrorBanner error={save.error} /> : null}
      </form>
    </Modal>
  );
}

function ManageRewards() {
  const rewards = useQuery({ queryKey: gameKeys.rewards, queryFn: gameApi.rewards });
  const [editing, setEditing] = useState<Reward | 'new' | null>(null);
  const items = rewards.data?.items ?? [];
  return (
    <SectionCard
      id="manage-rewards-title"
      title="Rewards"
      icon={<Gift aria-hidden className="h-4 w-4 text-pink-600 dark:text-pink-300" />}
      testId="manage-rewards"
      actions={
        <button type="button" className="btn-primary" onClick={() => setEditing('new')}>
          <PackagePlus aria-hidden className="h-4 w-4" /> New reward
        </button>
      }
    >
      {rewards.isLoading ? (
        <Spinner label="Loading rewards" />
      ) : rewards.error ? (
        <ErrorBanner error={rewards.error} />
      ) : items.length === 0 ? (
        <p className="text-sm muted">No rewards yet: add the first.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-sm">
            <caption className="sr-only">All rewards</caption>
            <thead>
              <tr className="border-b border-slate-200 text-left text-xs uppercase tracking-wide muted dark:border-slate-700">
                <th scope="col" className="px-2 py-2 font-medium">
                  Name
                </th>
                <th scope="col" className="px-2 py-2 text-right font-medium">
                  Cost
                </th>
                <th scope="col" className="px-2 py-2 text-right font-medium">
                  Stock
                </th>
                <th scope="col" className="px-2 py-2 font-medium">
                  Status
                </th>
                <th scope="col" className="px-2 py-2">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.id} className="border-b border-slate-100 last:border-0 dark:border-slate-800" data-testid="manage-reward">
                  <td className="px-2 py-2 font-medium">{r.name}</td>
                  <td className="px-2 py-2 text-right tabular-nums">{formatPoints(r.cost)}</td>
                  <td className="px-2 py-2 text-right tabular-nums">{formatPoints(r.stock)}</td>
                  <td className="px-2 py-2">{r.active ? <Badge color="green">Active</Badge> : <Badge>Hidden</Badge>}</td>
                  <td className="px-2 py-2 text-right">
                    <button type="button" className="btn-ghost p-1.5" onClick={() => setEditing(r)} aria-label={`Edit ${r.name}`} title="Edit">
                      <Pencil aria-hidden className="h-4 w-4" />
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing && <RewardForm reward={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />}
    </SectionCard>
  );
}

function PointsTableEditor() {
  const queryClient = useQueryClient();
  const table = useQuery({ queryKey: gameKeys.pointsTable, queryFn: gameApi.pointsTable });
  const [edits, setEdits] = useState<Record<string, string>>({});
  const actions = table.data?.actions ?? [];
  useEffect(() => {
    if (table.data) setEdits(Object.fromEntries(table.data.actions.map((a) => [a.key, String(a.points)])));
  }, [table.data]);
  const result = pointsTableChanges(actions, edits);
  const changes = 'changes' in result ? result.changes : {};
  const changed = Object.keys(changes).length;
  const save = useMutation({
    mutationFn: () => gameApi.putPointsTable(changes),
    onSuccess: (t) => {
      queryClient.setQueryData(gameKeys.pointsTable, t);
    },
  });
  return (
    <SectionCard id="points-table-title" title="Points table" icon={<Coins aria-hidden className="h-4 w-4 text-amber-500" />} testId="points-table">
      {table.isLoading ? (
        <Spinner label="Loading the points table" />
      ) : table.error ? (
        <ErrorBanner error={table.error} />
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            save.reset();
            if ('changes' in result && changed) save.mutate();
          }}
        >
          <p className="mb-3 text-sm muted">
            A change applies to what is logged from now on; points already earned keep their price. A call's outcome adds on top of the call.
          </p>
          <ul className="divide-y divide-slate-100 dark:divide-slate-800">
            {actions.map((a) => {
              const bad = 'key' in result && result.key === a.key;
              return (
                <li key={a.key} className="flex items-center justify-between gap-3 py-2">
                  <label htmlFor={`pt-${a.key}`} className="min-w-0 text-sm">
                    {a.label}
                    <span className="block text-xs muted">Default {a.default}</span>
                  </label>
                  <input
                    id={`pt-${a.key}`}
                    inputMode="numeric"
                    className={cn('input w-24 text-right tabular-nums', bad && 'border-red-500')}
                    value={edits[a.key] ?? ''}
                    aria-invalid={bad}
                    onChange={(e) => {
                      setEdits({ ...edits, [a.key]: e.target.value });
                      save.reset();
                    }}
                  />
                </li>
              );
            })}
          </ul>
          {'error' in result && (
            <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-300">
              {actions.find((a) => a.key === result.key)?.label}: {result.error}
            </p>
          )}
          {save.error && <ErrorBanner error={save.error} className="mt-2" />}
          {save.isSuccess && (
            <p role="status" className="mt-2 text-sm text-green-800 dark:text-green-300" data-testid="points-table-saved">
              Saved: the new points apply from now on.
            </p>
          )}
          <div className="mt-3 flex flex-wrap justify-end gap-2">
            <button
              type="button"
              className="btn-secondary"
              onClick={() => setEdits(Object.fromEntries(actions.map((a) => [a.key, String(a.default)])))}
            >
              <RotateCcw aria-hidden className="h-4 w-4" /> Use the defaults
            </button>
            <button type="submit" className="btn-primary" disabled={!changed || save.isPending || 'error' in result}>
              <Save aria-hidden className="h-4 w-4" /> Save {changed ? `${changed} change${changed === 1 ? '' : 's'}` : 'changes'}
            </button>
          </div>
        </form>
      )}
    </SectionCard>
  );
}

function NamesSetting() {
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: gameKeys.settings, queryFn: gameApi.settings });
  const save = useMutation({
    mutationFn: (on: boolean) => gameApi.putSettings({ named_leaderboards: on }),
    onSuccess: (s) => {
      queryClient.setQueryData(gameKeys.settings, s);
      void queryClient.invalidateQueries({ queryKey: gameKeys.all });
      void queryClient.invalidateQueries({ queryKey: gameKeys.feed });
    },
  });
  const on = save.isPending ? !!save.variables : !!settings.data?.named_leaderboards;
  return (
    <SectionCard id="names-title" title="Leaderboard names" icon={<Settings2 aria-hidden className="h-4 w-4 text-slate-500" />} testId="names-setting">
      {settings.isLoading ? (
        <Spinner label="Loading settings" />
      ) : (
        <>
          <LabeledSwitch
            id="named-leaderboards"
            label="Show names on leaderboards"
            desc="Off: each officer sees only their own anonymous band. On: ranked tables with names, named competition standings, and badge unlocks in the feed."
            checked={on}
            disabled={save.isPending || !settings.data}
            onChange={(v) => save.mutate(v)}
          />
          {(settings.error || save.error) && <ErrorBanner error={settings.error || save.error} className="mt-2" />}
        </>
      )}
    </SectionCard>
  );
}

// --- The page ---

export default function Rewards() {
  useTitle('Rewards');
  const { user } = useAuth();
  const [params, setParams] = useSearchParams();
  const approver = user?.role === 'manager' || user?.role === 'admin';
  const admin = user?.role === 'admin';
  const tabs: { id: Tab; label: string }[] = [
    { id: 'store', label: 'Store' },
    { id: 'mine', label: 'My redemptions' },
    ...(approver ? [{ id: 'decide' as Tab, label: 'To decide' }] : []),
    ...(admin ? [{ id: 'manage' as Tab, label: 'Manage' }] : []),
  ];
  const asked = params.get('tab') as Tab | null;
  const tab: Tab = tabs.some((t) => t.id === asked) ? asked! : 'store';
  const setTab = (t: Tab) => setParams({ tab: t }, { replace: true });
  const balance = useBalance();
  const pending = useQuery({
    queryKey: gameKeys.redemptions(true),
    queryFn: () => gameApi.redemptions(true),
    enabled: approver,
  });
  const pendingCount = pending.data?.items.length ?? 0;
  const p = balance.data;

  return (
    <div>
      <PageHeader
        title="Rewards"
        subtitle="Spend the points you earn; your manager approves each redemption."
        icon={<Gift aria-hidden className="h-8 w-8 text-pink-600 dark:text-pink-300" />}
        actions={
          <div className="flex items-center gap-2 rounded-xl bg-amber-50 px-4 py-2 dark:bg-amber-950/40" data-testid="balance">
            <Coins aria-hidden className="h-5 w-5 text-amber-500" />
            <div>
              <p className="text-xs muted">Your balance</p>
              <p className="text-lg font-bold tabular-nums" data-testid="balance-value">
                {p ? formatPoints(p.points.balance) : '—'}
              </p>
            </div>
          </div>
        }
      />
      <GameTabs />
      <div className="mx-auto max-w-6xl space-y-6 px-4 py-6 sm:px-8">
        <div role="tablist" aria-label="Reward store" className="inline-flex flex-wrap rounded-xl bg-slate-100 p-1 dark:bg-slate-800">
          {tabs.map((t, i) => (
            <button
              key={t.id}
              type="button"
              role="tab"
              id={`rtab-${t.id}`}
              aria-selected={tab === t.id}
              aria-controls="rewards-panel"
              tabIndex={tab === t.id ? 0 : -1}
              onClick={() => setTab(t.id)}
              onKeyDown={(e) => {
                const d = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
                if (!d) return;
                e.preventDefault();
                const next = tabs[(i + d + tabs.length) % tabs.length].id;
                setTab(next);
                requestAnimationFrame(() => document.getElementById(`rtab-${next}`)?.focus());
              }}
              className={cn(
                'rounded-lg px-3 py-1.5 text-sm font-medium',
                tab === t.id ? 'bg-white text-slate-900 shadow-sm dark:bg-slate-600 dark:text-white' : 'text-slate-600 hover:text-slate-900 dark:text-slate-300',
              )}
            >
              {t.label}
              {t.id === 'decide' && pendingCount > 0 && (
                <span className="ml-1.5 rounded-full bg-red-600 px-1.5 text-xs font-semibold text-white" data-testid="decide-count">
                  {pendingCount}
                </span>
              )}
            </button>
          ))}
        </div>
        <div id="rewards-panel" role="tabpanel" aria-labelledby={`rtab-${tab}`}>
          {tab === 'store' && <Store balance={p?.points.balance} />}
          {tab === 'mine' && <MyRedemptions />}
          {tab === 'decide' && approver && <ToDecide />}
          {tab === 'manage' && admin && (
            <div className="grid gap-6 lg:grid-cols-2">
              <div className="space-y-6">
                <ManageRewards />
                <NamesSetting />
              </div>
              <PointsTableEditor />
            </div>
          )}
        </div>
      </div>
    </div>
  );
}
