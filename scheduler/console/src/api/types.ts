// The API's JSON as the console reads it (snake_case, as the API writes it). Fields other helpers add later are
// optional here, so the console still works against an older platform.
import type { Money } from '../i18n/format';

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export interface Session {
  login: string;
  display_name: string;
  role: string;
  csrf_token: string;
  user_id?: number;
}

export interface Schedule {
  name: string;
  description?: string;
  cron: string;
  default_cron?: string;
  time_zone?: string;
  paused: boolean;
  next_fire_at?: string | null;
  previous_fire_at?: string | null;
  misfire?: string;
  running?: boolean;
}

export interface JobParameter {
  name: string;
  kind: 'text' | 'date' | 'long' | 'path';
  required: boolean;
}

export interface Job {
  name: string;
  parameters: JobParameter[];
  last_run?: JobRun | null;
}

export interface JobStep {
  name: string;
  status: string;
  read?: number;
  written?: number;
  started_at?: string | null;
  ended_at?: string | null;
  exit_description?: string | null;
  duration_ms?: number | null;
  progress?: number | null;
  error?: string | null;
}

export interface JobRun {
  id: number;
  job: string;
  instance_id?: number;
  status: string;
  exit_code?: string;
  exit_description?: string | null;
  parameters: Record<string, string>;
  created_at?: string | null;
  started_at?: string | null;
  ended_at?: string | null;
  restart_of?: number | null;
  summary?: Record<string, unknown> | null;
  steps?: JobStep[];
  progress?: number | null;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  role: string;
  action: string;
  target: string;
  details: Record<string, string>;
  reason: string | null;
}

export interface ChainStep {
  step: string;
  state: string;
  job_run_id?: number | null;
  started_at?: string | null;
  ended_at?: string | null;
  error?: string | null;
}

export interface Chain {
  id: number;
  provider: string;
  business_date: string;
  state: string;
  trigger: string;
  started_at?: string | null;
  ended_at?: string | null;
  error?: string | null;
  steps: ChainStep[];
}

export interface MissedChain {
  provider: string;
  business_date: string;
  steps: string[];
}

export interface Totals {
  count: number;
  amount: number;
}

export interface ReconciliationRun {
  id: number;
  provider: string;
  business_date: string;
  status: string;
  registry_lines?: number | null;
  ledger_operations?: number | null;
  summary?: {
    results: Record<string, Totals>;
    settlement?: { registry_settles: number; ledger_expects: number; registry_commission: number };
  } | null;
  started_at?: string | null;
  finished_at?: string | null;
}

export interface Discrepancy {
  id: number;
  provider: string;
  business_date: string;
  item_key: string;
  result: string;
  why?: string | null;
  amount?: Money | null;
  status: string;
  resolution?: string | null;
  resolved_by?: string | null;
  resolved_at?: string | null;
  created_at?: string;
  comments?: { id: number; author: string; body: string; created_at: string }[];
}

export interface Report {
  report: string;
  title: string;
  filters: string[];
  required: string[];
  statuses: string[];
  formats: string[];
}

export interface ReportRun {
  id: number;
  report: string;
  format: string;
  filters?: Record<string, unknown> | null;
  state: string;
  requested_by?: string;
  requested_at?: string;
  started_at?: string | null;
  finished_at?: string | null;
  progress_rows?: number;
  row_count?: number | null;
  file_name?: string | null;
  file_size?: number | null;
  failure?: string | null;
}

export interface BacklogRow {
  state: string;
  count: number;
  oldest_at?: string | null;
}

export interface FailedReceipt {
  receipt_id: number;
  kind: string;
  state: string;
  reason?: string | null;
  invoice_id?: number | null;
  total?: Money | null;
  updated_at?: string | null;
}

export interface TurnoverRow {
  provider: string;
  business_date: string;
  currency: string;
  payments: number;
  amount: number;
  refunds: number;
  refunded: number;
}

export interface DiscrepancyCount {
  business_date: string;
  result_class: string;
  count: number;
}

export interface ExpiringHold {
  hold_id: number;
  customer_id: number;
  amount: Money;
  expires_at: string;
  source?: string;
  provider?: string | null;
}

export interface User {
  id: number;
  login: string;
  display_name: string;
  role: string;
  locked_until?: string | null;
  disabled: boolean;
  created_at?: string;
  last_sign_in_at?: string | null;
}
