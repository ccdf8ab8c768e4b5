import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useMemo, useState } from 'react';
import { ApiError, api, unwrap } from '../api/client';
import type { SettlementConfig } from '../api/types';
import { ErrorNotice, QueryView } from '../components/states';
import { CrTime } from '../components/values';
import { nextCronRuns } from '../format/cron-preview';
import { usePageTitle } from './page-title';

type Field = keyof SettlementConfig;
const PREVIEW_RUNS = 5;

export function SettlementConfigPage() {
  usePageTitle('Settlement config');
  const config = useQuery({ queryKey: ['settlement-config'], queryFn: () => unwrap(api.GET('/admin/settlement-config')) });
  return (
    <>
      <h1>Settlement config</h1>
      <QueryView query={config} what="the settlement config">
        {(data) => <ConfigForm saved={data} />}
      </QueryView>
    </>
  );
}

function ConfigForm({ saved }: { saved: SettlementConfig }) {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>({ enabled: saved.enabled, settlementAgeDays: String(saved.settlementAgeDays), batchSize: String(saved.batchSize), cronSchedule: saved.cronSchedule });
  const preview = useMemo(() => nextCronRuns(draft.cronSchedule, new Date(), PREVIEW_RUNS), [draft.cronSchedule]);
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PATCH('/admin/settlement-config', {
          body: patchOf(draft),
        }),
      ),
    onSuccess: (config) => {
      queryClient.setQueryData(['settlement-config'], config);
      void queryClient.invalidateQueries({ queryKey: ['jobs'] });
    },
  });
  const jobs = useQuery({ queryKey: ['jobs'], queryFn: () => unwrap(api.GET('/admin/jobs')), enabled: save.isSuccess });
  const fieldError = (field: Field): string | null => (save.error instanceof ApiError && save.error.field === field ? `${save.error.code}: ${save.error.message}` : null);
  const formError = save.error && !(save.error instanceof ApiError && save.error.field !== null && save.error.field in draft) ? save.error : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const set = (field: keyof Draft, value: string | boolean) => {
    save.reset();
    setDraft((current) => ({ ...current, [field]: value }));
  };
  const settlementNext = jobs.data?.jobs.find((job) => job.name === 'settlement')?.nextRun;

  return (
    <form onSubmit={submit} className="stack" noValidate>
      <div className="check">
        <input id="enabled" type="checkbox" checked={draft.enabled} onChange={(event) => set('enabled', event.target.checked)} aria-describedby={describedBy('enabled', fieldError)} />
        <label htmlFor="enabled">Settlement runs on its schedule</label>
        <FieldError field="enabled" message={fieldError('enabled')} />
      </div>
      <TextField field="settlementAgeDays" label="Settle statements older than (days)" value={draft.settlementAgeDays} inputMode="numeric" onChange={set} error={fieldError('settlementAgeDays')} />
      <TextField field="batchSize" label="Batch size (statements per transaction)" value={draft.batchSize} inputMode="numeric" onChange={set} error={fieldError('batchSize')} />
      <TextField field="cronSchedule" label="Schedule (cron rule, UTC)" value={draft.cronSchedule} onChange={set} error={fieldError('cronSchedule')} hint="minute hour day-of-month month day-of-week, in UTC: 0 3 * * * is 21:00 in Costa Rica" />
      <section aria-labelledby="preview-heading" className="preview">
        <h2 id="preview-heading">Next {PREVIEW_RUNS} runs of this rule</h2>
        {preview === null ? (
          <p className="muted">This rule cannot be read; saving it will say why.</p>
        ) : (
          <ol data-testid="cron-preview">
            {preview.map((instant) => (
              <li key={instant.toISOString()}>
                <CrTime iso={instant.toISOString()} />
              </li>
            ))}
          </ol>
        )}
      </section>
      <button type="submit" disabled={save.isPending}>
        {save.isPending ? 'Saving…' : 'Save'}
      </button>
      {formError && <ErrorNotice error={formError} />}
      {save.isSuccess && (
        <p className="notice notice-ok" role="status" data-testid="saved">
          Saved. The scheduler's next settlement run: <CrTime iso={settlementNext} empty="…" />
          {!draft.enabled && ' (settlement is disabled: that run will do nothing)'}
        </p>
      )}
    </form>
  );
}

type Draft = { enabled: boolean; settlementAgeDays: string; batchSize: string; cronSchedule: string };

/**
 * The form as the API takes it. A number field holding something else is sent as typed rather than
 * guessed at: the API refuses it naming the field, and the error shows there.
 */
function patchOf(draft: Draft): SettlementConfig {
  const numberOrText = (text: string): number | string => {
    const trimmed = text.trim();
    return /^\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
  };
  return { enabled: draft.enabled, settlementAgeDays: numberOrText(draft.settlementAgeDays), batchSize: numberOrText(draft.batchSize), cronSchedule: draft.cronSchedule } as SettlementConfig;
}

const describedBy = (field: Field, error: (field: Field) => string | null) => (error(field) !== null ? `${field}-error` : undefined);

function FieldError({ field, message }: { field: Field; message: string | null }) {
  if (message === null) return null;
  return (
    <p id={`${field}-error`} className="field-error" role="alert">
      {message}
    </p>
  );
}

function TextField(props: { field: Field; label: string; value: string; hint?: string; inputMode?: 'numeric'; error: string | null; onChange: (field: Field, value: string) => void }) {
  const { field, label, value, hint, inputMode, error, onChange } = props;
  const described = [hint ? `${field}-hint` : null, error !== null ? `${field}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={field}>{label}</label>
      <input id={field} name={field} value={value} inputMode={inputMode} onChange={(event) => onChange(field, event.target.value)} aria-invalid={error !== null} aria-describedby={described} autoComplete="off" spellCheck={false} />
      {hint && (
        <p id={`${field}-hint`} className="muted small">
          {hint}
        </p>
      )}
      <FieldError field={field} message={error} />
    </div>
  );
}
