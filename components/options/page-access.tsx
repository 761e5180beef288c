import { useState } from 'preact/hooks';
import { tOptions } from '@/lib/i18n/options-messages';
import type { PageAccessModel } from '@/lib/options/page-access-model';

export interface PageAccessProps {
  model: PageAccessModel;
}

/**
 * Whether click-to-call may read pages: on all sites, or only on sites chosen one by one (the CRM
 * account's pages among them), with the buttons that ask the browser for access or give it back.
 */
export function PageAccess({ model }: PageAccessProps) {
  const [site, setSite] = useState('');
  const state = model.state.value;
  const problem = model.problem.value;
  const sites = model.sites.value;
  if (state === 'unknown') return null;
  const status = state === 'all' ? 'c2c.access.all' : state === 'some' ? 'c2c.access.some' : 'c2c.access.none';
  return (
    <div class="page-access" data-testid="c2c-access" data-state={state}>
      <h3>{tOptions('c2c.access.heading')}</h3>
      <p role="status" data-testid="c2c-access-status">
        {tOptions(status)}
      </p>
      {state === 'some' && (
        <ul class="site-list" data-testid="c2c-access-sites">
          {sites.map(({ host, crm }) => (
            <li key={host} data-testid="c2c-access-site" data-host={host}>
              <span>{crm ? tOptions('c2c.access.crmSite', { site: host }) : host}</span>
              {!crm && (
                <button
                  type="button"
                  data-testid={`c2c-access-remove-${host}`}
                  aria-label={tOptions('c2c.access.removeSite', { site: host })}
                  onClick={() => void model.removeSite(host)}
                >
                  {tOptions('c2c.remove')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {state !== 'none' && <p class="hint">{tOptions('c2c.access.reload')}</p>}
      {state === 'all' ? (
        <button type="button" data-testid="c2c-access-revoke" onClick={() => void model.revoke()}>
          {tOptions('c2c.access.revoke')}
        </button>
      ) : (
        <>
          <button type="button" data-testid="c2c-access-allow" onClick={() => void model.allowAllSites()}>
            {tOptions('c2c.access.allow')}
          </button>
          <form
            class="row c2c-form"
            onSubmit={(event) => {
              event.preventDefault();
              // The permission request must start inside this submit (the user's action).
              void model.allowSite(site).then((granted) => {
                if (granted) setSite('');
              });
            }}
          >
            <label for="c2c-access-site-input">{tOptions('c2c.access.siteLabel')}</label>
            <input
              id="c2c-access-site-input"
              type="text"
              data-testid="c2c-access-site-input"
              placeholder={tOptions('c2c.access.sitePlaceholder')}
              value={site}
              onInput={(event) => setSite(event.currentTarget.value)}
            />
            <button type="submit" data-testid="c2c-access-site-allow">
              {tOptions('c2c.access.allowSite')}
            </button>
          </form>
        </>
      )}
      {problem && (
        <p class="error" role="alert" data-testid="c2c-access-problem">
          {tOptions(problem)}
        </p>
      )}
    </div>
  );
}
