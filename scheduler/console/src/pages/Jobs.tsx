import { useState } from 'react';
import type { Session } from '../api/types';
import { may } from '../auth/roles';
import { useI18n } from '../i18n/I18n';
import { Audit } from './jobs/Audit';
import { Chains } from './jobs/Chains';
import { Runs } from './jobs/Runs';
import { Schedules } from './jobs/Schedules';

type Tab = 'runs' | 'schedules' | 'chains' | 'audit';
const TABS: Tab[] = ['runs', 'schedules', 'chains', 'audit'];

export function Jobs({ session }: { session: Session }) {
  const { t } = useI18n();
  const [tab, setTab] = useState<Tab>('runs');
  const control = may(session.role, 'control-jobs');
  return (
    <section data-testid="page-jobs">
      <h2>{t('nav.jobs')}</h2>
      <div className="tabs" role="tablist">
        {TABS.map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            aria-selected={tab === name}
            className={tab === name ? 'active' : undefined}
            onClick={() => setTab(name)}
            data-testid={`tab-${name}`}
          >
            {t(`jobs.tab.${name}`)}
          </button>
        ))}
      </div>
      {tab === 'runs' && <Runs control={control} />}
      {tab === 'schedules' && <Schedules control={control} />}
      {tab === 'chains' && <Chains control={control} />}
      {tab === 'audit' && <Audit />}
    </section>
  );
}
