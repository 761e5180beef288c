import type { CrmCreatableKind } from '@/lib/crm/crm-record-creation';
import { tPanel } from '@/lib/i18n/panel-messages';
import type { CallerView } from '@/lib/panel/caller-card-model';

export interface CallerCardProps {
  caller: CallerView;
  onChoose: (value: string) => void;
  onOpenInCrm: () => void;
  onOpenForm: () => void;
  onEditForm: (change: { name?: string; company?: string; leadName?: string }) => void;
  /** "Create contact" / "Create lead" in the connected CRM (offered for an unknown caller). */
  onOpenCrmForm?: (kind: CrmCreatableKind) => void;
  onSaveForm: () => void;
  onCloseForm: () => void;
  /** Delete for a local contact (offered on the number's timeline). */
  onDelete?: () => void;
}

/**
 * Who is calling, on the call card: the contact's card, a pick among several, or for an unknown
 * caller "Add contact" (local contacts) or "Create contact" / "Create lead" (a connected CRM).
 */
export function CallerCard({
  caller,
  onChoose,
  onOpenInCrm,
  onOpenForm,
  onEditForm,
  onSaveForm,
  onCloseForm,
  onDelete,
  onOpenCrmForm,
}: CallerCardProps) {
  const form = caller.form;
  const crmCreates = onOpenCrmForm ? (caller.crmCreates ?? []) : [];
  return (
    <section class="caller" data-testid="caller-card" data-status={caller.status} aria-label={tPanel('caller.card')}>
      {caller.entityText && (
        <p class="caller-entity" data-testid="caller-entity">
          {caller.entityText}
        </p>
      )}
      {caller.status === 'loading' && <p class="caller-loading">{tPanel('caller.loading')}</p>}
      {caller.status === 'unknown' && !form && crmCreates.length === 0 && (
        <p class="caller-unknown">
          {tPanel('caller.unknown')}{' '}
          <button type="button" data-testid="caller-add" onClick={onOpenForm}>
            {tPanel('contact.add')}
          </button>
        </p>
      )}
      {caller.status === 'unknown' && !form && crmCreates.length > 0 && (
        <>
          <p class="caller-unknown">{tPanel('caller.unknownInCrm')}</p>
          <div class="caller-actions">
            {crmCreates.map((kind) => (
              <button key={kind} type="button" data-testid={`caller-create-${kind}`} onClick={() => onOpenCrmForm?.(kind)}>
                {tPanel(`caller.create.${kind}`)}
              </button>
            ))}
          </div>
        </>
      )}
      {caller.status === 'known' && (
        <>
          {caller.choices && (
            <label class="caller-choice">
              {tPanel('caller.choose')}
              <select
                data-testid="caller-choice"
                value={caller.selected}
                onChange={(e) => onChoose((e.currentTarget as HTMLSelectElement).value)}
              >
                {caller.choices.map((choice) => (
                  <option key={choice.value} value={choice.value}>
                    {choice.label}
                  </option>
                ))}
              </select>
            </label>
          )}
          <div class="caller-name" data-testid="caller-name">
            {caller.name}
          </div>
          {caller.company && (
            <div class="caller-company" data-testid="caller-company">
              {caller.company}
            </div>
          )}
          {caller.deals.length > 0 && (
            <ul class="caller-deals" aria-label={tPanel('caller.deals')} data-testid="caller-deals">
              {caller.deals.map((deal, i) => (
                <li key={i}>
                  {deal.name}
                  {deal.stageText && <span class="caller-stage"> — {deal.stageText}</span>}
                </li>
              ))}
            </ul>
          )}
          {caller.responsibleText && <div class="caller-responsible">{caller.responsibleText}</div>}
          {caller.lastInteractionText && <div class="caller-last">{caller.lastInteractionText}</div>}
          <div class="caller-actions">
            {caller.url && (
              <button type="button" data-testid="caller-open-crm" onClick={onOpenInCrm}>
                {tPanel('caller.openInCrm')}
              </button>
            )}
            {caller.localId && !form && (
              <button type="button" data-testid="caller-edit" onClick={onOpenForm}>
                {tPanel('contact.edit')}
              </button>
            )}
            {caller.localId && !form && onDelete && (
              <button type="button" class="danger" data-testid="caller-delete" onClick={onDelete}>
                {tPanel('contact.delete')}
              </button>
            )}
          </div>
        </>
      )}
      {form && (
        <form
          class="contact-form"
          data-testid="contact-form"
          onSubmit={(e) => {
            e.preventDefault();
            onSaveForm();
          }}
        >
          {form.crm === 'lead' && (
            <label>
              {tPanel('caller.create.leadName')}
              <input
                data-testid="lead-name"
                value={form.leadName ?? ''}
                onInput={(e) => onEditForm({ leadName: (e.currentTarget as HTMLInputElement).value })}
              />
            </label>
          )}
          <label>
            {tPanel(form.crm ? 'caller.create.contactName' : 'contact.name')}
            <input
              data-testid="contact-name"
              value={form.name}
              onInput={(e) => onEditForm({ name: (e.currentTarget as HTMLInputElement).value })}
            />
          </label>
          <label>
            {tPanel('contact.company')}
            <input
              data-testid="contact-company"
              value={form.company}
              onInput={(e) => onEditForm({ company: (e.currentTarget as HTMLInputElement).value })}
            />
          </label>
          {form.error && (
            <p class="contact-form-error" role="alert">
              {form.error}
            </p>
          )}
          <button type="submit" data-testid="contact-save" disabled={form.saving} aria-busy={form.saving}>
            {form.crm
              ? tPanel(form.saving ? 'caller.create.saving' : `caller.create.${form.crm}`)
              : tPanel('contact.save')}
          </button>
          <button type="button" onClick={onCloseForm}>
            {tPanel('contact.cancel')}
          </button>
        </form>
      )}
    </section>
  );
}
