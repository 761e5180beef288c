import { tOptions } from '@/lib/i18n/options-messages';
import type { PageAccessModel } from '@/lib/options/page-access-model';

export interface PageAccessProps {
  model: PageAccessModel;
}

/** Whether click-to-call may read pages, with the button that asks the browser for it (or gives it back). */
export function PageAccess({ model }: PageAccessProps) {
  const state = model.state.value;
  const problem = model.problem.value;
  if (state === 'unknown') return null;
  return (
    <div class="page-access" data-testid="c2c-access" data-state={state}>
      <h3>{tOptions('c2c.access.heading')}</h3>
      <p role="status" data-testid="c2c-access-status">
        {tOptions(state === 'all' ? 'c2c.access.all' : 'c2c.access.none')}
      </p>
      {state === 'all' ? (
        <>
          <p class="hint">{tOptions('c2c.access.reload')}</p>
          <button type="button" data-testid="c2c-access-revoke" onClick={() => void model.revoke()}>
            {tOptions('c2c.access.revoke')}
          </button>
        </>
      ) : (
        <button type="button" data-testid="c2c-access-allow" onClick={() => void model.allowAllSites()}>
          {tOptions('c2c.access.allow')}
        </button>
      )}
      {problem && (
        <p class="error" role="alert" data-testid="c2c-access-problem">
          {tOptions(problem)}
        </p>
      )}
    </div>
  );
}
